import { Button, Checkbox } from '@blueprintjs/core';
import type { JobSummary, Task } from '../../../core/contract';
import { hrefs } from '../../app/links';
import type { Column } from '../../components/columns';
import { ChevronDownIcon, ChevronRightIcon } from '../../components/icons';
import { plainPendingReason, plainThrottle } from '../../components/pendingReason';
import { RelativeTime } from '../../components/RelativeTime';
import { StateTag } from '../../components/StateTag';
import { isTerminal } from '../../components/taskStates';
import { endingText } from '../../components/taskText';
import { rowTask, type InstanceRow } from './instanceRows';

export interface InstanceColumnContext {
  job: JobSummary;
  selected: ReadonlySet<number>;
  onSelect: (instance: number, on: boolean) => void;
  onToggleHistory: (instance: number) => void;
}

/** What a task is doing or how it ended, in one line of plain words (Aurora's own words in the tooltip). */
export function taskDetail(t: Task, job: Pick<JobSummary, 'constraints' | 'resources'>): { text: string; raw: string | null } {
  if (t.state === 'PENDING') return { text: plainPendingReason(t.pendingReason, job), raw: t.pendingReason };
  if (t.state === 'THROTTLED') return { text: plainThrottle(t.message), raw: t.message };
  if (isTerminal(t.state)) return { text: endingText(t) || 'ended', raw: t.reason };
  const ports = Object.entries(t.ports)
    .map(([name, port]) => `${name}=${port}`)
    .join(' ');
  return { text: [t.message, ports && `ports ${ports}`].filter(Boolean).join(' · '), raw: null };
}

export function instanceColumns(ctx: InstanceColumnContext): Column<InstanceRow>[] {
  return [
    {
      id: 'select',
      label: '',
      width: 34,
      sortable: false,
      getValue: () => null,
      render: (r) => {
        if (r.kind !== 'current') return null;
        const t = r.instance.current;
        const ended = isTerminal(t.state);
        return (
          <Checkbox
            className="instance-check"
            checked={ctx.selected.has(r.instance.instance)}
            disabled={ended}
            aria-label={`Select instance ${r.instance.instance}`}
            title={ended ? `Instance ${r.instance.instance} has ended (${t.state}): nothing to kill or restart` : undefined}
            onChange={(e) => ctx.onSelect(r.instance.instance, e.currentTarget.checked)}
          />
        );
      },
    },
    {
      id: 'instance',
      label: 'Instance',
      width: 112,
      sortable: false,
      getValue: (r) => (r.kind === 'current' ? r.instance.instance : `attempt ${r.attempt}`),
      render: (r) => {
        if (r.kind === 'attempt') {
          return (
            <a
              href={hrefs.task(r.task.taskId)}
              className="attempt-label"
              aria-label={`Open attempt ${r.attempt} of instance ${r.instance.instance}`}
            >
              attempt {r.attempt}
            </a>
          );
        }
        const earlier = r.instance.history.length;
        return (
          <span className="instance-cell">
            <a
              href={hrefs.task(r.instance.current.taskId)}
              className="instance-id"
              aria-label={`Open the task of instance ${r.instance.instance}`}
              title="Open the current attempt"
            >
              {r.instance.instance}
            </a>
            {earlier > 0 && (
              <Button
                size="small"
                variant="minimal"
                className="instance-history-toggle"
                icon={r.expanded ? <ChevronDownIcon /> : <ChevronRightIcon />}
                text={`${earlier} earlier`}
                aria-expanded={r.expanded}
                aria-label={`${r.expanded ? 'Hide' : 'Show'} the ${earlier} earlier attempt${earlier === 1 ? '' : 's'} of instance ${r.instance.instance}`}
                onClick={() => ctx.onToggleHistory(r.instance.instance)}
              />
            )}
          </span>
        );
      },
    },
    {
      id: 'state',
      label: 'State',
      width: 92,
      sortable: false,
      getValue: (r) => rowTask(r).state,
      render: (r) => <StateTag state={rowTask(r).state} />,
    },
    {
      id: 'agent',
      label: 'Agent',
      width: 110,
      fitContent: true,
      sortable: false,
      getValue: (r) => rowTask(r).agentHost,
      render: (r) => {
        const t = rowTask(r);
        return t.agentId && t.agentHost ? <a href={hrefs.agent(t.agentId)}>{t.agentHost}</a> : null;
      },
    },
    {
      id: 'detail',
      label: 'Why / how it ended',
      description: 'Pending: why it is not placed. Ended: exit code, Mesos reason, message.',
      width: 200,
      grow: 1,
      sortable: false,
      getValue: (r) => {
        const d = taskDetail(rowTask(r), ctx.job);
        return d.raw && d.raw !== d.text ? `${d.text} (${d.raw})` : d.text;
      },
      render: (r) => {
        const d = taskDetail(rowTask(r), ctx.job);
        // Plain words first; Aurora's or Mesos' own words beneath, for searching a runbook.
        return (
          <span className="task-detail">
            <span className="task-detail-text">{d.text}</span>
            {d.raw && d.raw !== d.text && <span className="task-detail-raw muted">{d.raw}</span>}
          </span>
        );
      },
    },
    {
      id: 'logs',
      label: 'Logs',
      description: "The stderr of the attempt's last process, at its end",
      width: 56,
      sortable: false,
      getValue: () => null,
      render: (r) => {
        const t = rowTask(r);
        return t.sandboxDir === null ? null : (
          <a href={hrefs.lastStderr(t.taskId)} className="stderr-link" aria-label={`stderr of ${t.taskId}`}>
            stderr
          </a>
        );
      },
    },
    {
      id: 'failures',
      label: 'Failures',
      description: 'Failures so far, across attempts',
      width: 66,
      align: 'end',
      sortable: false,
      getValue: (r) => rowTask(r).failureCount,
    },
    {
      id: 'since',
      label: 'Since',
      description: 'When the attempt ended, or started, or (if it never started) was created',
      width: 128,
      sortable: false,
      getValue: (r) => {
        const t = rowTask(r);
        return t.endedAt ?? t.startedAt ?? t.createdAt;
      },
      render: (r) => {
        const t = rowTask(r);
        const [word, at] =
          t.endedAt !== null ? ['ended', t.endedAt] : t.startedAt !== null ? ['started', t.startedAt] : ['created', t.createdAt];
        return (
          <span>
            <span className="muted">{word}</span> <RelativeTime at={at} />
          </span>
        );
      },
    },
  ];
}
