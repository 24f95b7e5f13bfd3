import { Button, HTMLSelect, InputGroup } from '@blueprintjs/core';
import { poolKind, type PoolKind } from '../../../core/contract';
import { TrashIcon } from '../../components/icons';
import type { PoolForm } from './draft';
import { poolNameField, type DefaultsContext, type PoolField } from './poolFields';

interface Props {
  index: number;
  pool: PoolForm;
  fields: readonly PoolField[];
  marked: ReadonlySet<string>;
  context: Omit<DefaultsContext, 'pool'>;
  onChange: (patch: Partial<PoolForm>) => void;
  onRemove: () => void;
}

/** One pool of the editor's table: its name and kind, then a box per field shown. */
export function PoolRow({ index, pool, fields, marked, context, onChange, onRemove }: Props) {
  const what = pool.name.trim() || `pool ${index + 1}`;
  return (
    <tr>
      <FieldCell field={poolNameField} pool={pool} index={index} marked={marked} context={context} onChange={onChange} />
      <td className="pool-col-kind">
        <HTMLSelect
          value={pool.kind}
          onChange={(e) => onChange({ kind: e.currentTarget.value as PoolKind })}
          options={poolKind.options.map((k) => ({ value: k, label: k }))}
          aria-label={`Pool ${index + 1} kind`}
          className={marked.has(`pools[${index}].kind`) ? 'pool-marked' : undefined}
          fill
        />
      </td>
      {fields.map((f) => (
        <FieldCell key={f.id} field={f} pool={pool} index={index} marked={marked} context={context} onChange={onChange} />
      ))}
      <td className="pool-col-remove">
        <Button
          variant="minimal"
          size="small"
          icon={<TrashIcon />}
          aria-label={`Remove ${what}`}
          title={`Remove ${what}`}
          onClick={onRemove}
        />
      </td>
    </tr>
  );
}

interface CellProps {
  field: PoolField;
  pool: PoolForm;
  index: number;
  marked: ReadonlySet<string>;
  context: Omit<DefaultsContext, 'pool'>;
  onChange: (patch: Partial<PoolForm>) => void;
}

function FieldCell({ field: f, pool, index, marked, context, onChange }: CellProps) {
  const value = pool[f.id];
  // A field this kind of pool does not use is off, unless it holds something to clear.
  const unused = !f.usedBy.includes(pool.kind) && value.trim() === '';
  return (
    <td className={f.className}>
      <InputGroup
        size="small"
        className={f.mono ? 'mono' : undefined}
        value={value}
        onValueChange={(v) => onChange({ [f.id]: v })}
        disabled={unused}
        intent={marked.has(`pools[${index}].${f.id}`) || (f.id === 'name' && marked.has('pools')) ? 'danger' : 'none'}
        placeholder={unused ? '—' : f.placeholder({ ...context, pool })}
        title={unused ? `${f.label}: not used by ${pool.kind} pools` : `${f.label}: ${f.description}`}
        inputMode={f.numeric ? 'numeric' : undefined}
        spellCheck={false}
        aria-label={`Pool ${index + 1} ${f.label.toLowerCase()}`}
      />
    </td>
  );
}
