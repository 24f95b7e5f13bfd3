import { NonIdealState, Spinner } from '@blueprintjs/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import type { CallOutput, ProfileSummary } from '../../../core/contract';
import { useApi } from '../../api/context';
import type { ApiError } from '../../api/errors';
import { sandboxKeys } from '../../api/keys';
import { hrefs } from '../../app/links';
import { WithProfile } from '../../app/profile';
import { replaceParams, useRouteParam } from '../../app/route';
import { ErrorView } from '../../components/ErrorView';
import { HexView } from './HexView';
import { LogFile } from './LogFile';
import { useLastStderr } from './useLastStderr';
import './logs.css';

/** `#/log?id=<task>&path=<file>[&offset=<byte>]`, or `&last=stderr` for the newest process stderr. */
export function LogScreen() {
  const [taskId] = useRouteParam('id');
  const [path] = useRouteParam('path');
  const [last] = useRouteParam('last');
  const [offset] = useRouteParam('offset');
  if (!taskId) return <NonIdealState title="No file chosen" description="Open a log from a task or its sandbox." />;
  return (
    <WithProfile>
      {(profile) =>
        last === 'stderr' && !path ? (
          <FindStderr profile={profile} taskId={taskId} />
        ) : (
          <StatThenView
            key={`${taskId} ${path} ${offset}`}
            profile={profile}
            taskId={taskId}
            path={path}
            offset={/^\d+$/.test(offset) ? Number(offset) : null}
          />
        )
      }
    </WithProfile>
  );
}

function FindStderr({ profile, taskId }: { profile: ProfileSummary; taskId: string }) {
  const found = useLastStderr(profile.id, taskId, true);
  useEffect(() => {
    if (found.data) replaceParams(new URLSearchParams({ id: taskId, path: found.data }));
  }, [found.data, taskId]);
  if (found.isError)
    return (
      <ErrorView
        title="Could not find the task's stderr"
        error={found.error}
        onRetry={() => void found.refetch()}
        retrying={found.isFetching}
      />
    );
  return <NonIdealState icon={<Spinner size={24} />} title="Finding the last process's stderr…" />;
}

function StatThenView({ profile, taskId, path, offset }: { profile: ProfileSummary; taskId: string; path: string; offset: number | null }) {
  const api = useApi();
  const file = useMemo(() => ({ taskId, path }), [taskId, path]);
  const [asText, setAsText] = useState(false);
  const stat = useQuery<CallOutput<'logs.stat'>, ApiError>({
    queryKey: sandboxKeys.stat(profile.id, taskId, path),
    queryFn: () => api.call('logs.stat', file),
  });
  const dir = path.split('/').slice(0, -1).join('/');
  const header = (
    <header className="log-header">
      <a href={hrefs.task(taskId)} className="log-task" title={`Open task ${taskId}`}>
        {taskId}
      </a>
      <span className="muted">/</span>
      <a href={hrefs.sandbox(taskId, dir)}>sandbox{dir ? `/${dir.replace(/^sandbox\/?/, '')}` : ''}</a>
      <span className="muted">/</span>
      <h1 className="screen-title log-title">{path.split('/').pop() || path}</h1>
      <span className="muted log-path" title={stat.data?.absolutePath}>
        {path}
      </span>
    </header>
  );

  if (stat.isPending) return <NonIdealState icon={<Spinner size={24} />} title="Opening the file…" />;
  if (stat.isError) {
    return (
      <article className="log-screen">
        {header}
        <ErrorView title={`Could not open ${path}`} error={stat.error} onRetry={() => void stat.refetch()} retrying={stat.isFetching} />
      </article>
    );
  }
  if (stat.data.binary && !asText) {
    return (
      <article className="log-screen" aria-label={`Bytes of ${path}`}>
        {header}
        <HexView file={file} size={stat.data.size} format={stat.data.format} onText={() => setAsText(true)} />
      </article>
    );
  }
  return (
    <article className="log-screen" aria-label={`Log ${path}`}>
      {header}
      <LogFile file={file} initialOffset={offset} />
    </article>
  );
}
