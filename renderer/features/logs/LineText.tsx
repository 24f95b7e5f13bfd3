import { lineParts, type LinePart } from './line-parts';

/**
 * A log line as React text: ANSI colours become class names and colours, search matches
 * <mark>, control symbols boxed with what they stand for as the tooltip. Nothing here is ever
 * HTML, so `<script>` in a log shows as those characters.
 */
export function LineText({ text, ranges }: { text: string; ranges?: readonly (readonly [number, number])[] | undefined }) {
  return (
    <>
      {lineParts(text, ranges).map((p, i) => {
        const inner = p.control ? (
          <span className="log-ctl" title={p.control}>
            {p.text}
          </span>
        ) : (
          p.text
        );
        return (
          <span key={i} className={p.classes || undefined} style={styleOf(p)}>
            {p.mark ? <mark className="log-match">{inner}</mark> : inner}
          </span>
        );
      })}
    </>
  );
}

function styleOf(p: LinePart) {
  if (!p.color && !p.background) return undefined;
  return { color: p.color, background: p.background };
}
