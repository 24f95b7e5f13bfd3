import { Callout } from '@blueprintjs/core';
import type { PlannedRemoval, ScalePlan } from '../../../core/contract';
import { formatDuration } from '../../components/duration';
import { ErrorIcon } from '../../components/icons';
import { StateTag } from '../../components/StateTag';
import { count } from '../agents/format';
import { lostTasks } from './format';

/**
 * What a scaling request would do, as the host planned it: the change in one sentence, each
 * machine added and removed, the tasks each removal would lose, and why it cannot run if it
 * cannot. Nothing here is computed on this side; it is the plan `scaling.run` will carry out.
 */
export function PlanPreview({ plan, stale }: { plan: ScalePlan; stale: boolean }) {
  const lost = lostTasks(plan);
  return (
    <section className={stale ? 'plan plan-stale' : 'plan'} aria-label="Plan" aria-busy={stale}>
      <p className="plan-summary">
        <strong data-testid="plan-summary">{plan.summary}</strong>
        <span className="plan-counts" aria-label="Nodes now and after">
          nodes {plan.current} → {plan.target}
        </span>
      </p>
      {plan.refusals.length > 0 && (
        <Callout intent="danger" icon={<ErrorIcon />} compact title="This cannot run as asked" className="plan-refusals" role="alert">
          <ul aria-label="Refusals">
            {plan.refusals.map((r, i) => (
              <li key={i}>{r}</li>
            ))}
          </ul>
        </Callout>
      )}
      {plan.add.length > 0 && (
        <div className="plan-part">
          <h3 className="plan-part-title">Adds {count(plan.add.length, 'node')}</h3>
          <ul className="plan-list" aria-label="Nodes added">
            {plan.add.map((a, i) => (
              <li key={i}>
                <span className="mono">{a.instanceType}</span>
                {a.name && <span className="plan-name">{a.name}</span>}
              </li>
            ))}
          </ul>
          <p className="muted plan-note">Waits up to {formatDuration(plan.timeoutMs)} for the new nodes to register as agents.</p>
        </div>
      )}
      {plan.remove.length > 0 && (
        <div className="plan-part">
          <h3 className="plan-part-title">
            Removes {count(plan.remove.length, 'node')}
            {lost > 0 && <span className="plan-lost-total"> · {count(lost, 'running task')} LOST</span>}
          </h3>
          <ul className="plan-list" aria-label="Nodes removed">
            {plan.remove.map((r) => (
              <Removal key={r.instanceId} removal={r} />
            ))}
          </ul>
        </div>
      )}
      {plan.add.length === 0 && plan.remove.length === 0 && plan.refusals.length === 0 && (
        <p className="muted">No machine is added or removed.</p>
      )}
    </section>
  );
}

function Removal({ removal: r }: { removal: PlannedRemoval }) {
  return (
    <li className="plan-removal">
      <div>
        <span className="mono">{r.instanceId}</span>
        {r.name && r.name !== r.instanceId && <span className="plan-name">{r.name}</span>}
        <span className="muted"> · {r.instanceType}</span>
        {r.hostname && <span className="muted"> · agent {r.hostname}</span>}
        {!r.agentId && <span className="muted"> · no agent</span>}
      </div>
      {r.tasks.length === 0 ? (
        <div className="muted plan-tasks-none">no running tasks</div>
      ) : (
        <ul className="plan-tasks" aria-label={`Tasks lost on ${r.instanceId}`}>
          {r.tasks.map((t) => (
            <li key={t.taskId}>
              <span className="task-link" title={t.taskId}>
                {t.jobKey}
                <span className="task-link-instance">/{t.instance}</span>
              </span>{' '}
              <StateTag state={t.state} /> <span className="plan-lost">→ LOST</span>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}
