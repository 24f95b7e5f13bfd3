import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { ProcessSpec } from '../model/job.js';
import { readStat, signalGroup, signalLiveGroups, waitGone } from './procfs.js';
import { processLogDir } from './sandbox.js';

/**
 * Runs one task's processes the way Thermos does (apache/thermos/core/runner.py; shared/reference/
 * aurora.md §1.2): stage ACTIVE runs the regular processes in ordering order, restarting failed
 * ones up to max_failures (and daemons after success) at most once per min_duration; when every
 * non-ephemeral regular process has ended, or Task.max_failures processes have failed, or nothing
 * can run any more, stage CLEANING sends SIGTERM to what is left, then FINALIZING runs the final
 * processes; both within finalization_wait. The verdict (FINISHED or FAILED) is fixed when ACTIVE
 * ends. Everything is driven by child exits and timers; nothing polls while processes run.
 *
 * Each process is `bash -c <cmdline>` in its own process group (detached), writing straight
 * into its files in .logs/<process>/<run>/: output never passes through Node, so a flood costs us
 * nothing and the files keep filling if the console dies.
 */

export interface TaskOutcome {
  state: 'FINISHED' | 'FAILED' | 'KILLED' | 'LOST';
  /** A Mesos reason name (mesos.md §5), or null. */
  reason: string | null;
  message: string;
  exitCode: number | null;
}

export interface RunnerOptions {
  processes: readonly ProcessSpec[];
  orderings: readonly (readonly string[])[];
  /** Task.max_failures: failed processes that fail the task; 0 = never. */
  maxFailures: number;
  /** Seconds for CLEANING + FINALIZING together. */
  finalizationWait: number;
  sandboxDir: string;
  env: NodeJS.ProcessEnv;
  /** Between SIGTERM and SIGKILL when stopping processes. */
  graceMs: number;
  log(stream: 'stdout' | 'stderr', line: string): void;
  /** A new process group exists; record it before anything else can go wrong. */
  onGroupStarted(pgid: number, startTicks: number): void;
  onGroupEnded(pgid: number): void;
  /** Once, when the first process is up. */
  onRunning(message: string): void;
  /** Once, when no process of the task is left. */
  onDone(outcome: TaskOutcome): void;
}

export interface TaskRun {
  start(): void;
  /** Ends the task with `outcome` unless it is already ending; SIGKILL also cuts a grace period short. */
  stop(outcome: TaskOutcome, signal: 'SIGTERM' | 'SIGKILL'): void;
  /** Process groups whose leader is running: pgid -> leader start ticks. */
  groups(): ReadonlyMap<number, number>;
  done(): boolean;
}

type Status = 'waiting' | 'running' | 'backoff' | 'succeeded' | 'failed' | 'killed';
type Stage = 'active' | 'cleaning' | 'finalizing' | 'stopping' | 'done';

interface Proc {
  spec: ProcessSpec;
  /** Processes that must have succeeded before this one starts. */
  preds: string[];
  status: Status;
  /** Number of the current (or next) run: the log directory's name. */
  run: number;
  failures: number;
  startedAt: number;
  timer: NodeJS.Timeout | null;
}

const describeExit = (code: number | null, signal: NodeJS.Signals | null): string =>
  code !== null ? `exited with code ${code}` : `killed by signal ${signal ?? 'unknown'}`;

