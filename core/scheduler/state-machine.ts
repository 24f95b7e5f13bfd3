/**
 * Aurora's task state machine (scheduler/state/TaskStateMachine.java at apache/aurora HEAD
 * 11ebaeeb0; shared/reference/aurora.md §2.2) as data: which transitions are legal and which
 * side effects each one asks the caller to carry out. Pure: the caller owns the task record.
 *
 * The caller persists the new state (Aurora's SAVE_STATE) for every SUCCESS outcome whose effects
 * do not contain DELETE; a DELETE means the task leaves the store instead.
 */
import type { TaskState } from '../model/task.js';

/** A task's state, plus Aurora's DELETED: the state of a task the store no longer holds. */
export type MachineState = TaskState | 'DELETED';

export type SideEffect = 'RESCHEDULE' | 'KILL' | 'INCREMENT_FAILURES' | 'DELETE' | 'TRANSITION_TO_LOST';

/**
 * SUCCESS and NOOP (from === to: nothing to do, nothing to save) are legal. Aurora still runs the
 * callbacks of an illegal transition, so an illegal report can carry effects: a task we consider
 * terminated, killed or gone that reports ASSIGNED/STARTING/RUNNING is killed
 * (ILLEGAL_WITH_SIDE_EFFECTS); every other illegal transition has none.
 */
export type TransitionOutcome = 'SUCCESS' | 'NOOP' | 'ILLEGAL' | 'ILLEGAL_WITH_SIDE_EFFECTS';

export interface TransitionInput {
  from: MachineState;
  to: MachineState;
  service: boolean;
  /** The job's max_task_failures; -1 = unlimited. */
  maxTaskFailures: number;
  /** The task's failure count before this transition. */
  failureCount: number;
  /**
   * Whether the task's events include KILLING. Only PARTITIONED → LOST reads it: a task that was
   * being killed when its agent became unreachable is not rescheduled. Defaults to false.
   */
  wasKilling?: boolean;
}

export interface TransitionResult {
  legal: boolean;
  outcome: TransitionOutcome;
  effects: SideEffect[];
}

const set = (...s: TaskState[]): ReadonlySet<TaskState> => new Set<TaskState>(s);

/** api.thrift Tasks.ACTIVE_STATES. */
export const ACTIVE_STATES = set(
  'ASSIGNED',
  'DRAINING',
  'KILLING',
  'PENDING',
  'PREEMPTING',
  'RESTARTING',
  'RUNNING',
  'STARTING',
  'PARTITIONED',
  'THROTTLED',
);
/** Active and bound to an agent. */
export const SLAVE_ASSIGNED_STATES = set(
  'ASSIGNED',
  'DRAINING',
  'KILLING',
  'PREEMPTING',
  'RESTARTING',
  'RUNNING',
  'STARTING',
  'PARTITIONED',
);
/** The sandbox exists on the agent. */
export const LIVE_STATES = set('KILLING', 'PREEMPTING', 'RESTARTING', 'DRAINING', 'PARTITIONED', 'RUNNING');
export const TERMINAL_STATES = set('FAILED', 'FINISHED', 'KILLED', 'LOST');

type Effects = readonly SideEffect[] | ((input: TransitionInput) => SideEffect[]);

const none: readonly SideEffect[] = [];

/** FINISHED from a running attempt: a service always runs again, a batch task is done. */
const rescheduleIfService = (i: TransitionInput): SideEffect[] => (i.service ? ['RESCHEDULE'] : []);

/**
 * FAILED from a running attempt. failureCount is read before the increment, so the default
 * max_task_failures of 1 never retries and 3 retries twice.
 */
const incrementFailuresMaybeReschedule = (i: TransitionInput): SideEffect[] =>
  i.service || i.maxTaskFailures === -1 || i.failureCount < i.maxTaskFailures - 1
    ? ['INCREMENT_FAILURES', 'RESCHEDULE']
    : ['INCREMENT_FAILURES'];

/** Targets of ASSIGNED, STARTING and RUNNING share their effects. */
const fromRunningAttempt = {
  FINISHED: rescheduleIfService,
  FAILED: incrementFailuresMaybeReschedule,
  // Reaching KILLED without KILLING means the system or something outside killed it: run again.
  KILLED: ['RESCHEDULE'],
  RESTARTING: ['KILL'],
  DRAINING: ['KILL'],
  PREEMPTING: ['KILL'],
  KILLING: ['KILL'],
} satisfies Partial<Record<MachineState, Effects>>;

