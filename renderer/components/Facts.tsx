import type { ReactNode } from 'react';
import './Facts.css';

export type Fact = readonly [label: string, value: ReactNode, title?: string];

/**
 * Label/value pairs in two aligned columns (a task's agent, exit code, sandbox …). A value of
 * null or '' is drawn as a dash, so a missing fact is visibly missing rather than blank.
 */
export function Facts({ items, label, columns = 1 }: { items: readonly Fact[]; label: string; columns?: 1 | 2 }) {
  return (
    <dl className={`facts facts-${columns}`} aria-label={label}>
      {items.map(([name, value, title]) => (
        <div key={name} className="fact">
          <dt title={title}>{name}</dt>
          <dd>{value === null || value === undefined || value === '' ? <span className="muted">—</span> : value}</dd>
        </div>
      ))}
    </dl>
  );
}
