import fs from 'node:fs';
import path from 'node:path';
import type { Profile } from '../contract/profiles.js';
import type { AgentRecord } from '../model/agent.js';
import { parseJobFile, formatJobFileError } from '../model/job-file.js';
import type { JobSpec } from '../model/job.js';
import { renderCmdline } from '../model/mustache.js';
import type { TaskRecord } from '../model/task.js';
import { scheduleRound } from '../scheduler/round.js';
import { createSchedulerState, type SchedulerState } from '../scheduler/scheduler.js';
import { SLAVE_ASSIGNED_STATES } from '../scheduler/state-machine.js';
import type { Store } from '../store/index.js';
import { bootDueMachines, seedMachines, syncAgents } from './cluster.js';
import { createExecutor, type Executor } from './executor.js';
import { collectSandboxes } from './sandbox.js';

export interface EmbeddedOptions {
  store: Store;
  profile: Profile;
  dataDir: string;
  now: () => number;
  log: (msg: string, err?: unknown) => void;
  onChange: (kind: 'job.created' | 'job.killed' | 'task.state', subject: string, message: string) => void;
  /** Called after agents register or go away (machines booted or terminated by scaling). */
  onAgentsChanged?: () => void;
  /** Job files submitted on the first start of the profile. */
  demoJobsDir?: string;
  tickMs?: number;
  graceMs?: number;
  sandboxGc?: { maxAgeMs: number; maxTotalBytes: number; everyMs: number };
}

