import type { HoldView } from '../../../core/contract';
import { useClusterAction } from '../../app/actions';
import { ActionButton } from '../../components/ActionButton';
import { LockIcon, UnlockIcon } from '../../components/icons';
import { formatInstant, useNow } from '../../components/RelativeTime';
import { scalingInvalidates } from './actions';
import { formatIn, holdTargetText } from './format';

/** The holds in force on a pool and its machines, each with who set it, why, and Release. */
export function PoolHolds({ profileId, pool, holds }: { profileId: string; pool: string; holds: readonly HoldView[] }) {
  const now = useNow();
  const release = useClusterAction({
    call: 'holds.release',
    profileId,
    invalidates: scalingInvalidates,
    success: () => 'Hold released',
    failure: () => 'Could not release the hold',
  });
  if (holds.length === 0) return null;
  return (
    <ul className="pool-holds" aria-label={`Holds on ${pool}`}>
      {holds.map((h) => (
        <li key={h.id} className="pool-hold">
          <LockIcon size={12} className="pool-hold-icon" />
          <span className="pool-hold-text">
            <strong>{h.target.kind === 'pool' ? 'Pool held' : `${holdTargetText(h.target)} held`}</strong>{' '}
            <span title={formatInstant(h.until)}>until {formatInstant(h.until).slice(0, 16)}</span>{' '}
            <span className="muted">({formatIn(h.until, now)})</span> · <span className="pool-hold-reason">{h.reason}</span>{' '}
            <span className="muted">· {h.actor}</span>
          </span>
          <ActionButton
            size="small"
            variant="minimal"
            icon={<UnlockIcon />}
            text="Release"
            aria-label={`Release the hold on ${holdTargetText(h.target)}`}
            loading={release.isPending && release.variables?.id === h.id}
            onClick={() => release.mutate({ id: h.id })}
          />
        </li>
      ))}
    </ul>
  );
}
