import { Checkbox } from '@blueprintjs/core';
import { useMemo } from 'react';
import type { JobSummary } from '../../../core/contract';
import { go, hrefs } from '../../app/links';
import { DataTable } from '../../components/DataTable';
import { instanceColumns } from './instanceColumns';
import { activeInstances, instanceRows, rowTask, type JobInstance } from './instanceRows';

interface Props {
  job: JobSummary;
  instances: readonly JobInstance[];
  selected: ReadonlySet<number>;
  onSelectionChange: (next: Set<number>) => void;
  expanded: ReadonlySet<number>;
  onToggleHistory: (instance: number) => void;
}

/**
 * Each instance with its current attempt, and, expanded, the attempts before it. A click on a
 * line (or its instance number) opens that attempt; the checkboxes pick the instances the
 * actions above work on.
 */
export function InstanceTable({ job, instances, selected, onSelectionChange, expanded, onToggleHistory }: Props) {
  const rows = useMemo(() => instanceRows(instances, expanded), [instances, expanded]);
  const active = useMemo(() => activeInstances(instances), [instances]);
  const columns = useMemo(
    () =>
      instanceColumns({
        job,
        selected,
        onToggleHistory,
        onSelect: (instance, on) => {
          const next = new Set(selected);
          if (on) next.add(instance);
          else next.delete(instance);
          onSelectionChange(next);
        },
      }),
    [job, selected, onSelectionChange, onToggleHistory],
  );
  const allSelected = active.length > 0 && active.every((i) => selected.has(i));

  return (
    <div className="instance-table">
      <Checkbox
        className="instance-select-all"
        checked={allSelected}
        indeterminate={!allSelected && selected.size > 0}
        disabled={active.length === 0}
        label={active.length === 0 ? 'No active instances' : `Select all ${active.length} active`}
        onChange={() => onSelectionChange(allSelected ? new Set() : new Set(active))}
      />
      <DataTable
        label={`Instances of ${job.key}`}
        rows={rows}
        columns={columns}
        rowKey={(r) => r.id}
        sort={null}
        onSortChange={() => {}}
        rowHeight={40}
        rowClassName={(r) => (r.kind === 'attempt' ? 'instance-attempt' : undefined)}
        onRowClick={(r) => go(hrefs.task(rowTask(r).taskId))}
        empty={<p className="muted">This job has no instances.</p>}
      />
    </div>
  );
}