export interface EmbeddedRuntime {
  scheduler: SchedulerState;
  agents(): AgentRecord[];
  /** Resolves once processes left by a previous run are dealt with and scheduling has begun. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * The embedded cluster at work: local agents, the scheduler, and an executor running tasks as
 * child processes. On start, whatever a previous run left (a crash, a kill -9) is stopped and
 * its tasks reported LOST before anything new is placed; then a round every `tickMs` places
 * pending tasks, serves flapping penalties and triggers cron runs.
 */
export function startEmbeddedRuntime(o: EmbeddedOptions): EmbeddedRuntime {
  const { store, profile, now, log } = o;
  seedMachines(store, profile, now());
  let agents = syncAgents(store, profile, o.dataDir, now()).agents;
  let machinesSeen = store.machines.version();
  let executor: Executor | null = null;

  const scheduler = createSchedulerState({
    store,
    profileId: profile.id,
    now,
    random: Math.random,
    launcher: { kill: (taskId, message) => void executor?.kill(taskId, { message }) },
    onChange: o.onChange,
    log,
  });

  executor = createExecutor({
    profileId: profile.id,
    frameworkId: `${profile.id}-aurora-0000`,
    store: store.executorProcesses,
    now,
    ...(o.graceMs === undefined ? {} : { graceMs: o.graceMs }),
    onUpdate: (u) => {
      if (closed) return;
      try {
        scheduler.onStatus(u);
      } catch (e) {
        log(`applying ${u.state} of ${u.taskId} failed`, e);
      }
    },
  });

  const launch = (task: TaskRecord, job: JobSpec, agent: AgentRecord) => {
    const ctx = { instance: task.instance, hostname: agent.hostname, taskId: task.taskId, ports: task.ports, user: job.key.role };
    const processes = job.task.processes.map((p) => ({ ...p, cmdline: renderCmdline(p.cmdline, ctx) }));
    return executor!.launch({
      taskId: task.taskId,
      agentId: agent.id,
      agentWorkDir: agent.sandboxRoot,
      processes,
      orderings: job.task.orderings,
      maxFailures: job.task.maxFailures,
      finalizationWait: job.task.finalizationWait,
      ramMb: job.task.resources.ramMb,
      env: { MESOS_TASK_ID: task.taskId, AURORA_JOB: task.jobKey, AURORA_INSTANCE: String(task.instance) },
    });
  };

  let closed = false;
  let timer: ReturnType<typeof setInterval> | null = null;
  let gcTimer: ReturnType<typeof setInterval> | null = null;

  /**
   * Machines booted or terminated since the last look become agents registered or gone; a
   * gone agent's tasks are LOST (and follow their policy), and its processes are stopped.
   */
  const followMachines = () => {
    const booted = bootDueMachines(store, profile.id, now());
    if (booted === 0 && store.machines.version() === machinesSeen) return;
    machinesSeen = store.machines.version();
    const changes = syncAgents(store, profile, o.dataDir, now());
    agents = changes.agents;
    for (const gone of changes.removed) {
      const onIt = scheduler.activeOn(gone.id).map((t) => t.taskId);
      scheduler.agentGone(gone.id, `Agent ${gone.hostname} went away: its machine was terminated`);
      for (const taskId of onIt) void executor?.kill(taskId, { message: 'Agent removed' });
    }
    if (changes.registered.length > 0 || changes.removed.length > 0) o.onAgentsChanged?.();
  };

  const tick = () => {
    if (closed) return;
    try {
      followMachines();
    } catch (e) {
      log('following machines failed', e);
    }
    try {
      scheduler.expireTimers();
      scheduler.triggerCron();
      scheduleRound(scheduler, agents, launch, Math.random);
    } catch (e) {
      log('scheduling round failed', e);
    }
  };

  const ready = (async () => {
    await executor.recover(profile.id);
    // Anything still bound to an agent was not relaunched by recovery: its process is gone.
    for (const t of [...scheduler.active.values()]) {
      if (SLAVE_ASSIGNED_STATES.has(t.state) && !executor.running().includes(t.taskId)) {
        store.db.transaction(() => scheduler.move(t, 'LOST', 'The console restarted; the task was no longer running'))();
      }
    }
    if (o.demoJobsDir) submitDemoJobs(store, profile.id, scheduler, o.demoJobsDir, log);
    if (closed) return;
    timer = setInterval(tick, o.tickMs ?? 250);
    tick();
    const gc = o.sandboxGc ?? sandboxGcSettings(process.env);
    gcTimer = setInterval(() => {
      collectSandboxes({
        roots: agents.map((a) => a.sandboxRoot),
        maxAgeMs: gc.maxAgeMs,
        maxTotalBytes: gc.maxTotalBytes,
        isActive: (taskId) => scheduler.active.has(taskId),
        now: now(),
      }).catch((e: unknown) => log('sandbox GC failed', e));
    }, gc.everyMs);
    gcTimer.unref();
  })();
  ready.catch((e: unknown) => log('embedded cluster failed to start', e));

  return {
    scheduler,
    agents: () => agents,
    ready,
    async close() {
      if (timer) clearInterval(timer);
      if (gcTimer) clearInterval(gcTimer);
      await ready.catch(() => {});
      // Tasks stop with the console and are reported LOST (then rescheduled at the next start).
      await executor!.shutdown();
      closed = true;
      agents = [];
    },
  };
}

/** On the first start of a profile, submits the demo job files so every screen has something true to show. */
function submitDemoJobs(store: Store, profileId: string, scheduler: SchedulerState, dir: string, log: EmbeddedOptions['log']) {
  const flag = `demo_jobs_submitted:${profileId}`;
  if (store.settings.get(flag) !== null || !fs.existsSync(dir)) return;
  for (const file of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const parsed = parseJobFile(fs.readFileSync(path.join(dir, file), 'utf8'), { defaultCluster: 'embedded' });
    if (!parsed.ok) {
      log(`demo job file ${file} is invalid: ${parsed.errors.map(formatJobFileError).join('; ')}`);
      continue;
    }
    try {
      scheduler.createJobs(parsed.jobs, `demo/${file}`);
    } catch (e) {
      log(`demo job file ${file} was not submitted`, e);
    }
  }
  store.settings.set(flag, String(Date.now()));
}

/**
 * How long finished tasks' sandboxes are kept, and how much room they may take: 7 days and
 * 20 GiB unless CANTAREIRA_SANDBOX_MAX_AGE_HOURS / CANTAREIRA_SANDBOX_MAX_GB say otherwise.
 */
export function sandboxGcSettings(env: NodeJS.ProcessEnv): { maxAgeMs: number; maxTotalBytes: number; everyMs: number } {
  const positive = (v: string | undefined, fallback: number) => {
    const n = Number(v);
    return v !== undefined && Number.isFinite(n) && n > 0 ? n : fallback;
  };
  return {
    maxAgeMs: positive(env.CANTAREIRA_SANDBOX_MAX_AGE_HOURS, 7 * 24) * 3_600_000,
    maxTotalBytes: positive(env.CANTAREIRA_SANDBOX_MAX_GB, 20) * 1024 ** 3,
    everyMs: 10 * 60_000,
  };
}
