import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { LogLine } from '../../../core/contract';
import { inView } from './line-parts';
import { LineText } from './LineText';
import type { Match } from './useSearch';
import { lineAt, type LogWindow } from './useLogWindow';

/** Fixed, so a row's place is arithmetic. */
export const lineHeight = 18;
/** Chromium caps an element's height near 33.5M px: the spacer stays well under it. */
const maxSpacer = 16_000_000;

export interface LogViewProps {
  win: LogWindow;
  /** Byte offset of the line the view is placed on. */
  anchor: number;
  /** Showing the end of the file (following). */
  pinned: boolean;
  wrap: boolean;
  /**
   * Search matches by line offset: their character ranges are highlighted, and a match deep in
   * a long line shows the window of the line around it in place of the line's head.
   */
  marks: ReadonlyMap<number, Match>;
  /** The user moved: to a byte offset, or to the end. */
  onMove: (to: { offset: number } | 'end') => void;
  /** Show all of a cut line, from its start or from a match's window. */
  onLoadRest: (line: LogLine, ranges?: Match['ranges']) => void;
}

/**
 * A scaled virtual list over byte offsets: the scrollbar's position is a fraction of the file
 * (a 10 GB file is as reachable as a small one), and a pool of fixed-height rows in an overlay
 * shows the window of lines around it. The line at fraction p of the file is drawn at fraction
 * p of the viewport, so the first line sits at the top and the last at the bottom.
 */
export function LogView({ win, anchor, pinned, wrap, marks, onMove, onLoadRest }: LogViewProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [height, setHeight] = useState(400);
  const lastSet = useRef(-1);
  const { lines, size } = win;

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    setHeight(el.clientHeight);
    return () => ro.disconnect();
  }, []);

  const rows = Math.max(1, Math.floor(height / lineHeight));
  const avg = lines.length ? Math.max(1, lines.reduce((s, l) => s + l.length + 1, 0) / lines.length) : 80;
  const spacer = Math.min(maxSpacer, Math.max(height, Math.ceil((size / avg) * lineHeight)));
  const range = Math.max(0, spacer - height);
  const p = pinned || size === 0 ? 1 : Math.min(1, anchor / size);
  const anchorIdx = pinned ? lines.length - 1 : lineAt(lines, anchor);
  let top = anchorIdx - Math.round(p * (rows - 1));
  if (win.atEnd) top = Math.min(top, lines.length - rows);
  if (win.atStart || top < 0) top = Math.max(0, top);
  const shown = lines.slice(top, top + rows + 1);

  // Keep the scrollbar where the anchor is, without taking that as a move of the user.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const want = Math.round(p * range);
    if (Math.abs(el.scrollTop - want) > 1) {
      el.scrollTop = want;
      lastSet.current = el.scrollTop;
    }
  }, [p, range]);

  const move = useRef({ lines, anchorIdx, rows, onMove });
  move.current = { lines, anchorIdx, rows, onMove };
  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const byLines = (delta: number) => {
      const m = move.current;
      const idx = Math.max(0, Math.min(m.lines.length - 1, m.anchorIdx + delta));
      const line = m.lines[idx];
      if (delta > 0 && idx === m.lines.length - 1 && win.atEnd) m.onMove('end');
      else if (line) m.onMove({ offset: line.offset });
    };
    const onWheel = (e: WheelEvent) => {
      if (e.deltaY === 0) return;
      e.preventDefault();
      const px = e.deltaMode === 1 ? e.deltaY * lineHeight : e.deltaMode === 2 ? e.deltaY * height : e.deltaY;
      byLines(Math.sign(px) * Math.max(1, Math.round(Math.abs(px) / lineHeight)));
    };
    const onKey = (e: KeyboardEvent) => {
      const m = move.current;
      const keys: Record<string, () => void> = {
        ArrowDown: () => byLines(1),
        ArrowUp: () => byLines(-1),
        PageDown: () => byLines(m.rows - 1),
        PageUp: () => byLines(-(m.rows - 1)),
        Home: () => m.onMove({ offset: 0 }),
        End: () => m.onMove('end'),
      };
      const act = keys[e.key];
      if (act) {
        e.preventDefault();
        act();
      }
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    el.addEventListener('keydown', onKey);
    return () => {
      el.removeEventListener('wheel', onWheel);
      el.removeEventListener('keydown', onKey);
    };
  }, [height, win.atEnd]);

  const onScroll = () => {
    const el = scrollRef.current;
    if (!el || el.scrollTop === lastSet.current || range === 0) return;
    lastSet.current = -1;
    const f = el.scrollTop / range;
    if (f >= 0.999) onMove('end');
    else onMove({ offset: Math.floor(f * size) });
  };

  const gutter = win.firstLine !== null;
  return (
    <div
      className={`log-view${wrap ? ' log-wrap' : ''}`}
      ref={scrollRef}
      onScroll={onScroll}
      tabIndex={0}
      role="log"
      aria-label="File contents"
    >
      <div className="log-rows" style={{ height }}>
        {shown.map((line, i) => {
          const match = marks.get(line.offset);
          const part = match?.line.from !== undefined ? match.line : line;
          const view = wrap ? { text: part.text, ranges: match?.ranges, skipped: 0 } : inView(part.text, match?.ranges);
          return (
            <div
              key={line.offset}
              className={`log-row${match ? ' log-row-match' : ''}`}
              style={wrap ? undefined : { top: i * lineHeight }}
              data-offset={line.offset}
            >
              {gutter && <span className="log-gutter">{(win.firstLine ?? 0) + top + i}</span>}
              {line.continued && (
                <span className="log-window-at" title="This line starts further back; shown from here">
                  …
                </span>
              )}
              {part.from !== undefined && <WindowAt from={part.from} />}
              {view.skipped > 0 && part.from === undefined && (
                <span className="log-window-at" title={`${view.skipped.toLocaleString()} characters before the match are not shown`}>
                  …
                </span>
              )}
              <span className="log-text">
                <LineText text={view.text} ranges={view.ranges} />
              </span>
              {line.truncated && (
                <button
                  type="button"
                  className="log-more"
                  onClick={() => onLoadRest(part, match?.ranges)}
                  title="This line was cut; read all of it, part by part"
                >
                  … {line.length.toLocaleString()} bytes: show all
                </button>
              )}
            </div>
          );
        })}
      </div>
      <div className="log-spacer" style={{ height: spacer - height }} />
    </div>
  );
}

/** Marks a row that shows a window of its line: the bytes before `from` are not shown. */
export function WindowAt({ from }: { from: number }) {
  return (
    <span className="log-window-at" title={`A window of this long line around a match, from its byte ${from.toLocaleString()}`}>
      …@{from.toLocaleString()}
    </span>
  );
}
