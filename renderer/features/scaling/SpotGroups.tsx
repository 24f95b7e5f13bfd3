import type { PoolView } from '../../../core/contract';
import { ActionButton } from '../../components/ActionButton';
import { TrashIcon } from '../../components/icons';

/** The spot groups of a pool, one per run, each released as a whole. */
export function SpotGroups({ pool, onRelease }: { pool: PoolView; onRelease: (groupId: string) => void }) {
  if (pool.groups.length === 0) return <p className="muted pool-groups-none">No spot groups.</p>;
  const why = pool.scaleDown.allowed ? null : (pool.scaleDown.why ?? 'Scaling down is not allowed now');
  return (
    <table className="pool-groups" aria-label={`Spot groups of ${pool.name}`}>
      <thead>
        <tr>
          <th scope="col">Group</th>
          <th scope="col" className="pick-num">
            Nodes
          </th>
          <th scope="col">Types</th>
          <th scope="col" aria-label="Actions" />
        </tr>
      </thead>
      <tbody>
        {pool.groups.map((g) => (
          <tr key={g.id}>
            <td className="mono">{g.id}</td>
            <td className="pick-num">{g.instances}</td>
            <td className="mono">{g.instanceTypes.join(', ')}</td>
            <td className="pool-groups-action">
              <ActionButton
                size="small"
                variant="minimal"
                intent="danger"
                icon={<TrashIcon />}
                text="Release group"
                aria-label={`Release group ${g.id}`}
                disabledReason={why}
                onClick={() => onRelease(g.id)}
              />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
