import type { Task } from '../../../core/contract';
import { hrefs } from '../../app/links';
import type { Column } from '../../components/columns';
import { RelativeTime } from '../../components/RelativeTime';
import { StateTag } from '../../components/StateTag';
import { plainMesosReason } from '../../components/taskText';

export const failureColumns: readonly Column<Task>[] = [
  {
    id: 'ended',
    label: 'Ended',
    width: 86,
    getValue: (t) => t.endedAt ?? t.updatedAt,
    render: (t) => <RelativeTime at={t.endedAt ?? t.updatedAt} />,
  },
  {
    id: 'task',
    label: 'Job / instance',
    description: 'role/environment/name/instance; opens the failed attempt',
    width: 260,
    fitContent: true,
    getValue: (t) => `${t.jobKey}/${t.instance}`,
    render: (t) => (
      <a href={hrefs.task(t.taskId)} className="task-link" title={`Open task ${t.taskId}`}>
        {t.jobKey}
        <span className="task-link-instance">/{t.instance}</span>
      </a>
    ),
  },
  {
    id: 'stderr',
    label: 'Logs',
    description: "Opens the stderr of the attempt's last process, at its end",
    width: 60,
    getValue: () => null,
    render: (t) => (
      <a href={hrefs.lastStderr(t.taskId)} className="stderr-link" title={`stderr of ${t.taskId}`}>
        stderr
      </a>
    ),
  },
  { id: 'state', label: 'State', width: 76, getValue: (t) => t.state, render: (t) => <StateTag state={t.state} /> },
  { id: 'exit', label: 'Exit', width: 44, align: 'end', getValue: (t) => t.exitCode },
  {
    id: 'reason',
    label: 'Reason',
    description: 'The Mesos reason, in plain words (the raw name is in the tooltip)',
    width: 150,
    getValue: (t) => t.reason,
    render: (t) => <span title={t.reason ?? undefined}>{plainMesosReason(t.reason)}</span>,
  },
  { id: 'message', label: 'Message', width: 220, grow: 2, getValue: (t) => t.message },
  {
    id: 'agent',
    label: 'Agent',
    width: 200,
    grow: 1,
    getValue: (t) => t.agentHost,
    render: (t) => (t.agentId && t.agentHost ? <a href={hrefs.agent(t.agentId)}>{t.agentHost}</a> : null),
  },
];
