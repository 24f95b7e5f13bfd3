import { Button, NonIdealState, Spinner } from '@blueprintjs/core';
import { useMemo } from 'react';
import type { ProfileSummary } from '../../../core/contract';
import { useProfiles } from '../../api/queries';
import { WithProfile } from '../../app/profile';
import { ErrorView } from '../../components/ErrorView';
import { RefreshIcon } from '../../components/icons';
import { formatInstant } from '../../components/RelativeTime';
import { StaleWarning } from '../../components/StaleWarning';
import { ApiError } from '../../api/errors';
import { count } from '../agents/format';
import { AgentTypeUsage, typeRows } from './AgentTypeUsage';
import { LatestFailures } from './LatestFailures';
import { JobsNeedingAttention } from './JobsNeedingAttention';
import { TaskStateSummary } from './TaskStateSummary';
import { useJobList } from '../jobs/useJobs';
import { useOverview } from './useOverview';
import './overview.css';

export function OverviewScreen() {
  return <WithProfile>{(profile) => <OverviewOfProfile profile={profile} />}</WithProfile>;
}

function OverviewOfProfile({ profile }: { profile: ProfileSummary }) {
  const overview = useOverview(profile.id);
  const jobs = useJobList(profile.id);
  const pools = useProfiles().data?.profiles.find((p) => p.id === profile.id)?.pools;
  const types = useMemo(() => typeRows(overview.data?.agentsByType ?? [], pools ?? []), [overview.data, pools]);

  if (overview.isPending) return <NonIdealState icon={<Spinner size={32} />} title={`Loading ${profile.name}…`} />;
  if (overview.isError && !overview.data) {
    return (
      <ErrorView
        title={`Could not load the overview of profile ${profile.name}`}
        error={overview.error}
        onRetry={() => void overview.refetch()}
        retrying={overview.isFetching}
      />
    );
  }
  const data = overview.data;
  const agents = data.agentsByType.reduce((n, t) => n + t.agents, 0);
  const tasks = Object.values(data.tasksByState).reduce((n, c) => n + c, 0);

  return (
    <section className="overview" aria-label="Overview">
      <header className="screen-header">
        <h1 className="screen-title">Overview</h1>
        <span className="screen-summary">
          {count(agents, 'agent')} · {count(tasks, 'task')}
        </span>
        <span className="screen-asof muted" title={formatInstant(data.asOf)}>
          as of {formatInstant(data.asOf).slice(11, 19)}
        </span>
        <Button
          size="small"
          variant="minimal"
          icon={<RefreshIcon />}
          aria-label="Refresh overview"
          title="Refresh"
          loading={overview.isFetching}
          onClick={() => void overview.refetch()}
        />
      </header>
      {overview.isError && <StaleWarning error={overview.error} asOf={data.asOf} what="the overview" />}
      {!overview.isError && data.unreachable && (
        <StaleWarning error={new ApiError(data.unreachable)} asOf={data.asOf} what="the overview" />
      )}
      <div className="overview-top">
        <section className="panel overview-agents" aria-labelledby="ov-agents">
          <h2 id="ov-agents" className="panel-title">
            Agents by slave type <span className="panel-note muted">used / total</span>
          </h2>
          <AgentTypeUsage rows={types} />
        </section>
        <section className="panel overview-tasks" aria-labelledby="ov-tasks">
          <h2 id="ov-tasks" className="panel-title">
            Tasks by state <span className="panel-note muted">current attempt of every instance</span>
          </h2>
          <TaskStateSummary counts={data.tasksByState} />
          <h2 className="panel-title overview-attention-title">
            Jobs needing attention <span className="panel-note muted">failed, lost or waiting tasks</span>
          </h2>
          {jobs.data ? (
            <JobsNeedingAttention jobs={jobs.data.jobs} />
          ) : (
            <p className="muted">{jobs.isError ? 'Could not load the jobs.' : 'Loading…'}</p>
          )}
        </section>
      </div>
      <section className="overview-failures" aria-labelledby="ov-failures">
        <h2 id="ov-failures" className="panel-title">
          Latest failures <span className="panel-note muted">failed and lost attempts, newest first · click to open</span>
        </h2>
        <LatestFailures tasks={data.latestFailures} />
      </section>
    </section>
  );
}
