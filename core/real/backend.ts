import type { ClusterBackend, CommandPlan } from '../backend/backend.js';
import type { AuroraTask } from '../aurora/types.js';
import type { CallOutput, ClusterChange, Freshness, Profile, SourceFreshness, Task } from '../contract/index.js';
import type { AgentAddress } from '../mesos/agent.js';
import type { MesosTask } from '../mesos/types.js';
import { ConsoleError } from '../errors.js';
import type { Store } from '../store/index.js';
import { jobSummaryOf, type AuroraWatch } from './aurora-watch.js';
import { openRealCluster, type RealClusterOptions, type StoredWhere } from './cluster.js';
import type { MesosWatch } from './mesos-watch.js';
import { eventsOfAurora, eventsOfMesos, isTerminal, taskOfMesos } from './tasks.js';
import { auroraFirstRead, capabilitiesOf, instancesOf, isOutOfReach, keyOf, liveTaskOf, stillReading } from './views.js';

export { instancesOf, liveTaskOf } from './views.js';

type JobDetail = CallOutput<'jobs.get'>;
type TaskDetail = CallOutput<'tasks.get'>;
/** A task's detail as kept in the store: what tasks.get answered, and where its sandbox is. */
interface StoredTask {
  detail: TaskDetail;
  where: StoredWhere | null;
}

export type RealBackendOptions = Omit<RealClusterOptions, 'lastKnownWhere'> & {
  /** How often freshness is checked for a change to push (default 250 ms). */
  freshnessCheckMs?: number;
};

/**
 * A real cluster behind the cluster seam: its Mesos master(s) and Aurora scheduler read, with
 * what was last read kept in the store, so a job's detail and a task's page open "as of" when
 * either is out of reach, with the task's agent (its logs stay reachable while it is up).
 */
