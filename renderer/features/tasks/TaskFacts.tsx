import type { JobSummary, Task } from '../../../core/contract';
import { hrefs } from '../../app/links';
import { CopyableText } from '../../components/CopyableText';
import { formatDuration } from '../../components/duration';
import { Facts, type Fact } from '../../components/Facts';
import { plainPendingReason } from '../../components/pendingReason';
import { formatInstant } from '../../components/RelativeTime';
import { plainMesosReason } from '../../components/taskText';

function at(t: number | null) {
  return t === null ? null : formatInstant(t);
}

/** Everything known about one attempt, in the order it is looked for during an incident. */
export function TaskFacts({
  task,
  job,
  now,
  observerUrl,
}: {
  task: Task;
  job: JobSummary | null;
  now: number;
  observerUrl?: string | undefined;
}) {
  const ports = Object.entries(task.ports);
  const ran =
    task.startedAt === null ? null : formatDuration((task.endedAt ?? now) - task.startedAt) + (task.endedAt === null ? ' so far' : '');
  const facts: Fact[] = [
    [
      'Job',
      <a key="j" href={hrefs.job(task.jobKey)}>
        {task.jobKey}
      </a>,
    ],
    ['Instance', String(task.instance)],
    [
      'Agent',
      task.agentId && task.agentHost ? (
        <a key="a" href={hrefs.agent(task.agentId)}>
          {task.agentHost}
        </a>
      ) : null,
    ],
    ['Ports', ports.length === 0 ? null : <span className="mono">{ports.map(([n, p]) => `${n}=${p}`).join('  ')}</span>],
    ['Failure count', String(task.failureCount), 'Failures of this instance so far, carried from attempt to attempt'],
    [
      'Previous attempt',
      task.ancestorId ? (
        <a key="p" href={hrefs.task(task.ancestorId)} className="mono">
          {task.ancestorId}
        </a>
      ) : (
        <span className="muted">none: this is the first attempt</span>
      ),
    ],
    ['Exit code', task.exitCode === null ? null : <strong>{task.exitCode}</strong>],
    [
      'Mesos reason',
      task.reason ? (
        <span>
          {plainMesosReason(task.reason)} <span className="mono muted">{task.reason}</span>
        </span>
      ) : null,
    ],
    ['Message', task.message],
  ];
  if (task.state === 'PENDING') {
    facts.push([
      'Pending reason',
      <span key="pr">
        {plainPendingReason(task.pendingReason, job ?? {})} <span className="mono muted">{task.pendingReason}</span>
      </span>,
    ]);
  }
  facts.push(
    [
      'Sandbox',
      task.sandboxDir ? <CopyableText key="s" text={task.sandboxDir} label="sandbox path" truncate="wrap" /> : null,
      'The attempt’s sandbox directory on its agent: stdout and stderr are in it',
    ],
    ...(observerUrl
      ? [
          [
            'Thermos observer',
            <CopyableText key="o" text={observerUrl} label="Thermos observer URL" truncate="wrap" />,
            'The task’s page on its agent’s Thermos observer, for a browser on the cluster’s network',
          ] as Fact,
        ]
      : []),
    ['Created', at(task.createdAt)],
    ['Started', at(task.startedAt)],
    ['Ended', at(task.endedAt)],
    ['Ran for', ran],
  );
  return <Facts items={facts} label="Task facts" />;
}
