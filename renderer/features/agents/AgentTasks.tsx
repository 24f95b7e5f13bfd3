import { NonIdealState, Spinner } from '@blueprintjs/core';
import { hrefs } from '../../app/links';
import { ErrorView } from '../../components/ErrorView';
import { RelativeTime } from '../../components/RelativeTime';
import { StateTag } from '../../components/StateTag';
import { useTaskList } from '../tasks/useTask';

const limit = 200;

/** The active tasks on one agent, newest first, each opening its task page. */
export function AgentTasks({ profileId, agentId }: { profileId: string; agentId: string }) {
  const tasks = useTaskList(profileId, { agentId, limit });
  if (tasks.isPending) return <NonIdealState icon={<Spinner size={20} />} title="Loading tasks…" layout="horizontal" />;
  if (tasks.isError && !tasks.data) {
    return <ErrorView title="Could not load the tasks on this agent" error={tasks.error} onRetry={() => void tasks.refetch()} />;
  }
  const list = tasks.data.tasks;
  if (list.length === 0) return <p className="muted">No active tasks on this agent.</p>;
  return (
    <>
      <table className="agent-tasks" aria-label="Tasks on this agent">
        <thead>
          <tr>
            <th scope="col">Job / instance</th>
            <th scope="col">State</th>
            <th scope="col">Since</th>
          </tr>
        </thead>
        <tbody>
          {list.map((t) => (
            <tr key={t.taskId}>
              <td>
                <a href={hrefs.task(t.taskId)} className="task-link" title={`${t.jobKey}/${t.instance} (${t.taskId})`}>
                  {t.jobKey.split('/').pop()}
                  <span className="task-link-instance">/{t.instance}</span>
                </a>{' '}
                <span className="muted agent-task-owner">{t.jobKey.split('/').slice(0, 2).join('/')}</span>
              </td>
              <td>
                <StateTag state={t.state} />
              </td>
              <td>
                <RelativeTime at={t.startedAt ?? t.updatedAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.length === limit && <p className="muted">The {limit} newest tasks are shown.</p>}
    </>
  );
}
