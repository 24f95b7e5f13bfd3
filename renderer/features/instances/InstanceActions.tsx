import type { InstanceView } from '../../../core/contract';
import { useClusterAction } from '../../app/actions';
import { ActionButton } from '../../components/ActionButton';
import { LockIcon, UnlockIcon } from '../../components/icons';
import { scalingInvalidates } from '../scaling/actions';

/**
 * Hold one machine, or release the hold on it. A hold seen only as the machine's tag (set by
 * another console or by hand) has no id here, so it cannot be released from this window.
 */
export function InstanceActions({
  profileId,
  instance: i,
  onHold,
}: {
  profileId: string;
  instance: InstanceView;
  onHold: (i: InstanceView) => void;
}) {
  const release = useClusterAction({
    call: 'holds.release',
    profileId,
    invalidates: scalingInvalidates,
    success: () => (i.hold?.via === 'pool' ? `Released the hold on pool ${i.pool ?? ''}` : `Released the hold on ${i.id}`),
    failure: () => `Could not release the hold on ${i.hold?.via === 'pool' ? `pool ${i.pool ?? ''}` : i.id}`,
  });
  const holdId = i.hold?.id ?? null;
  const whose = i.hold?.via === 'pool' ? `pool ${i.pool ?? ''}` : i.id;
  return (
    <span className="instance-actions">
      <ActionButton
        size="small"
        variant="minimal"
        icon={<LockIcon />}
        text="Hold…"
        aria-label={`Hold ${i.id}`}
        disabledReason={i.state === 'running' || i.state === 'pending' ? null : `The instance is ${i.state}`}
        onClick={() => onHold(i)}
      />
      {holdId !== null && (
        <ActionButton
          size="small"
          variant="minimal"
          icon={<UnlockIcon />}
          text="Release"
          title={i.hold?.via === 'pool' ? `Releases the hold on the whole pool ${i.pool ?? ''}` : `Releases the hold on ${i.id}`}
          aria-label={`Release the hold on ${whose}`}
          loading={release.isPending}
          onClick={() => release.mutate({ id: holdId })}
        />
      )}
    </span>
  );
}
