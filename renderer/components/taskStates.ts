import type { Task } from '../../core/contract';

export type TaskState = Task['state'];

/**
 * How a state reads at a glance. Running is green, waiting amber, broken red, done grey, killed
 * dark; the short-lived states in between (assigned, starting, killing) are blue.
 */
export type StateFamily = 'running' | 'transition' | 'pending' | 'failed' | 'finished' | 'killed';

const family: Record<TaskState, StateFamily> = {
  INIT: 'transition',
  PENDING: 'pending',
  THROTTLED: 'pending',
  ASSIGNED: 'transition',
  STARTING: 'transition',
  RUNNING: 'running',
  FINISHED: 'finished',
  PREEMPTING: 'transition',
  RESTARTING: 'transition',
  DRAINING: 'transition',
  FAILED: 'failed',
  KILLED: 'killed',
  KILLING: 'transition',
  LOST: 'failed',
  PARTITIONED: 'pending',
};

export function stateFamily(state: string): StateFamily {
  return family[state as TaskState] ?? 'transition';
}

/** The order states are listed in: a task's life from waiting to its end. */
export const stateOrder: readonly TaskState[] = [
  'PENDING',
  'THROTTLED',
  'INIT',
  'ASSIGNED',
  'STARTING',
  'RUNNING',
  'PARTITIONED',
  'RESTARTING',
  'DRAINING',
  'PREEMPTING',
  'KILLING',
  'FAILED',
  'LOST',
  'FINISHED',
  'KILLED',
];

export function compareStates(a: string, b: string): number {
  const ia = stateOrder.indexOf(a as TaskState);
  const ib = stateOrder.indexOf(b as TaskState);
  return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
}

const terminal = new Set<string>(['FINISHED', 'FAILED', 'KILLED', 'LOST']);

/** Ended for good: no process, nothing to kill (Aurora's TERMINAL_STATES). */
export function isTerminal(state: string): boolean {
  return terminal.has(state);
}

/** `{RUNNING: 2, FAILED: 1}` as [state, count] pairs in lifecycle order, zero counts left out. */
export function stateCounts(counts: Record<string, number>): [string, number][] {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => compareStates(a, b));
}
