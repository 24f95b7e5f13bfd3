/**
 * When a rescheduled task may run again: Aurora's flapping penalty
 * (scheduling/RescheduleCalculator.java; shared/reference/aurora.md §2.3) and the backoff a task
 * group takes after a scheduling round that placed nothing (§3.1 step 5). Pure: the caller
 * passes the ancestors' event times and a random source in [0, 1).
 */
import type { TaskState } from '../model/task.js';
import { ACTIVE_STATES, TERMINAL_STATES } from './state-machine.js';

/** What the flap check needs from one ancestor generation of a task. */
export interface AncestorRun {
  /** When it last entered an active state (usually RUNNING), in ms; null if it never did. */
  lastActiveAt: number | null;
  /** When it reached its terminal state, in ms. */
  terminalAt: number;
  /**
   * Ever RESTARTING, KILLING or DRAINING: someone stopped it (a restart, a kill, a drain), so
   * its short life says nothing about the task crash-looping.
   */
  interrupted: boolean;
}

export interface FlapSettings {
  /** -flapping_task_threshold: a run shorter than this flapped. */
  thresholdMs: number;
  /** -initial_flapping_task_delay: the first penalty is in [initial, 2·initial]. */
  initialDelayMs: number;
  /** -max_flapping_task_delay. */
  maxDelayMs: number;
}

export const flapDefaults: Readonly<FlapSettings> = {
  thresholdMs: 5 * 60_000,
  initialDelayMs: 30_000,
  maxDelayMs: 5 * 60_000,
};

const interruptedStates = new Set<TaskState>(['RESTARTING', 'KILLING', 'DRAINING']);

/**
 * Summarises a terminated task's events (oldest first) for the flap check, as Aurora reads
 * them: the last event must be terminal, the active event is the latest active one before it.
 * Returns null for a task without events or not yet terminated: such a task never flapped.
 */
export function ancestorRun(events: readonly { state: TaskState; at: number }[]): AncestorRun | null {
  const last = events[events.length - 1];
  if (last === undefined || !TERMINAL_STATES.has(last.state)) return null;
  let lastActiveAt: number | null = null;
  let interrupted = false;
  for (const e of events) {
    if (ACTIVE_STATES.has(e.state)) lastActiveAt = e.at;
    if (interruptedStates.has(e.state)) interrupted = true;
  }
  return { lastActiveAt, terminalAt: last.at, interrupted };
}

export function flapped(run: AncestorRun, thresholdMs: number): boolean {
  if (run.interrupted || run.lastActiveAt === null) return false;
  return run.terminalAt - run.lastActiveAt < thresholdMs;
}

/**
 * Aurora's TruncatedBinaryBackoff.calculateBackoffMs: from `lastMs` (0 = first step, which
 * starts from `initialMs`) to a value in [last, 2·last], capped at `maxMs`.
 */
export function truncatedBinaryBackoffMs(lastMs: number, initialMs: number, maxMs: number, random: () => number): number {
  const half = lastMs === 0 ? initialMs : lastMs;
  return Math.min(maxMs, half + Math.round(random() * half));
}

/**
 * The flap penalty for a new task, given its ancestor chain most recent first: one backoff step
 * per consecutive flapped ancestor, stopping at the first that did not flap or when the cap is
 * reached. 0 when the latest ancestor did not flap (or there is none).
 */
export function flappingPenaltyMs(
  ancestors: Iterable<AncestorRun | null>,
  random: () => number,
  settings: FlapSettings = flapDefaults,
): number {
  let penalty = 0;
  for (const run of ancestors) {
    if (run === null || !flapped(run, settings.thresholdMs)) break;
    const next = truncatedBinaryBackoffMs(penalty, settings.initialDelayMs, settings.maxDelayMs, random);
    // At the cap the backoff stops growing, so older generations cannot change the answer.
    if (next === penalty) break;
    penalty = next;
  }
  return penalty;
}

/** The message of the THROTTLED event Aurora records for a penalised task. */
export function flapPenaltyMessage(penaltyMs: number): string {
  return `Rescheduled, penalized for ${penaltyMs} ms for flapping`;
}

/** -initial_schedule_penalty and -max_schedule_penalty. */
export const scheduleBackoff = { initialMs: 1_000, maxMs: 60_000 } as const;

/**
 * The delay before a task group's next scheduling attempt after `emptyRounds` consecutive rounds
 * that placed none of its tasks: 0 after a round that placed some (Aurora retries after
 * first_schedule_delay, 1 ms), then 1 s, 2 s, 4 s … capped at 1 min. Aurora jitters each step
 * by up to 2× with truncatedBinaryBackoffMs; this is the deterministic lower bound, which keeps
 * the embedded cluster's timing reproducible.
 */
export function scheduleBackoffMs(emptyRounds: number): number {
  if (emptyRounds < 1) return 0;
  // Past 2^6 s the cap holds; the guard keeps 2 ** n finite for absurd inputs.
  const steps = Math.min(emptyRounds - 1, 16);
  return Math.min(scheduleBackoff.maxMs, scheduleBackoff.initialMs * 2 ** steps);
}
