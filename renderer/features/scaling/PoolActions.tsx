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
  // The host refuses to hold a fixed pool (HOLD_INVALID): nothing would ever take its machines down.
  const holdWhy = pool.kind === 'fixed' ? `${pool.name} is never scaled by the console, so holding it changes nothing` : null;
  const reasons = whyLines(up, down, holdWhy);

  return (
    <div className="pool-actions-area">
      <div className="pool-actions" role="toolbar" aria-label={`Actions on ${pool.name}`}>
        {(pool.kind === 'on-demand' || pool.kind === 'fixed') && (
          <ActionButton
            size="small"
            icon={<ArrowsVerticalIcon />}
            text="Scale…"
            disabledReason={pool.kind === 'fixed' ? (up ?? down ?? notAllowed) : either}
            onClick={() => onOpen({ kind: 'set-desired' })}
          />
        )}
        {pool.kind === 'spot' && (
          <ActionButton
            size="small"
            icon={<AddIcon />}
            text="New spot group…"
            disabledReason={up}
            onClick={() => onOpen({ kind: 'create-spot-group' })}
          />
        )}
        {pool.kind === 'specific' && (
          <ActionButton
            size="small"
            icon={<AddIcon />}
            text="Launch instance…"
            disabledReason={up}
            onClick={() => onOpen({ kind: 'launch-specific' })}
          />
        )}
        {pool.kind !== 'fixed' && (
          <ActionButton
            size="small"
            icon={<TrashIcon />}
            text="Remove instances…"
            disabledReason={removeWhy}
            onClick={() => onOpen({ kind: 'remove' })}
          />
        )}
        <ActionButton
          size="small"
          variant="minimal"
          icon={<LockIcon />}
          text="Hold…"
          disabledReason={holdWhy}
          onClick={() => onOpen({ kind: 'hold' })}
        />
      </div>
      {reasons.length > 0 && (
        <ul className="pool-why" aria-label={`Why some actions on ${pool.name} are disabled`}>
          {reasons.map((r) => (
            <li key={r.why}>
              {r.what && <strong>{r.what}: </strong>}
              {r.why}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * One line per reason. A reason that stops scaling both ways is written on its own (the pool
 * cannot be scaled at all); the others say which action they are about.
 */
function whyLines(up: string | null, down: string | null, hold: string | null): { what: string | null; why: string }[] {
  if (up && up === down) return [{ what: null, why: up }, ...(hold ? [{ what: 'Holding', why: hold }] : [])];
  const lines: { what: string | null; why: string }[] = [];
  if (up) lines.push({ what: 'Scaling up', why: up });
  if (down) lines.push({ what: 'Scaling down', why: down });
  if (hold) lines.push({ what: 'Holding', why: hold });
  return lines;
}
