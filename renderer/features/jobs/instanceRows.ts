import type { CallOutput, Task } from '../../../core/contract';
import { isTerminal } from '../../components/taskStates';

export type JobInstance = CallOutput<'jobs.get'>['instances'][number];

/** A line of the instance table: an instance's current attempt, or one of its earlier attempts. */
export type InstanceRow =
  | { kind: 'current'; id: string; instance: JobInstance; expanded: boolean }
  | { kind: 'attempt'; id: string; instance: JobInstance; task: Task; attempt: number };

/** Instances in order; an expanded one is followed by its earlier attempts, newest first. */
export function instanceRows(instances: readonly JobInstance[], expanded: ReadonlySet<number>): InstanceRow[] {
  const rows: InstanceRow[] = [];
  for (const inst of [...instances].sort((a, b) => a.instance - b.instance)) {
    const open = expanded.has(inst.instance) && inst.history.length > 0;
    rows.push({ kind: 'current', id: `i${inst.instance}`, instance: inst, expanded: open });
    if (!open) continue;
    inst.history.forEach((task, i) => {
      rows.push({ kind: 'attempt', id: task.taskId, instance: inst, task, attempt: inst.history.length - i });
    });
  }
  return rows;
}

/** The attempt a line shows. */
export function rowTask(row: InstanceRow): Task {
  return row.kind === 'current' ? row.instance.current : row.task;
}

/** Instances whose current attempt can still be killed (not ended). */
export function activeInstances(instances: readonly JobInstance[]): number[] {
  return instances.filter((i) => !isTerminal(i.current.state)).map((i) => i.instance);
}

/** [0] → "instance 0"; [0, 1, 3] → "instances 0, 1 and 3"; many → "12 instances". */
export function instancesText(ids: readonly number[]): string {
  const sorted = [...ids].sort((a, b) => a - b);
  if (sorted.length === 1) return `instance ${sorted[0]}`;
  if (sorted.length > 6) return `${sorted.length} instances`;
  return `instances ${sorted.slice(0, -1).join(', ')} and ${sorted.at(-1)}`;
}

/** Why the selection cannot be restarted, or null if it can: only RUNNING instances restart. */
export function restartBlocker(selected: readonly number[], instances: readonly JobInstance[]): string | null {
  if (selected.length === 0) return 'Select the running instances to restart with the checkboxes';
  const byId = new Map(instances.map((i) => [i.instance, i]));
  const notRunning = selected.filter((id) => byId.get(id)?.current.state !== 'RUNNING');
  if (notRunning.length === 0) return null;
  const first = byId.get(notRunning[0]!);
  const state = first ? first.current.state : 'gone';
  return `Only RUNNING instances can be restarted: instance ${notRunning[0]} is ${state}${notRunning.length > 1 ? ` (and ${notRunning.length - 1} more are not running)` : ''}`;
}