export function openRealBackend(
  store: Store,
  profile: Profile,
  o: RealBackendOptions,
): ClusterBackend & { cluster: ReturnType<typeof openRealCluster> } {
  const now = o.now;
  const lastKnown = (taskId: string) => store.snapshots.loadTask<StoredTask>(profile.id, taskId);
  const real = openRealCluster(store, profile, { ...o, lastKnownWhere: (taskId) => lastKnown(taskId)?.detail.where ?? null });
  const capabilities = capabilitiesOf(profile);

  const needMesos = (): MesosWatch => {
    if (real.mesos) return real.mesos;
    throw new ConsoleError(
      'MESOS_NOT_CONNECTED',
      `${profile.name} names no Mesos masters: its agents are not known.`,
      'Scaling, holds, instances and the audit log work with its AWS account; edit the profile and add its Mesos master URLs for its agents.',
    );
  };
  const needAurora = (): AuroraWatch => {
    if (real.aurora) return real.aurora;
    throw new ConsoleError(
      'AURORA_NOT_CONFIGURED',
      `${profile.name} names no Aurora scheduler: its jobs are not known.`,
      'Edit the profile: set its Aurora scheduler URL.',
    );
  };
  /** A command acts on the live scheduler only: on the last-known state it would act on a guess. */
  const needLiveAurora = (): AuroraWatch => {
    const aurora = needAurora();
    const failure = aurora.failure();
    if (failure) {
      throw new ConsoleError(
        'CLUSTER_READ_ONLY',
        `Aurora of ${profile.name} does not answer (${failure.message}); the console shows its last-known state, read-only.`,
        'Commands come back once the scheduler answers; try again in a moment.',
      );
    }
    return aurora;
  };

  // Aurora's view of the tasks read last (a job's page, a task's), so a change the master
  // pushes can be shown with what only Aurora knows (instance, ancestor, failures).
  const auroraTasks = new Map<string, AuroraTask>();
  const remember = (tasks: readonly AuroraTask[]) => {
    for (const t of tasks) {
      auroraTasks.delete(t.taskId);
      auroraTasks.set(t.taskId, t);
    }
    while (auroraTasks.size > 50_000) auroraTasks.delete(auroraTasks.keys().next().value!);
  };
  const mesosTask = (taskId: string): MesosTask | undefined => real.mesos?.live()?.index.taskById.get(taskId);
  /** A task in the screens' terms from the master's view, with Aurora's fields when it was read, and its run directory. */
  const viewOf = (m: MesosTask, pendingReason: string | null = null): Task => {
    const cached = auroraTasks.get(m.id);
    const workDir = real.mesos?.workDirOf(m.agentId);
    return cached ? liveTaskOf(cached, m, pendingReason, workDir) : taskOfMesos(m, real.mesos?.agent(m.agentId), workDir);
  };

  const joined = async (tasks: AuroraTask[]): Promise<Task[]> => {
    const aurora = needAurora();
    const pending = tasks.filter((t) => t.status === 'PENDING');
    const reasons =
      pending.length > 0
        ? await aurora.client.pendingReasons({ taskIds: pending.map((t) => t.taskId) }).catch(() => new Map<string, string>())
        : new Map<string, string>();
    return tasks.map((t) => {
      const m = mesosTask(t.taskId);
      return liveTaskOf(t, m, reasons.get(t.taskId) ?? null, m ? real.mesos?.workDirOf(m.agentId) : undefined);
    });
  };

  /** Where a task's sandbox is, from the live state, for the store. */
  const whereOf = (taskId: string, agentId: string | null): StoredWhere | null => {
    const m = mesosTask(taskId);
    const id = m?.agentId ?? agentId;
    const a = id ? real.mesos?.agent(id) : undefined;
    if (!a || !m) return null;
    const agent: AgentAddress = { id: a.id, hostname: a.hostname, ip: a.ip, port: a.port };
    return { agent, frameworkId: m.frameworkId, executorId: m.sandbox.executorId };
  };
  const observer = (taskId: string, agentId: string | null): { observerUrl?: string } => {
    const a = agentId ? real.mesos?.agent(agentId) : undefined;
    const host = a?.ip ?? a?.hostname;
    return host ? { observerUrl: `http://${host}:${profile.mesos?.observerPort ?? 1338}/task/${encodeURIComponent(taskId)}` } : {};
  };
  const saveTasks = (details: { detail: TaskDetail; agentId: string | null }[]) => {
    try {
      store.snapshots.saveTasks(
        profile.id,
        now(),
        details.map(({ detail, agentId }) => ({
          id: detail.task.taskId,
          detail: { detail, where: whereOf(detail.task.taskId, agentId) } satisfies StoredTask,
        })),
      );
    } catch (e) {
      o.log('saving the last-known tasks failed', e);
    }
  };

  const liveJob = async (key: string): Promise<JobDetail> => {
    const aurora = needAurora();
    const k = keyOf(key);
    const summary = aurora.job(key) ?? (await aurora.client.jobs(k.role)).find((j) => j.key === key);
    const tasks = await aurora.client.tasks({ role: k.role, environment: k.environment, jobName: k.name }, { withConfigs: true });
    if (!summary && tasks.length === 0)
      throw new ConsoleError('JOB_NOT_FOUND', `Aurora has no job ${key}.`, 'Pick a job from the Jobs list.');
    remember(tasks);
    const views = await joined(tasks);
    const newest = [...tasks].sort((a, b) => (b.events.at(-1)?.at ?? 0) - (a.events.at(-1)?.at ?? 0))[0];
    const instances = instancesOf(views);
    const counts: Record<string, number> = {};
    for (const i of instances) counts[i.current.state] = (counts[i.current.state] ?? 0) + 1;
    const base = summary
      ? jobSummaryOf(summary, null)
      : // A job Aurora lists tasks of but no summary (an ended ad-hoc job): what its tasks say.
        jobSummaryOf(
          {
            key,
            ...k,
            instances: instances.length,
            service: false,
            cron: null,
            tier: newest?.tier ?? null,
            priority: newest?.priority ?? 0,
            maxTaskFailures: 1,
            constraints: newest?.constraints ?? [],
            resources: newest?.resources ?? { cpus: 0, ramMb: 0, diskMb: 0 },
            stats: { active: 0, finished: 0, failed: 0, pending: 0 },
          },
          null,
        );
    const detail: JobDetail = { job: { ...base, taskCounts: counts }, processes: newest?.processes ?? [], instances, asOf: now() };
    try {
      store.snapshots.saveJob(profile.id, key, now(), detail);
    } catch (e) {
      o.log(`saving the last-known detail of ${key} failed`, e);
    }
    const byId = new Map(tasks.map((t) => [t.taskId, t]));
    saveTasks(
      views.map((task) => ({
        detail: { task, events: eventsOfAurora(byId.get(task.taskId)!), ...observer(task.taskId, task.agentId), asOf: now() },
        agentId: task.agentId,
      })),
    );
    return detail;
  };

  const liveTask = async (taskId: string): Promise<TaskDetail | null> => {
    const live = real.mesos?.live();
    const m = live?.index.taskById.get(taskId);
    if (real.aurora) {
      try {
        const [a] = await real.aurora.client.tasks({ taskIds: [taskId] });
        if (a) {
          remember([a]);
          const [task] = await joined([a]);
          const detail: TaskDetail = { task: task!, events: eventsOfAurora(a), ...observer(taskId, a.agentId), asOf: now() };
          saveTasks([{ detail, agentId: a.agentId }]);
          return detail;
        }
      } catch (e) {
        // Aurora out of reach: the master's view, if it has the task, is live and says more than the store.
        if (!isOutOfReach(e)) throw e;
        const stored = lastKnown(taskId);
        const best = m ? newer(mesosDetail(m), stored?.detail.detail) : stored?.detail.detail;
        if (!best) throw e;
        const c = e.toContract();
        return {
          ...best,
          asOf: stored && best === stored.detail.detail ? stored.at : (real.mesos?.freshness().asOf ?? now()),
          unreachable: { ...c, hint: `Shown from what the console last knew of it. ${c.hint ?? ''}`.trim() },
        };
      }
    }
    if (m) {
      const detail = mesosDetail(m);
      saveTasks([{ detail, agentId: m.agentId }]);
      return detail;
    }
    return null;
  };
  const mesosDetail = (m: MesosTask): TaskDetail => {
    const task = viewOf(m);
    return { task, events: eventsOfMesos(m), ...observer(m.id, m.agentId), asOf: real.mesos?.freshness().asOf ?? now() };
  };

  /** Of two views of one task, the one that knows more recent news (by its last change). */
  const newer = (a: TaskDetail, b: TaskDetail | undefined): TaskDetail => (b && b.task.updatedAt > a.task.updatedAt ? b : a);
  /** A stored job's attempts, each replaced by a newer view of it: the master's, or one pushed and stored since. */
  const freshened = (detail: JobDetail): JobDetail => {
    const latest = (t: Task): Task => {
      const m = mesosTask(t.taskId);
      const stored = lastKnown(t.taskId)?.detail.detail;
      let best: TaskDetail = { task: t, events: [] };
      if (stored) best = newer(best, stored);
      if (m) best = newer(best, mesosDetail(m));
      return best.task;
    };
    const instances = instancesOf(detail.instances.flatMap((i) => [i.current, ...i.history]).map(latest));
    const counts: Record<string, number> = {};
    for (const i of instances) counts[i.current.state] = (counts[i.current.state] ?? 0) + 1;
    return { ...detail, job: { ...detail.job, taskCounts: counts }, instances };
  };

  const marked = <T extends object>(stored: { at: number; detail: T }, e: ConsoleError, what: string) => {
    const c = e.toContract();
    return {
      ...stored.detail,
      asOf: stored.at,
      unreachable: {
        ...c,
        hint: `This is the last-known ${what}; it turns live by itself once the cluster answers.${c.hint ? ` ${c.hint}` : ''}`,
      },
    };
  };

  // --- freshness and changes -------------------------------------------------------------
  const freshness = (): Freshness => {
    const sources: SourceFreshness[] = [];
    if (real.mesos) {
      const f = real.mesos.freshness();
      // A state read in parts (the full one could not be read): current, but missing what only the full one has.
      const degraded = real.mesos.live()?.state.degraded;
      if (degraded && f.failure === null) {
        sources.push({ name: 'mesos', live: false, asOf: f.asOf, error: { code: 'MESOS_BAD_RESPONSE', message: degraded } });
      } else {
        sources.push({ name: 'mesos', live: f.live, asOf: f.asOf, error: f.live ? null : (f.error ?? stillReading) });
      }
    }
    if (real.aurora) {
      const failure = real.aurora.failure();
      const asOf = real.aurora.asOf();
      sources.push({
        name: 'aurora',
        live: failure === null && asOf !== null,
        asOf,
        error: failure ?? (asOf === null ? auroraFirstRead : null),
      });
    }
    return { live: sources.every((s) => s.live), sources };
  };

  const listeners = new Set<(changes: readonly ClusterChange[]) => void>();
  const emit = (changes: readonly ClusterChange[]) => {
    if (changes.length === 0) return;
    for (const l of [...listeners]) {
      try {
        l(changes);
      } catch (e) {
        o.log('a cluster change listener failed', e);
      }
    }
  };
  let lastFreshness = '';
  const checkFreshness = () => {
    if (listeners.size === 0) return;
    const f = freshness();
    // Only whether each source is live and why not: asOf moves with every event.
    const sig = JSON.stringify(f.sources.map((s) => [s.name, s.live, s.error?.code ?? null, s.error?.message ?? null]));
    if (sig === lastFreshness) return;
    lastFreshness = sig;
    emit([{ kind: 'freshness', freshness: f }]);
  };
  const freshnessTimer = setInterval(checkFreshness, o.freshnessCheckMs ?? 250);
  freshnessTimer.unref();

  /** A task the master changed, in the screens' terms (with Aurora's fields when it was read). */
  const taskChange = (taskId: string): ClusterChange | null => {
    const m = mesosTask(taskId);
    return m ? { kind: 'task', task: viewOf(m) } : null;
  };
  // The overview is pushed at most once a second while the cluster moves (it is a whole-cluster sum).
  let overviewDue: NodeJS.Timeout | null = null;
  let lastOverviewAt = 0;
  const pushOverview = () => {
    if (overviewDue || !real.mesos) return;
    overviewDue = setTimeout(
      () => {
        overviewDue = null;
        lastOverviewAt = now();
        if (listeners.size === 0) return;
        try {
          emit([{ kind: 'overview', overview: withPending(real.mesos!.overview()) }]);
        } catch {
          // No overview before the first state.
        }
      },
      Math.max(0, lastOverviewAt + 1000 - now()),
    );
    overviewDue.unref();
  };
  const stopMesosChanges =
    real.mesos &&
    real.mesos.onChange((c) => {
      if (c.freshness) checkFreshness();
      const out: ClusterChange[] = [];
      const seen: { detail: TaskDetail; agentId: string | null }[] = [];
      // The whole model was replaced (a new SUBSCRIBED): screens read again what they show.
      if (c.all) out.push({ kind: 'resync', reason: 'The Mesos master sent its whole state again.' });
      for (const id of c.all ? auroraTasks.keys() : c.tasks) {
        const ch = c.all ? null : taskChange(id);
        if (ch) out.push(ch);
        // A task a screen has shown is kept as it is now, so it opens on its latest state when the cluster is out of reach.
        const m = auroraTasks.has(id) ? mesosTask(id) : undefined;
        if (!m) continue;
        const detail = mesosDetail(m);
        const before = lastKnown(id)?.detail.detail;
        // A master that comes back with an older picture (its registry) does not overwrite newer news.
        if (!before || detail.task.updatedAt >= before.task.updatedAt) seen.push({ detail, agentId: m.agentId });
      }
      if (seen.length > 0) saveTasks(seen);
      if (listeners.size === 0) return;
      if (c.agents.length > 0) {
        const byId = new Map(real.mesos!.agents().agents.map((a) => [a.id, a]));
        for (const id of c.agents) {
          const a = byId.get(id);
          if (a) out.push({ kind: 'agent', agent: a });
        }
      }
      for (const id of c.removedAgents) out.push({ kind: 'agent.removed', agentId: id });
      if (out.length > 0) pushOverview();
      emit(out);
    });

  const withPending = (overview: ReturnType<MesosWatch['overview']>) => {
    // Pending tasks are Aurora's alone: the master never sees them.
    let jobs = null;
    try {
      jobs = real.aurora?.jobs().jobs ?? null;
    } catch {
      jobs = null;
    }
    const pending = jobs?.reduce((n, j) => n + (j.taskCounts.PENDING ?? 0), 0) ?? 0;
    return pending > 0 ? { ...overview, tasksByState: { ...overview.tasksByState, PENDING: pending } } : overview;
  };

  return {
    cluster: real,
    capabilities,
    ready: real.ready,

    agents: async (input) => {
      const mesos = needMesos();
      // Right after a profile opens, the first answer is a moment away: wait for it rather than fail.
      await mesos.whenAgents(10_000);
      const known = mesos.agents();
      const attr = input.attribute;
      const agents = known.agents.filter(
        (a) => (input.slaveType === undefined || a.slaveType === input.slaveType) && (!attr || a.attributes[attr.name] === attr.value),
      );
      return { ...known, agents };
    },

    overview: async () => withPending(needMesos().overview()),

    jobs: async () => needAurora().jobs(),

    job: async (key) => {
      try {
        return await liveJob(key);
      } catch (e) {
        if (!isOutOfReach(e)) throw e;
        const stored = store.snapshots.loadJob<JobDetail>(profile.id, key);
        if (!stored) throw e;
        return marked({ at: stored.at, detail: freshened(stored.detail) }, e, 'detail of this job');
      }
    },

    task: async (taskId) => {
      let found: TaskDetail | null;
      try {
        found = await liveTask(taskId);
      } catch (e) {
        if (!isOutOfReach(e)) throw e;
        const stored = lastKnown(taskId);
        if (!stored) throw e;
        const m = mesosTask(taskId);
        return marked(
          { at: stored.at, detail: m ? newer(stored.detail.detail, mesosDetail(m)) : stored.detail.detail },
          e,
          'state of this task',
        );
      }
      if (found) return found;
      const stored = lastKnown(taskId);
      if (stored) return { ...stored.detail.detail, asOf: stored.at };
      throw new ConsoleError(
        'TASK_NOT_FOUND',
        `Neither the Mesos master nor Aurora knows task ${taskId}.`,
        'It may have been pruned; open its job instead.',
      );
    },

    tasks: async ({ agentId, jobKey, states, limit }) => {
      const mesos = needMesos();
      const live = mesos.live();
      if (!live) {
        const f = mesos.freshness().failure;
        if (f) throw new ConsoleError(f.code, f.message, f.hint, f.details);
        throw new ConsoleError(stillReading.code, stillReading.message, stillReading.hint);
      }
      const { index } = live;
      const wanted = states ? new Set<string>(states) : null;
      const from = agentId
        ? (index.activeByAgent.get(agentId) ?? [])
        : jobKey
          ? (index.activeByName.get(jobKey) ?? [])
          : [...index.activeByAgent.values()].flat();
      const tasks = from
        .filter((t) => (!agentId || t.agentId === agentId) && (!jobKey || t.name === jobKey))
        .map((t) => viewOf(t))
        .filter((t) => !wanted || wanted.has(t.state))
        .sort((a, b) => b.createdAt - a.createdAt)
        .slice(0, limit);
      return { tasks };
    },

    sandbox: async (taskId) => (await real.sandbox(taskId)).files,

    createJobs: (): CommandPlan<{ created: string[] }> => {
      throw new ConsoleError(
        'JOB_CREATE_UNSUPPORTED',
        `The console does not submit jobs to the Aurora of ${profile.name}.`,
        capabilities.createJobs.reason!,
      );
    },

    kill: async (key, instances, actor) => {
      const aurora = needLiveAurora();
      const k = keyOf(key);
      const before = await aurora.client.tasks({ ...k, jobName: k.name, ...(instances ? { instanceIds: instances } : {}) });
      const killed = before.filter((t) => !isTerminal(t.status)).map((t) => t.taskId);
      return {
        op: {
          kind: 'job.kill',
          target: key,
          summary: `Kill ${key}${instances ? ` instances ${instances.join(', ')}` : ' (all instances)'} through Aurora`,
          intent: { instances: instances ?? 'all', tasks: killed },
        },
        act: async () => {
          await aurora.client.kill(k, instances, `Killed by ${actor} from Cantareira Console`);
          void aurora.refresh();
          return { killed };
        },
      };
    },

    restart: async (key, instances) => {
      const aurora = needLiveAurora();
      const k = keyOf(key);
      const before = await aurora.client.tasks({ ...k, jobName: k.name, instanceIds: instances });
      const active = before.filter((t) => !isTerminal(t.status));
      // Aurora restarts active instances only; say which are not before asking it.
      const idle = instances.filter((i) => !active.some((t) => t.instance === i));
      if (idle.length > 0) {
        throw new ConsoleError(
          'INSTANCE_NOT_FOUND',
          `${key} has no active attempt of instance${idle.length === 1 ? '' : 's'} ${idle.join(', ')}: there is nothing to restart.`,
          'Aurora reschedules a failed instance by itself while it has failures left; pick instances that are pending or running.',
        );
      }
      const restarted = active.map((t) => t.taskId);
      return {
        op: {
          kind: 'job.restart',
          target: key,
          summary: `Restart ${key} instances ${instances.join(', ')} through Aurora`,
          intent: { instances, tasks: restarted },
        },
        act: async () => {
          await aurora.client.restart(k, instances);
          void aurora.refresh();
          return { restarted };
        },
      };
    },

    agentsOnMachines: () => real.mesos?.agentsOnMachines() ?? [],
    // Without masters, a machine has arrived once EC2 runs it.
    ...(real.mesos ? {} : { machineReady: (i: { state: string }) => i.state === 'running' }),

    freshness,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async close() {
      clearInterval(freshnessTimer);
      if (overviewDue) clearTimeout(overviewDue);
      stopMesosChanges?.();
      listeners.clear();
      real.close();
    },
  };
}
