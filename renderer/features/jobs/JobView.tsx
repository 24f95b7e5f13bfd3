import { NonIdealState, Spinner } from '@blueprintjs/core';
import { useCallback, useMemo, useState } from 'react';
import { ErrorView } from '../../components/ErrorView';
import { StaleWarning } from '../../components/StaleWarning';
import { StateCounts } from '../../components/StateTag';
import { stateCounts } from '../../components/taskStates';
import { InstanceTable } from './InstanceTable';
import { JobActions } from './JobActions';
import { JobConfig, JobProcesses } from './JobConfig';
import { jobType } from './jobGroups';
import { activeInstances } from './instanceRows';
import { useJob } from './useJobs';

/** One job: what it is (config, processes) and how each instance is doing, with the actions on it. */
export function JobView({ profileId, jobKey }: { profileId: string; jobKey: string }) {
  const job = useJob(profileId, jobKey);
  const [selection, setSelection] = useState<Set<number>>(() => new Set());
  const [expanded, setExpanded] = useState<Set<number>>(() => new Set());
  const toggleHistory = useCallback(
    (i: number) =>
      setExpanded((prev) => {
        const next = new Set(prev);
        if (!next.delete(i)) next.add(i);
        return next;
      }),
    [],
  );
  const instances = job.data?.instances;
  // Instances that ended since they were ticked drop out of the selection by themselves.
  const selected = useMemo(() => {
    const active = new Set(activeInstances(instances ?? []));
    return new Set([...selection].filter((i) => active.has(i)));
  }, [selection, instances]);

  if (job.isPending) return <NonIdealState icon={<Spinner size={24} />} title={`Loading ${jobKey}…`} />;
  if (job.isError && !job.data) {
    return (
      <ErrorView title={`Could not load job ${jobKey}`} error={job.error} onRetry={() => void job.refetch()} retrying={job.isFetching} />
    );
  }
  const { job: summary, processes } = job.data;

  return (
    <article className="job-view" aria-label={`Job ${summary.key}`}>
      <header className="job-view-header">
        <h2 className="job-view-title">
          <span className="muted">
            {summary.role}/{summary.environment}/
          </span>
          {summary.name}
        </h2>
        <span className="job-type">{jobType(summary)}</span>
        {summary.state === 'killed' && <span className="job-type job-type-killed">killed</span>}
        <StateCounts counts={stateCounts(summary.taskCounts)} label={`Tasks of ${summary.key} by state`} />
      </header>
      {job.isError && <StaleWarning error={job.error} asOf={job.dataUpdatedAt} what="this job" />}
      <section className="job-config panel" aria-label="Configuration">
        <JobConfig job={summary} />
        <JobProcesses processes={processes} />
      </section>
      <section className="job-instances" aria-label="Instances">
        <div className="job-instances-head">
          <h3 className="panel-title">Instances</h3>
          <JobActions
            profileId={profileId}
            job={summary}
            instances={job.data.instances}
            selected={selected}
            onDone={() => setSelection(new Set())}
          />
        </div>
        <InstanceTable
          job={summary}
          instances={job.data.instances}
          selected={selected}
          onSelectionChange={setSelection}
          expanded={expanded}
          onToggleHistory={toggleHistory}
        />
      </section>
    </article>
  );
}
