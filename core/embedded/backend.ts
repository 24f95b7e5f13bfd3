import path from 'node:path';
import type { ClusterBackend, CommandPlan } from '../backend/backend.js';
import type { Capabilities, ClusterChange, Freshness, Overview, Profile } from '../contract/index.js';
import { localSandboxFiles } from '../logs/local.js';
import { ConsoleError } from '../errors.js';
import { formatJobFileError, parseJobFile } from '../model/job-file.js';
import { agentUsage } from '../scheduler/round.js';
import type { Store } from '../store/index.js';
import type { AgentOnMachine } from '../scaling/plan.js';
import { startEmbeddedRuntime, type EmbeddedOptions, type EmbeddedRuntime } from './runtime.js';
import { agentView, currentAttempts, jobView, taskView } from './views.js';

export interface EmbeddedBackendOptions {
  store: Store;
  profile: Profile;
  dataDir: string;
  now: () => number;
  log: (msg: string, err?: unknown) => void;
  /** Where the runtime's changes are recorded (the cluster events of the store). */
  onEvent: (kind: 'job.created' | 'job.killed' | 'task.state', subject: string, message: string) => void;
  demoJobsDir?: string;
  tickMs?: number;
  graceMs?: number;
}

const capabilities: Capabilities = {
  agents: { ok: true, reason: null },
  jobs: { ok: true, reason: null },
  createJobs: { ok: true, reason: null },
  jobCommands: { ok: true, reason: null },
  machines: { ok: true, reason: null },
  observer: { ok: false, reason: 'The embedded cluster runs its tasks on this machine: their files are its sandbox.' },
  noAgentsHint:
    'The embedded cluster starts the agents its pools call for, and no pool of this profile has any nodes. ' +
    'To see a working cluster, start the console with --profile embedded: the built-in profile starts three agents.',
  label: 'embedded cluster',
  local: true,
};

/** How often the overview is pushed at most while tasks move. */
const overviewEveryMs = 1000;

/**
 * The embedded cluster behind the cluster seam: the scheduler and the local agents answer
 * every read at once (they are always current), and each change of a task is pushed as it
 * happens, with the agent it holds resources on and the overview.
 */
