import { AnchorButton, Breadcrumbs, Callout, HTMLTable, NonIdealState, Spinner } from '@blueprintjs/core';
import { useState } from 'react';
import type { ProfileSummary, SandboxEntry } from '../../../core/contract';
import { hrefs } from '../../app/links';
import { WithProfile } from '../../app/profile';
import { useRouteParam } from '../../app/route';
import { ErrorView } from '../../components/ErrorView';
import { ArrowLeftIcon, CaretDownIcon, CaretUpIcon } from '../../components/icons';
import { RelativeTime } from '../../components/RelativeTime';
import { humanSize } from '../logs/format';
import { ProcessLogs } from './ProcessLogs';
import { sortEntries, useSandboxList, type SortKey } from './useSandbox';
import './sandbox.css';

export function SandboxScreen() {
  const [taskId] = useRouteParam('id');
  const [path] = useRouteParam('path');
  if (!taskId) return <NonIdealState title="No task chosen" description="Open a sandbox from a task." />;
  return <WithProfile>{(profile) => <SandboxOfTask profile={profile} taskId={taskId} path={path} />}</WithProfile>;
}

function crumbs(taskId: string, path: string) {
  const parts = path ? path.split('/') : [];
  return [
    { text: 'run directory', href: hrefs.sandbox(taskId) },
    ...parts.map((name, i) => ({ text: name, href: hrefs.sandbox(taskId, parts.slice(0, i + 1).join('/')) })),
  ];
}

function SandboxOfTask({ profile, taskId, path }: { profile: ProfileSummary; taskId: string; path: string }) {
  const list = useSandboxList(profile.id, taskId, path);
  const [sort, setSort] = useState<SortKey>('name');
  const [desc, setDesc] = useState(false);
  const by = (key: SortKey) => () => {
    if (key === sort) setDesc(!desc);
    else {
      setSort(key);
      setDesc(key !== 'name');
    }
  };
  const arrow = (key: SortKey) => (key !== sort ? null : desc ? <CaretDownIcon /> : <CaretUpIcon />);

  return (
    <article className="sandbox-screen" aria-label={`Sandbox of ${taskId}`}>
      <header className="sandbox-header">
        <AnchorButton href={hrefs.task(taskId)} variant="minimal" size="small" icon={<ArrowLeftIcon />} text="Task" />
        <h1 className="screen-title">Sandbox</h1>
        <span className="sandbox-task">{taskId}</span>
      </header>
      <Breadcrumbs items={crumbs(taskId, path)} className="sandbox-crumbs" />
      {path === '' && <ProcessLogs profileId={profile.id} taskId={taskId} />}
      {list.isPending && <NonIdealState icon={<Spinner size={24} />} title="Listing…" />}
      {list.isError && !list.data && (
        <ErrorView
          title={`Could not list ${path || 'the run directory'}`}
          error={list.error}
          onRetry={() => void list.refetch()}
          retrying={list.isFetching}
        />
      )}
      {list.data && (
        <section className="panel sandbox-listing" aria-label="Files">
          {list.data.truncated && (
            <Callout compact intent="warning">
              Only the first 10,000 entries are listed.
            </Callout>
          )}
          <HTMLTable compact striped interactive className="sandbox-table" aria-label={`Files in ${path || 'the run directory'}`}>
            <thead>
              <tr>
                <th>
                  <button type="button" className="sort-header" onClick={by('name')}>
                    Name {arrow('name')}
                  </button>
                </th>
                <th className="num">
                  <button type="button" className="sort-header" onClick={by('size')}>
                    Size {arrow('size')}
                  </button>
                </th>
                <th>
                  <button type="button" className="sort-header" onClick={by('mtime')}>
                    Modified {arrow('mtime')}
                  </button>
                </th>
                <th>Mode</th>
              </tr>
            </thead>
            <tbody>
              {path !== '' && (
                <tr>
                  <td colSpan={4}>
                    <a href={hrefs.sandbox(taskId, path.split('/').slice(0, -1).join('/'))}>.. (up)</a>
                  </td>
                </tr>
              )}
              {sortEntries(list.data.entries, sort, desc).map((e) => (
                <EntryRow key={e.path} entry={e} taskId={taskId} />
              ))}
              {list.data.entries.length === 0 && (
                <tr>
                  <td colSpan={4} className="muted">
                    Empty directory
                  </td>
                </tr>
              )}
            </tbody>
          </HTMLTable>
        </section>
      )}
    </article>
  );
}

function EntryRow({ entry, taskId }: { entry: SandboxEntry; taskId: string }) {
  const href = entry.kind === 'dir' ? hrefs.sandbox(taskId, entry.path) : hrefs.log(taskId, entry.path);
  return (
    <tr>
      <td className="sandbox-name">
        {entry.kind === 'other' ? <span>{entry.name}</span> : <a href={href}>{entry.kind === 'dir' ? `${entry.name}/` : entry.name}</a>}
      </td>
      <td className="num">{entry.kind === 'dir' ? '' : humanSize(entry.size)}</td>
      <td>
        <RelativeTime at={entry.mtime} />
      </td>
      <td className="mono muted">{entry.mode}</td>
    </tr>
  );
}
