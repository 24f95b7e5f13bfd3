import { Button, ButtonGroup } from '@blueprintjs/core';
import type { SlaveTypeCount } from './format';

interface Props {
  counts: readonly SlaveTypeCount[];
  total: number;
  /** '' for all types. */
  selected: string;
  onSelect: (slaveType: string) => void;
}

/** One button per slave type with its agent count; the selected one filters the table. */
export function SlaveTypeFilter({ counts, total, selected, onSelect }: Props) {
  return (
    <ButtonGroup className="slave-type-filter" role="group" aria-label="Filter by slave type">
      <TypeButton label="All types" count={total} active={selected === ''} onClick={() => onSelect('')} />
      {counts.map((c) => (
        <TypeButton
          key={c.slaveType}
          label={c.slaveType}
          count={c.count}
          active={selected === c.slaveType}
          onClick={() => onSelect(selected === c.slaveType ? '' : c.slaveType)}
        />
      ))}
    </ButtonGroup>
  );
}

function TypeButton(props: { label: string; count: number; active: boolean; onClick: () => void }) {
  return (
    <Button
      variant="outlined"
      size="small"
      active={props.active}
      aria-pressed={props.active}
      aria-label={`${props.label}: ${props.count} agent${props.count === 1 ? '' : 's'}`}
      onClick={props.onClick}
      className={props.count === 0 ? 'slave-type-empty' : undefined}
      title={props.count === 0 ? `${props.label}: no agents right now` : undefined}
    >
      <span className="slave-type-label">{props.label}</span>
      <span className="slave-type-count">{props.count}</span>
    </Button>
  );
}
