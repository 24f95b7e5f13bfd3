import type { JobSummary } from '../../../core/contract';
import { hrefs } from '../../app/links';
import { StateCounts } from '../../components/StateTag';
import { stateCounts, stateFamily } from '../../components/taskStates';

const shown = 8;

/** Failed or lost attempts weigh more than waiting ones; a job with neither needs no attention. */
function weight(job: JobSummary): number {
  let w = 0;
  for (const [state, n] of Object.entries(job.taskCounts)) {
    const family = stateFamily(state);
    if (family === 'failed') w += 1000 * n;
    else if (family === 'pending') w += n;
  }
  return w;
}

/**
 * The jobs whose current attempts are failed, lost, pending or throttled, worst first: where
 * the night's work is. Each opens its job.
 */
export function JobsNeedingAttention({ jobs }: { jobs: readonly JobSummary[] }) {
  const ranked = jobs
    .filter((j) => j.state === 'active')
    .map((job) => ({ job, w: weight(job) }))
    .filter((x) => x.w > 0)
    .sort((a, b) => b.w - a.w || a.job.key.localeCompare(b.job.key));
  if (ranked.length === 0) return <p className="muted attention-none">No job has failed, lost or waiting tasks.</p>;
  return (
    <>
      <ul className="attention" aria-label="Jobs needing attention">
        {ranked.slice(0, shown).map(({ job }) => (
          <li key={job.key} aria-label={job.key}>
            <a href={hrefs.job(job.key)} className="attention-key">
              {job.key}
            </a>
            <StateCounts
              counts={stateCounts(job.taskCounts).filter(([s]) => ['failed', 'pending'].includes(stateFamily(s)))}
              label={`Tasks of ${job.key} needing attention`}
            />
          </li>
        ))}
      </ul>
      {ranked.length > shown && (
        <a href={hrefs.jobs()} className="attention-more">
          and {ranked.length - shown} more jobs
        </a>
      )}
    </>
  );
}
