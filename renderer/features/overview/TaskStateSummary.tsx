import { hrefs } from '../../app/links';
import '../../components/StateTag.css';
import { stateCounts, stateFamily } from '../../components/taskStates';

/**
 * Current attempts by state, as large numbers coloured by what the state means; each opens the
 * jobs that have tasks in it.
 */
export function TaskStateSummary({ counts }: { counts: Record<string, number> }) {
  const rows = stateCounts(counts);
  if (rows.length === 0) return <p className="muted">No jobs have tasks right now.</p>;
  return (
    <ul className="state-tiles" aria-label="Tasks by state">
      {rows.map(([state, n]) => (
        <li key={state} className={`state-tile state-${stateFamily(state)}`} aria-label={`${state}: ${n}`}>
          <a href={hrefs.jobsInState(state)} title={`Show the jobs with ${state} tasks`}>
            <span className="state-tile-count">{n}</span>
            <span className="state-tile-name">{state}</span>
          </a>
        </li>
      ))}
    </ul>
  );
}
