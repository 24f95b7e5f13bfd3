import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConsoleError } from '../errors.js';
import type { ProcessSpec } from '../model/job.js';
import type { ExecutorProcessRecord } from '../store/executor-processes.js';
import { groupMembers, listProcesses, stopGroups, survivingGroups } from './procfs.js';
import { createTaskRun, type TaskOutcome, type TaskRun } from './runner.js';
import { assertProcessName, createSandbox, executorPrefix, sandboxPaths } from './sandbox.js';

/**
 * The embedded cluster's executor: one per console, serving every local agent. It runs each task
 * with a Thermos-like runner (runner.ts) in a Mesos/Thermos sandbox (sandbox.ts), enforces the
 * task's memory like the Mesos memory isolator, records every process group in the store, and
 * reports task states to the scheduler through `onUpdate`.
 */

export type ExecutorTaskState = 'STARTING' | 'RUNNING' | 'FINISHED' | 'FAILED' | 'KILLED' | 'LOST';

export interface TaskUpdate {
  profileId: string;
  taskId: string;
  state: ExecutorTaskState;
  /** A Mesos reason name (REASON_...), or null. */
  reason: string | null;
  message: string;
  exitCode: number | null;
  at: number;
}

export interface LaunchRequest {
  taskId: string;
  agentId: string;
  agentWorkDir: string;
  /** Mustaches already rendered. */
  processes: readonly ProcessSpec[];
  orderings: readonly (readonly string[])[];
  maxFailures: number;
  /** Seconds. */
  finalizationWait: number;
  /** The task's memory limit; 0 = none. */
  ramMb: number;
  env: Readonly<Record<string, string>>;
}

export interface RecoveredTask {
  profileId: string;
  taskId: string;
  runDir: string;
  /** Recorded group leaders. */
  pids: number[];
  /** Those that still had live processes, which recover() stopped. */
  stopped: number[];
}

/** What the executor needs of the store: core/store/executor-processes.ts provides it. */
export interface ExecutorProcessStore {
  add(r: ExecutorProcessRecord): void;
  remove(profileId: string, taskId: string, pid: number): void;
  list(profileId?: string): ExecutorProcessRecord[];
}

export interface ExecutorOptions {
  /** The profile whose tasks this executor runs; its rows in the store carry it. */
  profileId: string;
  /** The embedded cluster's framework id: a path segment of every sandbox. */
  frameworkId: string;
  store: ExecutorProcessStore;
  now: () => number;
  /** Between SIGTERM and SIGKILL. */
  graceMs?: number;
  memoryPollMs?: number;
  /** Called in order, never inside a call to the executor (updates are delivered from a microtask). */
  onUpdate(update: TaskUpdate): void;
}

export interface Executor {
  launch(request: LaunchRequest): { runDir: string; sandboxDir: string };
  /**
   * SIGTERM to every process group of the task, SIGKILL after graceMs; the task ends KILLED (or
   * as it was already ending, e.g. FAILED on its memory limit). Resolves true once its terminal
   * update is out; false if the task is not running here.
   */
  kill(taskId: string, why?: { reason?: string | null; message?: string }): Promise<boolean>;
  recover(profileId?: string): Promise<RecoveredTask[]>;
  shutdown(): Promise<void>;
  running(): string[];
}

interface Live {
  taskId: string;
  runDir: string;
  ramMb: number;
  peakBytes: number;
  run: TaskRun;
  done: Promise<void>;
}

const MiB = 1024 * 1024;
const lost = 'REASON_EXECUTOR_TERMINATED';

/**
 * The processes get a small, explicit environment, not the console's: nothing of Electron or
 * Node (NODE_OPTIONS, ELECTRON_RUN_AS_NODE) leaks into user tasks, as on a real agent.
 */
function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of ['PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'SHELL']) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  env.PATH ??= '/usr/local/bin:/usr/bin:/bin';
  return env;
}

