import type { PoolView } from '../../../core/contract';
import { ActionButton } from '../../components/ActionButton';
import { AddIcon, ArrowsVerticalIcon, LockIcon, TrashIcon } from '../../components/icons';
import type { PoolDialog } from './PoolDialogs';

const notAllowed = 'Not allowed now';

/**
 * The buttons of a pool, by kind; each is enabled as the host says (`scaleUp`/`scaleDown`) and
 * says why when it is not. A reason that stops the pool altogether is also written out.
 */
export function PoolActions({ pool, onOpen }: { pool: PoolView; onOpen: (dialog: PoolDialog) => void }) {
  const up = pool.scaleUp.allowed ? null : (pool.scaleUp.why ?? notAllowed);
  const down = pool.scaleDown.allowed ? null : (pool.scaleDown.why ?? notAllowed);
  const either = up && down ? up : null;
  const removeWhy = down ?? (pool.instances === 0 ? `${pool.name} has no instances` : null);
  const reasons = [...new Set([up, down].filter((r): r is string => r !== null))];

  return (
    <div className="pool-actions-area">
      <div className="pool-actions" role="toolbar" aria-label={`Actions on ${pool.name}`}>
        {(pool.kind === 'on-demand' || pool.kind === 'fixed') && (
          <ActionButton size="small" icon={<ArrowsVerticalIcon />} text="Scale…" disabledReason={pool.kind === 'fixed' ? (up ?? down ?? notAllowed) : either} onClick={() => onOpen({ kind: 'set-desired' })} />
        )}
        {pool.kind === 'spot' && (
          <ActionButton size="small" icon={<AddIcon />} text="New spot group…" disabledReason={up} onClick={() => onOpen({ kind: 'create-spot-group' })} />
        )}
        {pool.kind === 'specific' && (
          <ActionButton size="small" icon={<AddIcon />} text="Launch instance…" disabledReason={up} onClick={() => onOpen({ kind: 'launch-specific' })} />
        )}
        {pool.kind !== 'fixed' && (
          <ActionButton size="small" icon={<TrashIcon />} text="Remove instances…" disabledReason={removeWhy} onClick={() => onOpen({ kind: 'remove' })} />
        )}
        <ActionButton size="small" variant="minimal" icon={<LockIcon />} text="Hold…" onClick={() => onOpen({ kind: 'hold' })} />
      </div>
      {reasons.length > 0 && (
        <ul className="pool-why" aria-label={`Why some actions on ${pool.name} are disabled`}>
          {reasons.map((r) => (
            <li key={r}>
              {reasons.length > 1 || !(up && down) ? <strong>{r === up ? 'Scaling up: ' : 'Scaling down: '}</strong> : null}
              {r}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
