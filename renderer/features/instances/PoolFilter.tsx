import { Button, ButtonGroup } from '@blueprintjs/core';
import type { PoolCount } from './format';

/** One button per pool with its machine count; the selected one filters the table. */
export function PoolFilter({
  counts,
  total,
  selected,
  onSelect,
}: {
  counts: readonly PoolCount[];
  total: number;
  selected: string;
  onSelect: (pool: string) => void;
}) {
  return (
    <ButtonGroup role="group" aria-label="Filter by pool">
      <PoolButton label="All pools" count={total} active={selected === ''} onClick={() => onSelect('')} />
      {counts
        .filter((c) => c.pool !== '')
        .map((c) => (
          <PoolButton
            key={c.pool}
            label={c.pool}
            count={c.count}
            active={selected === c.pool}
            onClick={() => onSelect(selected === c.pool ? '' : c.pool)}
          />
        ))}
    </ButtonGroup>
  );
}

function PoolButton(props: { label: string; count: number; active: boolean; onClick: () => void }) {
  return (
    <Button
      variant="outlined"
      size="small"
      active={props.active}
      aria-pressed={props.active}
      aria-label={`${props.label}: ${props.count} instance${props.count === 1 ? '' : 's'}`}
      onClick={props.onClick}
    >
      <span className="pool-filter-label">{props.label}</span>
      <span className="pool-filter-count">{props.count}</span>
    </Button>
  );
}