export function createExecutor(opts: ExecutorOptions): Executor {
  const graceMs = opts.graceMs ?? 5000;
  const memoryPollMs = opts.memoryPollMs ?? 1000;
  const tasks = new Map<string, Live>();
  let closed = false;
  let memoryTimer: NodeJS.Timeout | null = null;

  const queue: TaskUpdate[] = [];
  function emit(u: Omit<TaskUpdate, 'profileId' | 'at'> & { profileId?: string }): void {
    queue.push({ ...u, profileId: u.profileId ?? opts.profileId, at: opts.now() });
    if (queue.length === 1) queueMicrotask(deliver);
  }
  function deliver(): void {
    while (queue.length > 0) {
      const u = queue[0]!;
      try {
        opts.onUpdate(u);
      } catch (e) {
        console.error(`executor: onUpdate failed for ${u.taskId} ${u.state}:`, e);
      }
      queue.shift();
    }
  }

  function validate(r: LaunchRequest): void {
    if (closed) throw new ConsoleError('INTERNAL', 'The executor has shut down.');
    if (tasks.has(r.taskId)) throw new ConsoleError('INTERNAL', `Task ${r.taskId} is already running.`);
    if (r.processes.length === 0) throw new ConsoleError('JOB_SPEC_INVALID', `Task ${r.taskId} has no processes.`);
    const names = new Set<string>();
    for (const p of r.processes) {
      assertProcessName(p.name);
      if (names.has(p.name)) {
        throw new ConsoleError('JOB_SPEC_INVALID', `Task ${r.taskId} has two processes named ${p.name}.`);
      }
      names.add(p.name);
    }
  }

  function launch(r: LaunchRequest): { runDir: string; sandboxDir: string } {
    validate(r);
    const runId = randomUUID();
    const paths = sandboxPaths({ ...r, frameworkId: opts.frameworkId, runId });
    const { runDir, sandboxDir } = paths;
    try {
      createSandbox(paths);
    } catch (e) {
      // The machine's problem (disk full, permissions), not the caller's: report it as Mesos would.
      const message = `Could not create the sandbox ${sandboxDir}: ${(e as Error).message}`;
      emit({ taskId: r.taskId, state: 'STARTING', reason: null, message: 'Starting task', exitCode: null });
      emit({ taskId: r.taskId, state: 'FAILED', reason: 'REASON_CONTAINER_LAUNCH_FAILED', message, exitCode: null });
      return { runDir, sandboxDir };
    }
    const write = (stream: 'stdout' | 'stderr', line: string) => {
      try {
        fs.appendFileSync(path.join(runDir, stream), `${new Date(opts.now()).toISOString()} ${line}\n`);
      } catch {
        // A full disk must not stop the runner; the task's own files will show the same problem.
      }
    };
    const env = {
      ...baseEnv(),
      MESOS_SANDBOX: sandboxDir,
      MESOS_DIRECTORY: runDir,
      MESOS_TASK_ID: r.taskId,
      MESOS_EXECUTOR_ID: executorPrefix + r.taskId,
      MESOS_FRAMEWORK_ID: opts.frameworkId,
      MESOS_AGENT_ID: r.agentId,
      MESOS_SLAVE_ID: r.agentId,
      ...r.env,
    };
    let resolveDone!: () => void;
    const done = new Promise<void>((resolve) => (resolveDone = resolve));
    const run = createTaskRun({
      processes: r.processes,
      orderings: r.orderings,
      maxFailures: r.maxFailures,
      finalizationWait: r.finalizationWait,
      sandboxDir,
      env,
      graceMs,
      log: write,
      onGroupStarted(pgid, startTicks) {
        try {
          const launchedAt = opts.now();
          opts.store.add({ profileId: opts.profileId, taskId: r.taskId, pid: pgid, startTicks, runDir, launchedAt });
        } catch (e) {
          const why = (e as Error).message;
          write('stderr', `Could not record process group ${pgid}; a console crash would leave it running: ${why}`);
        }
      },
      onGroupEnded(pgid) {
        try {
          opts.store.remove(opts.profileId, r.taskId, pgid);
        } catch {
          // recover() finds the row, sees the process gone, and removes it then.
        }
      },
      onRunning(message) {
        emit({ taskId: r.taskId, state: 'RUNNING', reason: null, message, exitCode: null });
      },
      onDone(outcome: TaskOutcome) {
        tasks.delete(r.taskId);
        write(outcome.state === 'FINISHED' ? 'stdout' : 'stderr', `Task ${outcome.state}: ${outcome.message}`);
        emit({ taskId: r.taskId, ...outcome });
        if (![...tasks.values()].some((t) => t.ramMb > 0)) stopMemoryPoll();
        resolveDone();
      },
    });
    tasks.set(r.taskId, { taskId: r.taskId, runDir, ramMb: r.ramMb, peakBytes: 0, run, done });
    write('stdout', `Starting task ${r.taskId} in ${sandboxDir}`);
    emit({ taskId: r.taskId, state: 'STARTING', reason: null, message: 'Starting task', exitCode: null });
    run.start();
    if (r.ramMb > 0) startMemoryPoll();
    return { runDir, sandboxDir };
  }

  function startMemoryPoll(): void {
    memoryTimer ??= setInterval(checkMemory, memoryPollMs);
    memoryTimer.unref();
  }
  function stopMemoryPoll(): void {
    if (memoryTimer) clearInterval(memoryTimer);
    memoryTimer = null;
  }

  /** One /proc scan per poll for all tasks, like reading each container's cgroup usage. */
  function checkMemory(): void {
    const watched = [...tasks.values()].filter((t) => t.ramMb > 0 && t.run.groups().size > 0);
    if (watched.length === 0) return;
    const all = new Map(watched.flatMap((t) => [...t.run.groups()]));
    const members = groupMembers(all, listProcesses());
    for (const t of watched) {
      let used = 0;
      for (const pgid of t.run.groups().keys()) for (const p of members.get(pgid) ?? []) used += p.rssBytes;
      t.peakBytes = Math.max(t.peakBytes, used);
      if (used <= t.ramMb * MiB) continue;
      // Like the kernel's OOM killer in a memory cgroup: no grace, a growing process would only grow.
      const message = `Memory limit exceeded: Requested: ${t.ramMb}MB Maximum Used: ${Math.ceil(t.peakBytes / MiB)}MB`;
      t.run.stop({ state: 'FAILED', reason: 'REASON_CONTAINER_LIMITATION_MEMORY', message, exitCode: null }, 'SIGKILL');
    }
  }

  async function kill(taskId: string, why: { reason?: string | null; message?: string } = {}): Promise<boolean> {
    const t = tasks.get(taskId);
    if (!t) return false;
    const message = why.message ?? 'Task killed';
    t.run.stop({ state: 'KILLED', reason: why.reason ?? null, message, exitCode: null }, 'SIGTERM');
    await t.done;
    return true;
  }

  /**
   * After a console crash, stops every process group the previous run recorded and reports its
   * task LOST. We do not adopt survivors: they are not our children, so we could never learn
   * their exit status (only a parent can wait for it), and a task whose outcome cannot be known
   * is better rescheduled than guessed. A row is trusted only if its pid still has the recorded
   * start time (procfs.ts), so a reused pid is never signalled.
   */
  async function recover(profileId?: string): Promise<RecoveredTask[]> {
    const records = opts.store.list(profileId).filter((r) => !(r.profileId === opts.profileId && tasks.has(r.taskId)));
    if (records.length === 0) return [];
    const ours = survivingGroups(records);
    await stopGroups(ours, graceMs);

    const found = new Map<string, RecoveredTask>();
    for (const r of records) {
      const key = `${r.profileId}\u0000${r.taskId}`;
      const t = found.get(key) ?? { profileId: r.profileId, taskId: r.taskId, runDir: r.runDir, pids: [], stopped: [] };
      t.pids.push(r.pid);
      if (ours.has(r.pid)) t.stopped.push(r.pid);
      found.set(key, t);
      opts.store.remove(r.profileId, r.taskId, r.pid);
    }
    for (const t of found.values()) {
      const listed = (pids: number[]) => `${pids.length === 1 ? 'pid' : 'pids'} ${pids.join(', ')}`;
      const message =
        t.stopped.length > 0
          ? `The console restarted; the task's processes (${listed(t.stopped)}) were stopped`
          : `The console restarted; the task's processes (${listed(t.pids)}) had already exited`;
      emit({ profileId: t.profileId, taskId: t.taskId, state: 'LOST', reason: lost, message, exitCode: null });
    }
    return [...found.values()];
  }

  /** Stops every task (SIGTERM, then SIGKILL) and reports it LOST, so the scheduler reschedules it. */
  async function shutdown(): Promise<void> {
    closed = true;
    const all = [...tasks.values()];
    const message = 'The console shut down; the task was stopped';
    for (const t of all) t.run.stop({ state: 'LOST', reason: lost, message, exitCode: null }, 'SIGTERM');
    await Promise.all(all.map((t) => t.done));
    stopMemoryPoll();
  }

  return { launch, kill, recover, shutdown, running: () => [...tasks.keys()] };
}
