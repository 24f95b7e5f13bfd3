import { stateFamily } from './taskStates';
import './StateTag.css';

/** A task state, coloured by what it means for the on-call engineer (see taskStates.ts). */
export function StateTag({ state, count }: { state: string; count?: number }) {
  return (
    <span className={`state-tag state-${stateFamily(state)}`} data-state={state}>
      {count !== undefined && <span className="state-tag-count">{count}</span>}
      {state}
    </span>
  );
}

/** Counts per state as a row of tags, e.g. on a job's line: `2 RUNNING` `1 FAILED`. */
export function StateCounts({ counts, label }: { counts: [string, number][]; label: string }) {
  if (counts.length === 0) return <span className="muted">no tasks</span>;
  return (
    <span className="state-counts" aria-label={label}>
      {counts.map(([state, n]) => (
        <StateTag key={state} state={state} count={n} />
      ))}
    </span>
  );
}
