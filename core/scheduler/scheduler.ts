import type { AgentRecord } from '../model/agent.js';
import { ConsoleError } from '../errors.js';
import { jobKeyString, type JobSpec } from '../model/job.js';
import type { TaskRecord, TaskState } from '../model/task.js';
import type { JobRecord } from '../store/jobs.js';
import type { Store } from '../store/index.js';
import { ancestorRun, flapPenaltyMessage, flappingPenaltyMs } from './reschedule.js';
import { ACTIVE_STATES, SLAVE_ASSIGNED_STATES, TERMINAL_STATES, transition, type SideEffect } from './state-machine.js';
import { newTaskId } from './task-ids.js';
import { nextRun } from '../model/cron.js';

/** What an executor reports about a launched task. */
export interface StatusUpdate {
  taskId: string;
  state: 'STARTING' | 'RUNNING' | 'FINISHED' | 'FAILED' | 'KILLED' | 'LOST';
  /** Mesos reason name, e.g. REASON_CONTAINER_LIMITATION_MEMORY. */
  reason: string | null;
  message: string;
  exitCode: number | null;
  at: number;
}

/** Where placed tasks go: the embedded executor, or (later) nothing, for a real cluster. */
export interface Launcher {
  kill(taskId: string, message: string): void;
}

export interface SchedulerDeps {
  store: Store;
  profileId: string;
  now: () => number;
  random: () => number;
  launcher: Launcher;
  /** After any change a screen would show. */
  onChange?: (kind: 'job.created' | 'job.killed' | 'task.state', subject: string, message: string) => void;
  log?: (msg: string, err?: unknown) => void;
}

/** How long a task may sit in a state the scheduler is waiting to leave (Aurora's transient_task_state_timeout). */
export const transientTimeoutMs = 5 * 60_000;
const transientStates = new Set<TaskState>(['ASSIGNED', 'KILLING', 'RESTARTING', 'DRAINING', 'PREEMPTING']);

/**
 * The Aurora-like scheduler's state: jobs and their active tasks, kept in memory and written
 * through to SQLite on every transition (task row + task event in one transaction), so a
 * restart loses nothing. The state machine, placement and flapping penalty are pure modules;
 * this file applies their decisions.
 */
