import { AnchorButton, Callout, NonIdealState, Spinner } from '@blueprintjs/core';
import type { ProfileSummary, Task } from '../../../core/contract';
import { hrefs } from '../../app/links';
import { useCapabilities, WithProfile } from '../../app/profile';
import { useRouteParam } from '../../app/route';
import { CopyableText } from '../../components/CopyableText';
import { ErrorView } from '../../components/ErrorView';
import { ArrowLeftIcon } from '../../components/icons';
import { useNow } from '../../components/RelativeTime';
import { StaleWarning } from '../../components/StaleWarning';
import { StateTag } from '../../components/StateTag';
import { stateFamily } from '../../components/taskStates';
import { endingText } from '../../components/taskText';
import { useJob } from '../jobs/useJobs';
import { TaskFacts } from './TaskFacts';
import { TaskTimeline } from './TaskTimeline';
import { useTask } from './useTask';
import './tasks.css';

export function TaskScreen() {
  const [taskId] = useRouteParam('id');
  if (!taskId) return <NonIdealState title="No task chosen" description="Open a task from a job or from the Overview." />;
  return <WithProfile>{(profile) => <TaskOfProfile profile={profile} taskId={taskId} />}</WithProfile>;
}

function TaskOfProfile({ profile, taskId }: { profile: ProfileSummary; taskId: string }) {
  const task = useTask(profile.id, taskId);
  const jobKey = task.data?.task.jobKey ?? '';
  const job = useJob(profile.id, jobKey);
  const now = useNow();
  const observer = useCapabilities()?.observer.ok === true;

  if (task.isPending) return <NonIdealState icon={<Spinner size={24} />} title="Loading the task…" />;
  if (task.isError && !task.data) {
    return (
      <ErrorView
        title={`Could not load task ${taskId}`}
        error={task.error}
        onRetry={() => void task.refetch()}
        retrying={task.isFetching}
      />
    );
  }
  const t = task.data.task;
  const current = job.data?.instances.find((i) => i.instance === t.instance)?.current;

  return (
    <article className="task-screen" aria-label={`Task ${t.taskId}`}>
      <header className="task-header">
        <AnchorButton href={hrefs.job(t.jobKey)} variant="minimal" size="small" icon={<ArrowLeftIcon />} text={t.jobKey} />
        <h1 className="screen-title">
          Instance {t.instance} <StateTag state={t.state} />
        </h1>
        <CopyableText text={t.taskId} label="task id" />
        {t.sandboxDir !== null && (
          <span className="task-logs">
            <AnchorButton
              href={hrefs.lastStderr(t.taskId)}
              size="small"
              intent={stateFamily(t.state) === 'failed' ? 'danger' : 'none'}
              text="stderr"
            />
            <AnchorButton href={hrefs.sandbox(t.taskId)} size="small" text="Sandbox" />
          </span>
        )}
      </header>
      {task.isError && <StaleWarning error={task.error} asOf={task.dataUpdatedAt} what="this attempt" />}
      <Outcome task={t} />
      {current && current.taskId !== t.taskId && (
        <Callout compact intent="primary" className="task-newer">
          This is an earlier attempt. The current attempt of instance {t.instance} is <StateTag state={current.state} />{' '}
          <a href={hrefs.task(current.taskId)}>open it</a>
        </Callout>
      )}
      <div className="task-body">
        <section className="panel task-facts" aria-labelledby="task-facts">
          <h2 id="task-facts" className="panel-title">
            Attempt
          </h2>
          <TaskFacts task={t} job={job.data?.job ?? null} now={now} observerUrl={observer ? task.data?.observerUrl : undefined} />
        </section>
        <section className="panel task-timeline" aria-labelledby="task-timeline">
          <h2 id="task-timeline" className="panel-title">
            State timeline
          </h2>
          <TaskTimeline events={task.data.events} now={now} />
        </section>
      </div>
    </article>
  );
}

/** How a failed or lost attempt ended, first and in red: the one line the engineer came for. */
function Outcome({ task }: { task: Task }) {
  const family = stateFamily(task.state);
  if (family !== 'failed') return null;
  return (
    <Callout intent="danger" className="task-outcome" title={`${task.state}: ${endingText(task) || 'no reason recorded'}`}>
      Its last process's stderr is one click away (stderr, above); the sandbox holds the rest.
    </Callout>
  );
}
