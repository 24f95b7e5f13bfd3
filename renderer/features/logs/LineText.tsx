import { Fragment } from 'react';
import { parseAnsi } from './ansi';

/**
 * A log line as React text: ANSI colours become class names, search matches become <mark>.
 * Nothing here is ever HTML, so `<script>` in a log shows as those characters.
 */
export function LineText({ text, ranges }: { text: string; ranges?: readonly (readonly [number, number])[] }) {
  const runs = parseAnsi(text);
  return (
    <>
      {runs.map((run, i) => (
        <span key={i} className={run.classes || undefined}>
          {ranges && ranges.length > 0 ? <Marked text={run.text} start={run.start} ranges={ranges} /> : run.text}
        </span>
      ))}
    </>
  );
}

function Marked({ text, start, ranges }: { text: string; start: number; ranges: readonly (readonly [number, number])[] }) {
  const parts: { text: string; mark: boolean }[] = [];
  let at = 0;
  for (const [from, to] of ranges) {
    const a = Math.max(0, from - start);
    const b = Math.min(text.length, to - start);
    if (b <= a || a < at) continue;
    if (a > at) parts.push({ text: text.slice(at, a), mark: false });
    parts.push({ text: text.slice(a, b), mark: true });
    at = b;
  }
  if (at < text.length) parts.push({ text: text.slice(at), mark: false });
  return (
    <>
      {parts.map((p, i) => (
        <Fragment key={i}>{p.mark ? <mark className="log-match">{p.text}</mark> : p.text}</Fragment>
      ))}
    </>
  );
}
