import { useState } from 'react';
import { inView } from './line-parts';
import { LineText } from './LineText';
import { lineHeight, WindowAt } from './LogView';
import type { Match } from './useSearch';

/** Only the matching lines, in file order (bounded by the search's match cap); a click opens one in place. */
export function FilterList({ matches, onOpen }: { matches: readonly Match[]; onOpen: (offset: number) => void }) {
  const [top, setTop] = useState(0);
  const [height, setHeight] = useState(600);
  const first = Math.floor(top / lineHeight);
  const shown = matches.slice(first, first + Math.ceil(height / lineHeight) + 1);
  return (
    <div
      className="log-view log-filter"
      role="log"
      aria-label="Matching lines"
      tabIndex={0}
      ref={(el) => {
        if (el && el.clientHeight !== height) setHeight(el.clientHeight);
      }}
      onScroll={(e) => setTop(e.currentTarget.scrollTop)}
    >
      <div className="log-filter-inner" style={{ height: matches.length * lineHeight }}>
        {shown.map((m, i) => {
          // The match on screen however far into its line it is.
          const view = inView(m.line.text, m.ranges);
          return (
            <div
              key={m.line.offset}
              className="log-row log-row-match"
              style={{ top: (first + i) * lineHeight }}
              data-offset={m.line.offset}
            >
              <button
                type="button"
                className="log-gutter log-filter-open"
                title="Show this line in the file"
                onClick={() => onOpen(m.line.offset)}
              >
                @{m.line.offset.toLocaleString()}
              </button>
              {m.line.from !== undefined && <WindowAt from={m.line.from} />}
              <span className="log-text">
                <LineText text={view.text} ranges={view.ranges} />
              </span>
            </div>
          );
        })}
      </div>
      {matches.length === 0 && <div className="log-empty">No matching lines yet.</div>}
    </div>
  );
}