export function createTaskRun(o: RunnerOptions): TaskRun {
  const procs = new Map<string, Proc>();
  for (const spec of o.processes) {
    procs.set(spec.name, { spec, preds: [], status: 'waiting', run: 0, failures: 0, startedAt: 0, timer: null });
  }
  // A final process can only wait for final ones; a regular one for regular ones (Thermos rejects mixes).
  for (const order of o.orderings) {
    for (let i = 1; i < order.length; i++) {
      const p = procs.get(order[i]!);
      const before = procs.get(order[i - 1]!);
      if (p && before && p.spec.final === before.spec.final) p.preds.push(before.spec.name);
    }
  }
  const regular = [...procs.values()].filter((p) => !p.spec.final);
  const finals = [...procs.values()].filter((p) => p.spec.final);

  let stage: Stage = 'active';
  const currentStage = (): Stage => stage; // read through a call: TS would keep a stale narrowing across callbacks
  let verdict: TaskOutcome | null = null;
  let outcome: TaskOutcome | null = null;
  let lastFailure: { message: string; exitCode: number | null } | null = null;
  let announced = false;
  let ending = false;
  const live = new Map<number, number>();
  /** Groups whose leader ended and whose leftovers got SIGKILL: waited for before onDone. */
  const lingering = new Map<number, number>();
  let escalation: NodeJS.Timeout | null = null;
  let finalization: NodeJS.Timeout | null = null;

  const failure = (message: string): TaskOutcome => ({
    state: 'FAILED',
    reason: 'REASON_COMMAND_EXECUTOR_FAILED',
    message,
    exitCode: lastFailure?.exitCode ?? null,
  });

  function launch(p: Proc): void {
    const name = p.spec.name;
    const fds: number[] = [];
    let child: ChildProcess;
    try {
      const dir = processLogDir(o.sandboxDir, name, p.run);
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      fds.push(fs.openSync(path.join(dir, 'stdout'), 'a', 0o600), fs.openSync(path.join(dir, 'stderr'), 'a', 0o600));
      child = spawn('bash', ['-c', p.spec.cmdline], {
        cwd: o.sandboxDir,
        env: o.env,
        detached: true,
        stdio: ['ignore', fds[0]!, fds[1]!],
      });
    } catch (e) {
      return launchFailed(p, e as Error);
    } finally {
      for (const fd of fds) fs.closeSync(fd); // the child has its own copies
    }
    p.status = 'running';
    p.startedAt = Date.now();
    child.on('error', (e) => {
      if (child.pid === undefined) launchFailed(p, e);
    });
    const pid = child.pid;
    if (pid === undefined) return; // spawn failed; 'error' follows
    // Our child cannot be reaped before we return to the event loop, so its stat is there.
    const ticks = readStat(pid)?.startTicks ?? 0;
    live.set(pid, ticks);
    o.onGroupStarted(pid, ticks);
    o.log('stdout', `Process '${name}' (run ${p.run}) started, pid ${pid}`);
    child.once('exit', (code, signal) => onExit(p, pid, ticks, code, signal));
    if (!announced) {
      announced = true;
      o.onRunning(`Process '${name}' started`);
    }
  }

  function launchFailed(p: Proc, e: Error): void {
    p.status = 'failed';
    const message = `Process '${p.spec.name}' could not be started: ${e.message}`;
    o.log('stderr', message);
    stop({ state: 'FAILED', reason: 'REASON_CONTAINER_LAUNCH_FAILED', message, exitCode: null }, 'SIGTERM');
  }

  function onExit(p: Proc, pid: number, ticks: number, code: number | null, signal: NodeJS.Signals | null): void {
    live.delete(pid);
    // Like Thermos (TaskRunnerHelper.kill_process), what a process leaves behind dies with it.
    if (signalLiveGroups(new Map([[pid, ticks]]), 'SIGKILL').length > 0) {
      lingering.set(pid, ticks);
      o.log('stderr', `Process '${p.spec.name}' left processes behind in its group; sent them SIGKILL`);
    }
    o.onGroupEnded(pid);
    const how = describeExit(code, signal);
    o.log(code === 0 ? 'stdout' : 'stderr', `Process '${p.spec.name}' (run ${p.run}, pid ${pid}) ${how}`);

    const s = currentStage();
    if (s !== 'active' && s !== 'finalizing') {
      p.status = 'killed';
      if (s === 'cleaning' && live.size === 0) beginFinalizing();
      else if (s === 'stopping') finishIfIdle();
      return;
    }
    if (code === 0) {
      if (p.spec.daemon && s === 'active') return restart(p, 'daemon');
      p.status = 'succeeded';
    } else {
      p.failures += 1;
      const max = p.spec.maxFailures;
      if (max === 0 || p.failures < max) return restart(p, `failure ${p.failures} of ${max === 0 ? 'unlimited' : max}`);
      p.status = 'failed';
      if (!p.spec.final) lastFailure = { message: `Process '${p.spec.name}' ${how}`, exitCode: code };
      o.log('stderr', `Process '${p.spec.name}' failed: ${p.failures} failed run(s), max_failures ${max}`);
    }
    advance();
  }

  /** Thermos min_duration: a process starts at most once per that many seconds. */
  function restart(p: Proc, why: string): void {
    p.run += 1;
    p.status = 'backoff';
    const delay = Math.max(0, p.startedAt + p.spec.minDuration * 1000 - Date.now());
    o.log('stdout', `Restarting process '${p.spec.name}' as run ${p.run} in ${delay} ms (${why})`);
    p.timer = setTimeout(() => {
      p.timer = null;
      p.status = 'waiting';
      advance();
    }, delay);
  }

  function advance(): void {
    const s = currentStage();
    if (s !== 'active' && s !== 'finalizing') return;
    const plan = s === 'active' ? regular : finals;
    for (const p of plan) {
      const ready = p.preds.every((n) => procs.get(n)!.status === 'succeeded');
      if (p.status === 'waiting' && ready) launch(p);
      if (currentStage() !== s) return; // a launch failure ended the task
    }
    const counted = plan.filter((p) => !p.spec.ephemeral);
    const complete = counted.every((p) => p.status === 'succeeded' || p.status === 'failed');
    const busy = plan.some((p) => p.status === 'running' || p.status === 'backoff');
    if (s === 'finalizing') {
      if (complete || !busy) stop(verdict!, 'SIGTERM');
      return;
    }
    const failed = regular.filter((p) => p.status === 'failed').length;
    if (o.maxFailures > 0 && failed >= o.maxFailures) return beginCleaning(failure(lastFailure!.message));
    if (complete) {
      const note = failed > 0 ? ` (${failed} process(es) failed, within max_failures ${o.maxFailures})` : '';
      return beginCleaning({ state: 'FINISHED', reason: null, message: `Task finished${note}`, exitCode: 0 });
    }
    if (!busy) beginCleaning(failure(deadlockMessage(counted)));
  }

  function deadlockMessage(counted: Proc[]): string {
    for (const p of counted) {
      const failedPred = p.preds.find((n) => procs.get(n)!.status === 'failed');
      if (p.status === 'waiting' && failedPred) {
        return `Process '${p.spec.name}' cannot start: process '${failedPred}' failed`;
      }
    }
    const stuck = counted.filter((p) => p.status === 'waiting').map((p) => `'${p.spec.name}'`);
    return `Processes ${stuck.join(', ')} wait for each other (ordering cycle)`;
  }

  function clearTimers(): void {
    for (const p of procs.values()) {
      if (p.timer) clearTimeout(p.timer);
      p.timer = null;
      if (p.status === 'backoff') p.status = 'killed';
    }
  }

  function beginCleaning(v: TaskOutcome): void {
    verdict = v;
    stage = 'cleaning';
    clearTimers();
    finalization = setTimeout(() => {
      o.log('stderr', `finalization_wait of ${o.finalizationWait}s exceeded; killing what is left`);
      stop(verdict!, 'SIGKILL');
    }, o.finalizationWait * 1000);
    if (live.size === 0) return beginFinalizing();
    o.log('stdout', `Regular processes done (${v.state}); terminating ${live.size} still running`);
    terminate('SIGTERM');
  }

  function beginFinalizing(): void {
    cancelEscalation();
    stage = 'finalizing';
    if (finals.length > 0) o.log('stdout', `Running final processes`);
    advance();
  }

  /** SIGTERM, then SIGKILL after graceMs to whatever is left (a process may ignore SIGTERM). */
  function terminate(signal: 'SIGTERM' | 'SIGKILL'): void {
    for (const pgid of live.keys()) signalGroup(pgid, signal);
    if (signal === 'SIGKILL') return cancelEscalation();
    o.log('stdout', `Sent SIGTERM to ${live.size} process group(s); SIGKILL follows in ${o.graceMs} ms`);
    escalation ??= setTimeout(() => {
      escalation = null;
      if (live.size === 0) return;
      const groups = [...live.keys()].join(', ');
      o.log('stderr', `Process group(s) ${groups} still running after ${o.graceMs} ms; sending SIGKILL`);
      terminate('SIGKILL');
    }, o.graceMs);
  }

  function cancelEscalation(): void {
    if (escalation) clearTimeout(escalation);
    escalation = null;
  }

  function stop(out: TaskOutcome, signal: 'SIGTERM' | 'SIGKILL'): void {
    const s = currentStage();
    if (s === 'done') return;
    if (s === 'stopping') {
      if (signal === 'SIGKILL') terminate('SIGKILL');
      return;
    }
    stage = 'stopping';
    outcome = out;
    clearTimers();
    if (finalization) clearTimeout(finalization);
    finalization = null;
    if (live.size > 0) terminate(signal);
    finishIfIdle();
  }

  function finishIfIdle(): void {
    if (live.size > 0 || ending) return;
    ending = true;
    cancelEscalation();
    // Leftovers got SIGKILL when their leader ended; wait the moment they take to die, so that a
    // terminal update means no process of the task is left.
    void waitGone(lingering, 2000).then((gone) => {
      if (!gone) o.log('stderr', `Processes of group(s) ${[...lingering.keys()].join(', ')} did not end after SIGKILL`);
      stage = 'done';
      o.onDone(outcome!);
    });
  }

  return {
    start() {
      advance();
    },
    stop,
    groups: () => live,
    done: () => currentStage() === 'done',
  };
}