/**
 * PREEMPTING, RESTARTING, DRAINING: the scheduler asked for the kill and wants a replacement,
 * so every terminal state reschedules; a partition must not block the action.
 */
const fromInterrupted: Partial<Record<MachineState, Effects>> = {
  FINISHED: ['RESCHEDULE'],
  FAILED: ['RESCHEDULE'],
  KILLING: none,
  KILLED: ['RESCHEDULE'],
  LOST: ['KILL', 'RESCHEDULE'],
  PARTITIONED: ['TRANSITION_TO_LOST'],
};

const toDeleted: Partial<Record<MachineState, Effects>> = { DELETED: ['DELETE'] };

/** The legal transitions, from → to → effects. A pair missing here is illegal. */
const legal: Record<MachineState, Partial<Record<MachineState, Effects>>> = {
  INIT: { PENDING: none, THROTTLED: none },
  // Killing a task that never ran removes it outright.
  PENDING: { ASSIGNED: none, KILLING: ['DELETE'] },
  THROTTLED: { PENDING: none, KILLING: ['DELETE'] },
  ASSIGNED: { STARTING: none, RUNNING: none, ...fromRunningAttempt, LOST: ['RESCHEDULE', 'KILL'] },
  // Unlike ASSIGNED, a lost STARTING/RUNNING task is not sent a KILL: Mesos reported it gone,
  // whereas ASSIGNED → LOST is the scheduler giving up on a launch the agent may still run.
  STARTING: { RUNNING: none, ...fromRunningAttempt, LOST: ['RESCHEDULE'], PARTITIONED: none },
  RUNNING: { ...fromRunningAttempt, LOST: ['RESCHEDULE'], PARTITIONED: none },
  PREEMPTING: fromInterrupted,
  RESTARTING: fromInterrupted,
  DRAINING: fromInterrupted,
  PARTITIONED: {
    LOST: (i) => (i.wasKilling ? ['KILL'] : ['KILL', 'RESCHEDULE']),
    FAILED: incrementFailuresMaybeReschedule,
    FINISHED: none,
    RUNNING: none,
    ASSIGNED: none,
    STARTING: none,
    // A user or operator action on an unreachable task: give up on it now, not after the
    // partition policy's delay.
    KILLING: ['TRANSITION_TO_LOST'],
    RESTARTING: ['TRANSITION_TO_LOST'],
    DRAINING: ['TRANSITION_TO_LOST'],
    PREEMPTING: ['TRANSITION_TO_LOST'],
  },
  // A deliberate kill: nothing reschedules; a partition is forced to LOST so the killer
  // (killTasks, an update, a cron KILL_EXISTING) is not blocked.
  KILLING: { FINISHED: none, FAILED: none, KILLED: none, LOST: none, ...toDeleted, PARTITIONED: ['TRANSITION_TO_LOST'] },
  FINISHED: toDeleted,
  FAILED: toDeleted,
  KILLED: toDeleted,
  LOST: toDeleted,
  DELETED: {},
};

/**
 * States whose illegal "I am alive" reports are answered with a KILL: the terminal states,
 * KILLING and DELETED (Aurora's manageTerminatedTasks) and the interrupted states
 * (manageRestartingTask).
 */
const killIfReportedAlive = new Set<MachineState>([...TERMINAL_STATES, 'KILLING', 'DELETED', 'PREEMPTING', 'RESTARTING', 'DRAINING']);
const aliveReports = new Set<MachineState>(['ASSIGNED', 'STARTING', 'RUNNING']);

export function transition(input: TransitionInput): TransitionResult {
  const { from, to } = input;
  if (from === to) return { legal: true, outcome: 'NOOP', effects: [] };
  const effects = legal[from][to];
  if (effects !== undefined) {
    return { legal: true, outcome: 'SUCCESS', effects: typeof effects === 'function' ? effects(input) : [...effects] };
  }
  if (killIfReportedAlive.has(from) && aliveReports.has(to)) {
    return { legal: false, outcome: 'ILLEGAL_WITH_SIDE_EFFECTS', effects: ['KILL'] };
  }
  return { legal: false, outcome: 'ILLEGAL', effects: [] };
}

/** The states `from` may legally move to (for UIs and tests). */
export function legalTargets(from: MachineState): MachineState[] {
  return Object.keys(legal[from]) as MachineState[];
}