export function createSchedulerState(deps: SchedulerDeps) {
  const { store, profileId, now, launcher } = deps;
  const log = deps.log ?? (() => {});
  const jobs = new Map<string, JobRecord>();
  const active = new Map<string, TaskRecord>();
  const throttledUntil = new Map<string, number>();
  const killing = new Set<string>();

  for (const j of store.jobs.list(profileId)) jobs.set(jobKeyString(j.spec.key), j);
  for (const t of store.tasks.active(profileId)) active.set(t.taskId, t);

  const changed = (kind: 'job.created' | 'job.killed' | 'task.state', subject: string, message: string) =>
    deps.onChange?.(kind, subject, message);

  function save(t: TaskRecord, message: string | null) {
    store.tasks.upsert(profileId, t);
    store.tasks.appendEvent(profileId, t.taskId, t.updatedAt, t.state, message);
    if (ACTIVE_STATES.has(t.state)) active.set(t.taskId, t);
    else {
      active.delete(t.taskId);
      throttledUntil.delete(t.taskId);
      killing.delete(t.taskId);
    }
    changed('task.state', t.taskId, `${t.taskId} ${t.state}${message ? `: ${message}` : ''}`);
  }

  function specOf(t: TaskRecord): JobSpec {
    const job = jobs.get(t.jobKey);
    if (!job) throw new Error(`task ${t.taskId} belongs to unknown job ${t.jobKey}`);
    return job.spec;
  }

  /** A new attempt of an instance: PENDING, or THROTTLED when its ancestors flapped. */
  function newAttempt(job: JobSpec, instance: number, ancestor: TaskRecord | null, message: string): TaskRecord {
    const at = now();
    const penalty = ancestor ? flappingPenaltyMs(ancestorRuns(ancestor), deps.random) : 0;
    const task = attempt(job, instance, ancestor, penalty > 0 ? 'THROTTLED' : 'PENDING', at);
    task.message = penalty > 0 ? flapPenaltyMessage(penalty) : message;
    if (penalty > 0) throttledUntil.set(task.taskId, at + penalty);
    save(task, task.message);
    return task;
  }

  function attempt(job: JobSpec, instance: number, ancestor: TaskRecord | null, state: TaskState, at: number): TaskRecord {
    return {
      taskId: newTaskId(job.key, instance),
      jobKey: jobKeyString(job.key),
      instance,
      state,
      agentId: null,
      agentHost: null,
      ancestorId: ancestor?.taskId ?? null,
      failureCount: ancestor?.failureCount ?? 0,
      exitCode: null,
      reason: null,
      message: null,
      sandboxDir: null,
      ports: {},
      pendingReason: null,
      createdAt: at,
      updatedAt: at,
      startedAt: null,
      endedAt: null,
    };
  }

  /** The chain of earlier attempts, newest first, as the flapping penalty reads it. */
  function* ancestorRuns(latest: TaskRecord) {
    let t: TaskRecord | null = latest;
    for (let depth = 0; t && depth < 20; depth++) {
      yield ancestorRun(store.tasks.events(profileId, t.taskId));
      t = t.ancestorId ? store.tasks.get(profileId, t.ancestorId) : null;
    }
  }

  /**
   * Moves a task to `to` if Aurora's state machine allows it, saves it, and carries out the
   * side effects. Illegal reports are logged and ignored, except that a task we consider
   * done which reports itself alive is killed.
   */
  function move(t: TaskRecord, to: TaskState, message: string | null, patch: Partial<TaskRecord> = {}): void {
    const job = specOf(t);
    const r = transition({
      from: t.state,
      to,
      service: job.service,
      maxTaskFailures: job.maxTaskFailures,
      failureCount: t.failureCount,
      wasKilling: killing.has(t.taskId),
    });
    if (!r.legal) {
      log(`ignored ${t.state} -> ${to} for ${t.taskId}`);
      if (r.effects.includes('KILL')) launcher.kill(t.taskId, 'The scheduler considers this task ended');
      return;
    }
    if (r.outcome === 'NOOP') return;
    const at = now();
    const next: TaskRecord = { ...t, ...patch, state: to, updatedAt: at };
    if (message !== null) next.message = message;
    if (r.effects.includes('INCREMENT_FAILURES')) next.failureCount = t.failureCount + 1;
    if (r.effects.includes('DELETE')) {
      // Aurora deletes a task killed before it ran; we keep it, ended, so its history stays visible.
      next.state = 'KILLED';
      next.message = message ?? `Killed while ${t.state}`;
    }
    if (to === 'KILLING') killing.add(t.taskId);
    if (TERMINAL_STATES.has(next.state)) next.endedAt = at;
    save(next, next.message);
    apply(next, r.effects, message);
  }

  function apply(t: TaskRecord, effects: readonly SideEffect[], message: string | null) {
    for (const e of effects) {
      switch (e) {
        case 'KILL':
          launcher.kill(t.taskId, message ?? `Task is ${t.state}`);
          break;
        case 'RESCHEDULE': {
          const job = jobs.get(t.jobKey);
          if (job?.state === 'active') newAttempt(job.spec, t.instance, t, `Rescheduled after ${t.state}`);
          break;
        }
        case 'TRANSITION_TO_LOST':
          move(t, 'LOST', 'Agent unreachable while being acted on');
          break;
        case 'INCREMENT_FAILURES':
        case 'DELETE':
          break;
      }
    }
  }

  /** Changes fields that are not a state (sandbox path, pending reason): saved, no event. */
  function patch(taskId: string, fields: Partial<Pick<TaskRecord, 'sandboxDir' | 'pendingReason'>>): void {
    const t = active.get(taskId);
    if (!t) return;
    const next = { ...t, ...fields };
    active.set(taskId, next);
    store.tasks.upsert(profileId, next);
  }

  return {
    jobs,
    active,
    throttledUntil,
    move,
    patch,
    newAttempt,
    changed,

    /** Submits jobs; cron jobs wait for their schedule. All or nothing. */
    createJobs(specs: readonly JobSpec[], source: string | null): string[] {
      for (const spec of specs) {
        const key = jobKeyString(spec.key);
        if (jobs.get(key)?.state === 'active') {
          throw new ConsoleError('JOB_EXISTS', `The job ${key} already exists.`, 'Kill it first, or give the new job another name.');
        }
      }
      const at = now();
      store.db.transaction(() => {
        for (const spec of specs) {
          const key = jobKeyString(spec.key);
          store.jobs.put(profileId, spec, source, at);
          jobs.set(key, { spec, source, state: 'active', cronLastRun: null, createdAt: at, updatedAt: at });
          if (spec.cronSchedule === null) {
            for (let i = 0; i < spec.instances; i++) newAttempt(spec, i, null, 'Job created');
          }
          changed('job.created', key, `Job ${key} created${source ? ` from ${source}` : ''}`);
        }
      })();
      return specs.map((s) => jobKeyString(s.key));
    },

    /** Kills the listed instances (all when none are listed; then the job itself ends). */
    kill(key: string, instances: readonly number[] | undefined, message: string): string[] {
      const job = jobs.get(key);
      if (!job) throw new ConsoleError('JOB_NOT_FOUND', `There is no job ${key}.`);
      const wanted = instances ? new Set(instances) : null;
      const targets = [...active.values()].filter((t) => t.jobKey === key && (!wanted || wanted.has(t.instance)));
      if (wanted) {
        const present = new Set(targets.map((t) => t.instance));
        const missing = [...wanted].filter((i) => !present.has(i));
        if (missing.length > 0) {
          throw new ConsoleError('INSTANCE_NOT_FOUND', `${key} has no active instance ${missing.join(', ')}.`);
        }
      }
      const at = now();
      store.db.transaction(() => {
        if (!wanted) {
          job.state = 'killed';
          store.jobs.setState(profileId, key, 'killed', at);
          changed('job.killed', key, `Job ${key} killed`);
        }
        for (const t of targets) move(t, 'KILLING', message);
      })();
      return targets.map((t) => t.taskId);
    },

    restart(key: string, instances: readonly number[], message: string): string[] {
      const job = jobs.get(key);
      if (!job || job.state !== 'active') throw new ConsoleError('JOB_NOT_FOUND', `There is no active job ${key}.`);
      const wanted = new Set(instances);
      const targets = [...active.values()].filter((t) => t.jobKey === key && wanted.has(t.instance));
      const restartable = targets.filter((t) => SLAVE_ASSIGNED_STATES.has(t.state) && t.state !== 'KILLING');
      if (restartable.length !== wanted.size) {
        const ok = new Set(restartable.map((t) => t.instance));
        const missing = [...wanted].filter((i) => !ok.has(i));
        throw new ConsoleError(
          'INSTANCE_NOT_FOUND',
          `${key}: instance ${missing.join(', ')} is not running, so it cannot be restarted.`,
          'Pending instances start by themselves once they fit; finished ones need the job re-created.',
        );
      }
      store.db.transaction(() => {
        for (const t of restartable) move(t, 'RESTARTING', message);
      })();
      return restartable.map((t) => t.taskId);
    },

    /** An executor's report about a launched task. */
    onStatus(u: StatusUpdate): void {
      const t = active.get(u.taskId);
      if (!t) {
        log(`status ${u.state} for a task that is not active: ${u.taskId}`);
        return;
      }
      const patch: Partial<TaskRecord> = { reason: u.reason, exitCode: u.exitCode };
      if (u.state === 'RUNNING' && t.startedAt === null) patch.startedAt = u.at;
      store.db.transaction(() => move(t, u.state, u.message, patch))();
    },

    /** An agent went away: its tasks are LOST and follow their policy. */
    agentGone(agentId: string, message: string): void {
      store.db.transaction(() => {
        for (const t of [...active.values()]) {
          if (t.agentId === agentId && SLAVE_ASSIGNED_STATES.has(t.state)) move(t, 'LOST', message);
        }
      })();
    },

    /** Throttled tasks whose penalty is over become PENDING; stuck transient states become LOST. */
    expireTimers(): void {
      const at = now();
      for (const t of [...active.values()]) {
        if (t.state === 'THROTTLED' && (throttledUntil.get(t.taskId) ?? 0) <= at) move(t, 'PENDING', 'Flapping penalty served');
        else if (transientStates.has(t.state) && at - t.updatedAt > transientTimeoutMs) {
          move(t, 'LOST', `Stuck in ${t.state} for over ${transientTimeoutMs / 60_000} minutes`);
        }
      }
    },

    /** Starts the runs of cron jobs whose time has come, by their collision policy. */
    triggerCron(): void {
      const at = now();
      for (const [key, job] of jobs) {
        const schedule = job.spec.cronSchedule;
        if (schedule === null || job.state !== 'active') continue;
        const due = nextRun(schedule, new Date(job.cronLastRun ?? job.createdAt)).getTime();
        if (due > at) continue;
        store.db.transaction(() => {
          job.cronLastRun = at;
          store.jobs.setCronLastRun(profileId, key, at);
          const running = [...active.values()].filter((t) => t.jobKey === key);
          if (running.length > 0 && job.spec.cronCollisionPolicy === 'CANCEL_NEW') {
            changed('job.created', key, `Cron run of ${key} skipped: the previous run is still active (CANCEL_NEW)`);
            return;
          }
          for (const t of running) move(t, 'KILLING', 'Killed by the next cron run (KILL_EXISTING)');
          for (let i = 0; i < job.spec.instances; i++) newAttempt(job.spec, i, null, `Cron run (${schedule})`);
        })();
      }
    },

    activeOn(agentId: string): TaskRecord[] {
      return [...active.values()].filter((t) => t.agentId === agentId && SLAVE_ASSIGNED_STATES.has(t.state));
    },
  };
}
export type SchedulerState = ReturnType<typeof createSchedulerState>;
export type { AgentRecord };
