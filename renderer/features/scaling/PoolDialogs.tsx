import type { PoolView } from '../../../core/contract';
import { TrashIcon } from '../../components/icons';
import { count } from '../agents/format';
import { HoldDialog } from './HoldDialog';
import { LaunchSpecificDialog } from './LaunchSpecificDialog';
import { RemoveInstancesDialog } from './RemoveInstancesDialog';
import { ScaleDialog } from './ScaleDialog';
import { SetDesiredDialog } from './SetDesiredDialog';
import { SpotGroupDialog } from './SpotGroupDialog';

/** Which dialog of a pool is open. */
export type PoolDialog =
  { kind: 'set-desired' | 'create-spot-group' | 'launch-specific' | 'remove' | 'hold' } | { kind: 'delete-spot-group'; groupId: string };

export function PoolDialogs({
  profileId,
  pool,
  open,
  onClose,
}: {
  profileId: string;
  pool: PoolView;
  open: PoolDialog | null;
  onClose: () => void;
}) {
  const props = { profileId, pool, onClose };
  switch (open?.kind) {
    case undefined:
      return null;
    case 'set-desired':
      return <SetDesiredDialog {...props} />;
    case 'create-spot-group':
      return <SpotGroupDialog {...props} />;
    case 'launch-specific':
      return <LaunchSpecificDialog {...props} />;
    case 'remove':
      return <RemoveInstancesDialog {...props} />;
    case 'hold':
      return <HoldDialog profileId={profileId} target={{ kind: 'pool', pool: pool.name }} onClose={onClose} />;
    case 'delete-spot-group': {
      const group = pool.groups.find((g) => g.id === open.groupId);
      return (
        <ScaleDialog
          profileId={profileId}
          title={`Release spot group ${open.groupId}`}
          icon={<TrashIcon />}
          draft={{ request: { kind: 'delete-spot-group', pool: pool.name, groupId: open.groupId } }}
          onClose={onClose}
        >
          <p>
            Deletes the group and terminates its {group ? count(group.instances, 'instance') : 'instances'}
            {group && group.instanceTypes.length > 0 && ` (${group.instanceTypes.join(', ')})`}.
          </p>
        </ScaleDialog>
      );
    }
  }
}
