import { Button, InputGroup, NonIdealState, Spinner } from '@blueprintjs/core';
import { useMemo, useState } from 'react';
import type { ProfileSummary } from '../../../core/contract';
import { usePreference } from '../../app/preferences';
import { useCapabilities, WithProfile } from '../../app/profile';
import { useRouteParam } from '../../app/route';
import { ErrorView } from '../../components/ErrorView';
import { AddIcon, CrossIcon, LayersIcon, RefreshIcon, SearchIcon } from '../../components/icons';
import { StaleWarning } from '../../components/StaleWarning';
import { ActionButton } from '../../components/ActionButton';
import { ApiError } from '../../api/errors';
import { count } from '../agents/format';
import { CreateJobDialog } from './CreateJobDialog';
import { jobTreeRows, matchesFilter } from './jobGroups';
import { JobTree } from './JobTree';
import { JobView } from './JobView';
import { useJobList } from './useJobs';
import './jobs.css';

export function JobsScreen() {
  return <WithProfile>{(profile) => <JobsOfProfile profile={profile} />}</WithProfile>;
}

const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

function JobsOfProfile({ profile }: { profile: ProfileSummary }) {
  const jobs = useJobList(profile.id);
  const [selected] = useRouteParam('job');
  const [text, setText] = useRouteParam('q');
  const [state, setState] = useRouteParam('state');
  const [collapsedList, setCollapsed] = usePreference<string[]>('jobs.collapsed', [], isStringList);
  const [creating, setCreating] = useState(false);

  // Some clusters take jobs from their own client (Aurora's); the console then only reads and kills them.
  const createJobs = useCapabilities()?.createJobs ?? null;
  const createWhy = createJobs && !createJobs.ok ? (createJobs.reason ?? 'This cluster does not take jobs from the console') : null;
  const collapsed = useMemo(() => new Set(collapsedList), [collapsedList]);
  const all = jobs.data?.jobs;
  const shown = useMemo(() => (all ?? []).filter((j) => matchesFilter(j, { text, state })), [all, text, state]);
  const rows = useMemo(() => jobTreeRows(shown, collapsed), [shown, collapsed]);
  const toggle = (id: string) => setCollapsed(collapsed.has(id) ? collapsedList.filter((c) => c !== id) : [...collapsedList, id]);

  const list = () => {
    if (jobs.isPending) return <NonIdealState icon={<Spinner size={24} />} title="Loading jobs…" />;
    if (jobs.isError && !jobs.data) {
      return (
        <ErrorView title="Could not load the jobs" error={jobs.error} onRetry={() => void jobs.refetch()} retrying={jobs.isFetching} />
      );
    }
    if (jobs.data.jobs.length === 0) {
      return (
        <NonIdealState
          icon={<LayersIcon size={32} />}
          title="No jobs yet"
          description={createJobs?.ok ? 'Create one from an Aurora JSON job file.' : 'The scheduler lists no jobs for this cluster.'}
          action={createJobs?.ok ? <Button icon={<AddIcon />} text="Create job" onClick={() => setCreating(true)} /> : undefined}
        />
      );
    }
    if (rows.length === 0) {
      return <NonIdealState title="No jobs match" action={<Button text="Clear filters" onClick={() => (setText(''), setState(''))} />} />;
    }
    return <JobTree rows={rows} selectedKey={selected} onToggle={toggle} />;
  };

  return (
    <section className="jobs" aria-label="Jobs">
      <header className="screen-header">
        <h1 className="screen-title">Jobs</h1>
        {all && (
          <span className="screen-summary" data-testid="jobs-summary">
            {shown.length === all.length ? count(all.length, 'job') : `${count(shown.length)} of ${count(all.length, 'job')}`}
          </span>
        )}
        <span className="screen-asof" />
        {createJobs && (
          <ActionButton icon={<AddIcon />} text="Create job" intent="primary" disabledReason={createWhy} onClick={() => setCreating(true)} />
        )}
        <Button
          size="small"
          variant="minimal"
          icon={<RefreshIcon />}
          aria-label="Refresh jobs"
          title="Refresh"
          loading={jobs.isFetching}
          onClick={() => void jobs.refetch()}
        />
      </header>
      {jobs.isError && jobs.data && <StaleWarning error={jobs.error} asOf={jobs.data.asOf ?? jobs.dataUpdatedAt} what="the jobs" />}
      {!jobs.isError && jobs.data?.unreachable && (
        <StaleWarning error={new ApiError(jobs.data.unreachable)} asOf={jobs.data.asOf ?? jobs.dataUpdatedAt} what="the jobs" />
      )}
      <div className="jobs-body">
        <aside className="jobs-list" aria-label="Job list">
          <div className="jobs-filters">
            <InputGroup
              size="small"
              type="search"
              leftElement={<SearchIcon className="jobs-filter-icon" />}
              placeholder="Filter by role, environment or name"
              aria-label="Filter jobs"
              value={text}
              onValueChange={setText}
            />
            {state && (
              <span className="jobs-state-filter">
                Jobs with {state} tasks
                <Button
                  variant="minimal"
                  size="small"
                  icon={<CrossIcon />}
                  aria-label="Show jobs in every state"
                  onClick={() => setState('')}
                />
              </span>
            )}
          </div>
          {list()}
        </aside>
        <div className="jobs-detail">
          {selected ? (
            <JobView key={selected} profileId={profile.id} jobKey={selected} />
          ) : (
            <NonIdealState
              icon={<LayersIcon size={40} />}
              title="Pick a job"
              description="Its config, instances and attempts appear here."
            />
          )}
        </div>
      </div>
      {creating && <CreateJobDialog profileId={profile.id} onClose={() => setCreating(false)} />}
    </section>
  );
}
