import { NonIdealState, ProgressBar, Spinner } from '@blueprintjs/core';
import type { Operation } from '../../../core/contract';
import { useClusterAction } from '../../app/actions';
import { ActionButton } from '../../components/ActionButton';
import { ErrorView } from '../../components/ErrorView';
import { BanCircleIcon } from '../../components/icons';
import { RelativeTime } from '../../components/RelativeTime';
import { scalingInvalidates } from './actions';
import { OperationStateTag } from './OperationStateTag';
import { useCountdown } from './useCountdown';
import type { useActiveOperations } from './useScaling';
import './operations.css';

interface Props {
  profileId: string;
  active: ReturnType<typeof useActiveOperations>;
  onOpen: (id: string) => void;
}

/** Operations pending or running: progress as it moves, and Cancel while nothing has been called yet. */
export function ActiveOperations({ profileId, active, onOpen }: Props) {
  if (active.isPending) return <NonIdealState icon={<Spinner size={16} />} title="Loading operations…" layout="horizontal" />;
  if (active.isError && !active.data) {
    return <ErrorView title="Could not load the running operations" error={active.error} onRetry={() => void active.refetch()} />;
  }
  const list = active.data.operations;
  if (list.length === 0) return <p className="muted ops-none">No operation is running.</p>;
  return (
    <ul className="ops-active" aria-label="Running operations">
      {list.map((op) => (
        <ActiveOperation key={op.id} profileId={profileId} op={op} onOpen={onOpen} />
      ))}
    </ul>
  );
}

function ActiveOperation({ profileId, op, onOpen }: { profileId: string; op: Operation; onOpen: (id: string) => void }) {
  const left = useCountdown(op.state === 'pending' ? op.startsAt : null);
  const cancel = useClusterAction({
    call: 'operations.cancel',
    profileId,
    invalidates: scalingInvalidates,
    success: (data) => `Cancelled: ${data.operation.summary}`,
    failure: () => `Could not cancel “${op.summary}”`,
  });
  const p = op.progress;
  const share = p && p.total > 0 ? p.done / p.total : null;
  return (
    <li className="op-active" aria-label={op.summary} data-state={op.state}>
      <div className="op-active-head">
        <OperationStateTag state={op.state} />
        <button type="button" className="op-summary link-button" onClick={() => onOpen(op.id)} title="Show its steps">
          {op.summary}
        </button>
        <span className="muted op-actor">{op.actor}</span>
        <span className="muted op-time">
          <RelativeTime at={op.createdAt} />
        </span>
      </div>
      {op.state === 'pending' ? (
        <div className="op-active-body">
          <span className="op-countdown" role="timer" aria-label="Starts in">
            {left !== null && left > 0 ? `Starts in ${Math.ceil(left / 1000)} s` : 'Starting…'}
          </span>
          <ActionButton
            size="small"
            intent="danger"
            variant="outlined"
            icon={<BanCircleIcon />}
            text="Cancel"
            aria-label={`Cancel ${op.summary}`}
            loading={cancel.isPending}
            disabledReason={left === 0 ? 'The operation is starting' : null}
            onClick={() => cancel.mutate({ id: op.id })}
          />
        </div>
      ) : (
        <div className="op-active-body">
          <ProgressBar
            className="op-progress"
            intent="primary"
            value={share ?? undefined}
            animate
            stripes={share === null || share < 1}
            aria-label={`Progress of ${op.summary}`}
          />
          <span className="op-progress-text" aria-live="polite">
            {p ? p.message || `${p.done} of ${p.total}` : 'Working…'}
          </span>
        </div>
      )}
    </li>
  );
}
