import { Button, Callout, Checkbox, Dialog, DialogBody, DialogFooter, InputGroup, Spinner } from '@blueprintjs/core';
import { useRef, useState, type ReactElement, type ReactNode } from 'react';
import type { ScalePlan, ScaleRequest } from '../../../core/contract';
import { useClusterAction } from '../../app/actions';
import { ActionButton } from '../../components/ActionButton';
import { ErrorMessage } from '../../components/ErrorMessage';
import { ErrorIcon, PlayIcon } from '../../components/icons';
import { count } from '../agents/format';
import { newIdempotencyKey, scalingInvalidates } from './actions';
import { lostTasks } from './format';
import { PlanPreview } from './PlanPreview';
import { useDebounced } from './useDebounced';
import { usePlan } from './useScaling';
import './dialogs.css';

/** A request as the form stands: complete, or what is missing. */
export type Draft = { request: ScaleRequest; problem?: undefined } | { request: null; problem: string };

interface Props {
  profileId: string;
  title: string;
  icon: ReactElement;
  draft: Draft;
  onClose: () => void;
  /** The form that builds the draft. */
  children?: ReactNode;
}

const planDelayMs = 300;

/**
 * Every scaling request goes through this dialog: plan (asked of the host as the form is
 * edited), preview, the confirmations the plan asks for, then Run. Run sends one idempotency
 * key per request, so a second press cannot start a second operation.
 */
export function ScaleDialog({ profileId, title, icon, draft, onClose, children }: Props) {
  const request = useDebounced(draft.request, planDelayMs);
  const settled = draft.request !== null && JSON.stringify(request) === JSON.stringify(draft.request);
  const plan = usePlan(profileId, request);
  const shown = plan.data?.plan;
  const current = settled && !plan.isPlaceholderData ? shown : undefined;
  const [acceptedFor, setAcceptedFor] = useState<string | null>(null);
  const [typed, setTyped] = useState('');
  const idempotency = useRef<{ key: string; sent: string | null }>({ key: newIdempotencyKey(), sent: null });
  const inFlight = useRef(false);

  const run = useClusterAction({
    call: 'scaling.run',
    profileId,
    invalidates: scalingInvalidates,
    toastErrors: false,
    success: (data) => `Started: ${data.operation.summary}`,
    // A second press with the same key is answered with the same operation: one toast for it.
    successKey: (data) => data.operation.id,
    failure: () => 'Could not start the operation',
  });

  // Accepting the loss holds for exactly the tasks shown; a new plan that loses others asks again.
  const lossKey = current ? lossSignature(current) : null;
  const accepted = lossKey !== null && acceptedFor === lossKey;
  const blocker = runBlocker(draft, current, plan.isError && settled, accepted, typed);

  const submit = () => {
    // The second click of a double click arrives before the button shows it is busy.
    if (!current || blocker || inFlight.current) return;
    const body = JSON.stringify(current.request);
    // The same request keeps its key (a retry after a lost answer is the same press); another gets a new one.
    if (idempotency.current.sent !== null && idempotency.current.sent !== body) {
      idempotency.current = { key: newIdempotencyKey(), sent: null };
    }
    idempotency.current.sent = body;
    inFlight.current = true;
    run.mutate(
      {
        request: current.request,
        idempotencyKey: idempotency.current.key,
        acceptTaskLoss: current.requires.acceptTaskLoss && accepted,
        ...(current.requires.typedName !== null ? { typedName: typed } : {}),
      },
      {
        onSuccess: onClose,
        onSettled: () => {
          inFlight.current = false;
        },
      },
    );
  };

  const lost = current ? lostTasks(current) : 0;
  const destructive = (current?.remove.length ?? 0) > 0;

  return (
    <Dialog isOpen onClose={onClose} title={title} icon={icon} className="scale-dialog" canOutsideClickClose={!run.isPending}>
      <DialogBody>
        {children && <div className="scale-form">{children}</div>}
        {draft.problem !== undefined && <p className="scale-problem">{draft.problem}</p>}
        {draft.request !== null && <PlanArea plan={shown} stale={!current} error={settled && plan.isError ? plan.error : null} />}
        {current && current.refusals.length === 0 && current.requires.acceptTaskLoss && (
          <Checkbox
            className="scale-accept"
            checked={accepted}
            onChange={(e) => setAcceptedFor(e.currentTarget.checked ? lossKey : null)}
            label={`I understand ${count(lost, 'running task')} will be lost`}
          />
        )}
        {current && current.refusals.length === 0 && current.requires.typedName !== null && (
          <label className="scale-typed">
            <span>
              This empties the pool. Type <code>{current.requires.typedName}</code> to confirm
            </span>
            <InputGroup
              size="small"
              value={typed}
              onValueChange={setTyped}
              spellCheck={false}
              aria-label={`Type ${current.requires.typedName} to confirm`}
            />
          </label>
        )}
        {run.isError && (
          <Callout intent="danger" icon={<ErrorIcon />} title="Could not start the operation" className="scale-run-error" role="alert">
            <ErrorMessage error={run.error} />
          </Callout>
        )}
      </DialogBody>
      <DialogFooter
        actions={
          <>
            <Button text="Cancel" onClick={onClose} />
            <ActionButton
              intent={destructive ? 'danger' : 'primary'}
              icon={<PlayIcon />}
              text="Run"
              loading={run.isPending}
              disabledReason={run.isPending ? 'Starting…' : blocker}
              onClick={submit}
            />
          </>
        }
      >
        {blocker && <span className="muted scale-blocker">{blocker}</span>}
      </DialogFooter>
    </Dialog>
  );
}

function PlanArea(props: { plan: ScalePlan | undefined; stale: boolean; error: unknown }) {
  if (props.error) {
    return (
      <Callout intent="danger" icon={<ErrorIcon />} title="Could not plan this request" role="alert">
        <ErrorMessage error={props.error} />
      </Callout>
    );
  }
  if (!props.plan) {
    return (
      <div className="plan plan-loading">
        <Spinner size={16} /> <span className="muted">Planning…</span>
      </div>
    );
  }
  return <PlanPreview plan={props.plan} stale={props.stale} />;
}

function lossSignature(plan: ScalePlan): string {
  return plan.remove
    .flatMap((r) => r.tasks.map((t) => t.taskId))
    .sort()
    .join(' ');
}

/** Why Run cannot be pressed now, or null when it can. */
function runBlocker(draft: Draft, plan: ScalePlan | undefined, planFailed: boolean, accepted: boolean, typed: string): string | null {
  if (draft.problem !== undefined) return draft.problem;
  if (planFailed) return 'The request could not be planned';
  if (!plan) return 'Planning…';
  if (plan.refusals.length > 0) return 'Refused: see the reasons above';
  if (plan.add.length === 0 && plan.remove.length === 0 && plan.request.kind !== 'delete-spot-group') return 'Nothing would change';
  if (plan.requires.acceptTaskLoss && !accepted)
    return `Tick the box to accept that ${count(lostTasks(plan), 'running task')} will be lost`;
  if (plan.requires.typedName !== null && typed !== plan.requires.typedName) return `Type ${plan.requires.typedName} to confirm`;
  return null;
}