export function openEmbeddedBackend(o: EmbeddedBackendOptions): ClusterBackend & { runtime: EmbeddedRuntime } {
  const { store, profile, now } = o;
  const listeners = new Set<(changes: readonly ClusterChange[]) => void>();
  const emit = (changes: ClusterChange[]) => {
    if (changes.length === 0) return;
    for (const l of [...listeners]) {
      try {
        l(changes);
      } catch (e) {
        o.log('a cluster change listener failed', e);
      }
    }
  };

  // Task changes come in bursts (a round places many): gathered, then pushed once per turn of the loop.
  const changedTasks = new Set<string>();
  let agentsChanged = false;
  let flushQueued = false;
  let lastOverview = 0;
  let overviewTimer: NodeJS.Timeout | null = null;
  let closed = false;
  const flush = () => {
    flushQueued = false;
    if (closed || listeners.size === 0) {
      changedTasks.clear();
      agentsChanged = false;
      return;
    }
    const out: ClusterChange[] = [];
    const touchedAgents = new Set<string>();
    for (const id of changedTasks) {
      const t = store.tasks.get(profile.id, id);
      if (!t) continue;
      out.push({ kind: 'task', task: taskView(t) });
      if (t.agentId) touchedAgents.add(t.agentId);
    }
    changedTasks.clear();
    const usage = agentUsage(runtime.scheduler);
    for (const a of runtime.agents()) {
      if (agentsChanged || touchedAgents.has(a.id)) out.push({ kind: 'agent', agent: agentView(a, usage.get(a.id)) });
    }
    agentsChanged = false;
    emit(out);
    pushOverviewSoon();
  };
  const queue = () => {
    if (flushQueued) return;
    flushQueued = true;
    setImmediate(flush);
  };
  const pushOverviewSoon = () => {
    if (overviewTimer) return;
    const wait = Math.max(0, lastOverview + overviewEveryMs - now());
    overviewTimer = setTimeout(() => {
      overviewTimer = null;
      if (closed || listeners.size === 0) return;
      lastOverview = now();
      emit([{ kind: 'overview', overview: overviewOf() }]);
    }, wait);
    overviewTimer.unref();
  };

  const runtimeOptions: EmbeddedOptions = {
    store,
    profile,
    dataDir: o.dataDir,
    now,
    log: o.log,
    onChange: (kind, subject, message) => {
      o.onEvent(kind, subject, message);
      if (kind === 'task.state') changedTasks.add(subject);
      queue();
    },
    onAgentsChanged: () => {
      agentsChanged = true;
      queue();
    },
    ...(o.demoJobsDir === undefined ? {} : { demoJobsDir: o.demoJobsDir }),
    ...(o.tickMs === undefined ? {} : { tickMs: o.tickMs }),
    ...(o.graceMs === undefined ? {} : { graceMs: o.graceMs }),
  };
  const runtime = startEmbeddedRuntime(runtimeOptions);

  const overviewOf = (): Overview => {
    const usage = agentUsage(runtime.scheduler);
    const byType = new Map<string, Overview['agentsByType'][number]>();
    for (const a of runtime.agents()) {
      let row = byType.get(a.slaveType);
      if (!row) {
        row = {
          slaveType: a.slaveType,
          agents: 0,
          cpus: { used: 0, total: 0 },
          memMb: { used: 0, total: 0 },
          diskMb: { used: 0, total: 0 },
        };
        byType.set(a.slaveType, row);
      }
      const u = usage.get(a.id);
      row.agents++;
      row.cpus.total += a.resources.cpus;
      row.cpus.used += u?.cpus ?? 0;
      row.memMb.total += a.resources.memMb;
      row.memMb.used += u?.memMb ?? 0;
      row.diskMb.total += a.resources.diskMb;
      row.diskMb.used += u?.diskMb ?? 0;
    }
    const tasksByState: Record<string, number> = {};
    // Jobs killed on purpose are history, not a state of the cluster.
    for (const [key, job] of runtime.scheduler.jobs) {
      if (job.state !== 'active') continue;
      for (const t of currentAttempts(store.tasks.ofJob(profile.id, key))) tasksByState[t.state] = (tasksByState[t.state] ?? 0) + 1;
    }
    return {
      agentsByType: [...byType.values()],
      tasksByState,
      latestFailures: store.tasks.latestFailures(profile.id, 10).map(taskView),
      asOf: now(),
    };
  };

  const freshness = (): Freshness => ({ live: true, sources: [{ name: 'embedded', live: true, asOf: now(), error: null }] });

  const taskRecord = (taskId: string) => {
    const task = store.tasks.get(profile.id, taskId);
    if (!task) throw new ConsoleError('TASK_NOT_FOUND', `There is no task ${taskId}.`, 'It may have been pruned; open its job instead.');
    return task;
  };

  return {
    runtime,
    capabilities,
    ready: runtime.ready,

    agents: async (input) => {
      const usage = agentUsage(runtime.scheduler);
      let agents = runtime.agents().filter((a) => input.slaveType === undefined || a.slaveType === input.slaveType);
      const attr = input.attribute;
      if (attr) agents = agents.filter((a) => a.attributes[attr.name] === attr.value);
      return { agents: agents.map((a) => agentView(a, usage.get(a.id))), asOf: now() };
    },

    overview: async () => overviewOf(),

    jobs: async () => ({
      jobs: [...runtime.scheduler.jobs.values()].map((j) =>
        jobView(j, currentAttempts(store.tasks.ofJob(profile.id, `${j.spec.key.role}/${j.spec.key.environment}/${j.spec.key.name}`))),
      ),
    }),

    job: async (key) => {
      const job = runtime.scheduler.jobs.get(key);
      if (!job) throw new ConsoleError('JOB_NOT_FOUND', `There is no job ${key}.`, 'Pick a job from the Jobs list.');
      const all = store.tasks.ofJob(profile.id, key);
      const current = currentAttempts(all);
      const instances = current.map((c) => ({
        instance: c.instance,
        current: taskView(c),
        history: all
          .filter((t) => t.instance === c.instance && t.taskId !== c.taskId)
          .sort((a, b) => b.createdAt - a.createdAt)
          .map(taskView),
      }));
      return {
        job: jobView(job, current),
        processes: job.spec.task.processes.map((p) => ({ name: p.name, cmdline: p.cmdline })),
        instances,
      };
    },

    task: async (taskId) => ({ task: taskView(taskRecord(taskId)), events: store.tasks.events(profile.id, taskId) }),

    tasks: async ({ agentId, jobKey, states, limit }) => {
      const wanted = states ? new Set<string>(states) : null;
      const tasks = [...runtime.scheduler.active.values()]
        .filter((t) => (!agentId || t.agentId === agentId) && (!jobKey || t.jobKey === jobKey) && (!wanted || wanted.has(t.state)))
        .sort((a, b) => b.createdAt - a.createdAt)
        .slice(0, limit)
        .map(taskView);
      return { tasks };
    },

    sandbox: async (taskId) => {
      const task = taskRecord(taskId);
      if (task.sandboxDir === null) {
        const why = task.pendingReason ? ` (${task.pendingReason})` : '';
        throw new ConsoleError(
          'SANDBOX_GONE',
          `Task ${taskId} has no sandbox yet: it is ${task.state}${why}.`,
          'Its files appear once the task is placed on an agent and starts.',
        );
      }
      // The run directory: the parent of the sandbox the executor made, as on a Mesos agent.
      return localSandboxFiles(path.dirname(task.sandboxDir));
    },

    createJobs: (text, fileName): CommandPlan<{ created: string[] }> => {
      const parsed = parseJobFile(text, { defaultCluster: profile.name });
      if (!parsed.ok) {
        const details = parsed.errors.map(formatJobFileError);
        throw new ConsoleError(
          'JOB_SPEC_INVALID',
          `${fileName ?? 'The job file'} has ${details.length} problem${details.length === 1 ? '' : 's'}: ${details[0]}${details.length > 1 ? ' …' : ''}`,
          'Fix the fields listed and submit the file again; nothing was created.',
          details,
        );
      }
      const keys = parsed.jobs.map((j) => `${j.key.role}/${j.key.environment}/${j.key.name}`).join(', ');
      return {
        op: { kind: 'job.create', target: keys, summary: `Create ${keys}${fileName ? ` from ${fileName}` : ''}`, intent: { fileName } },
        act: () => ({ created: runtime.scheduler.createJobs(parsed.jobs, fileName) }),
      };
    },

    kill: async (key, instances, actor) => ({
      op: {
        kind: 'job.kill',
        target: key,
        summary: `Kill ${key}${instances ? ` instances ${instances.join(', ')}` : ' (all instances)'}`,
        intent: { instances: instances ?? 'all' },
      },
      act: () => ({ killed: runtime.scheduler.kill(key, instances, `Killed by ${actor}`) }),
    }),

    restart: async (key, instances, actor) => ({
      op: { kind: 'job.restart', target: key, summary: `Restart ${key} instances ${instances.join(', ')}`, intent: { instances } },
      act: () => ({ restarted: runtime.scheduler.restart(key, instances, `Restarted by ${actor}`) }),
    }),

    agentsOnMachines: (): AgentOnMachine[] =>
      runtime.agents().map((a) => ({
        id: a.id,
        hostname: a.hostname,
        ip: a.ip,
        slaveType: a.slaveType,
        tasks: runtime.scheduler.activeOn(a.id).map((t) => ({ taskId: t.taskId, jobKey: t.jobKey, instance: t.instance, state: t.state })),
      })),

    freshness,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async close() {
      closed = true;
      if (overviewTimer) clearTimeout(overviewTimer);
      listeners.clear();
      await runtime.close();
    },
  };
}
