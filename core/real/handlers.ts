import type { Task } from '../contract/jobs.js';
import type { Handlers } from '../dispatch.js';
import { journaledAsync, type SessionContext } from '../handlers/context.js';
import type { AuroraJobKey, AuroraTask } from '../aurora/types.js';
import { ConsoleError } from '../model/errors.js';
import { jobSummaryOf, type AuroraWatch } from './aurora-watch.js';
import type { RealCluster } from './cluster.js';
import type { MesosWatch } from './mesos-watch.js';
import { eventsOfAurora, eventsOfMesos, isTerminal, taskOfAurora, taskOfMesos } from './tasks.js';

type ClusterHandlers = Pick<
  Handlers,
  'agents.list' | 'overview.get' | 'jobs.list' | 'jobs.get' | 'jobs.create' | 'jobs.kill' | 'jobs.restart' | 'tasks.get' | 'tasks.list'
>;

export interface RealContext extends SessionContext {
  real: RealCluster;
}

const keyOf = (key: string): AuroraJobKey => {
  const [role = '', environment = '', name = ''] = key.split('/');
  return { role, environment, name };
};

function needMesos(ctx: RealContext): MesosWatch {
  if (ctx.real.mesos) return ctx.real.mesos;
  throw new ConsoleError(
    'MESOS_NOT_CONNECTED',
    `${ctx.profile.name} names no Mesos masters: its agents are not known.`,
    'Scaling, holds, instances and the audit log work with its AWS account; edit the profile and add its Mesos master URLs for its agents.',
  );
}

function needAurora(ctx: RealContext): AuroraWatch {
  if (ctx.real.aurora) return ctx.real.aurora;
  throw new ConsoleError(
    'AURORA_NOT_CONFIGURED',
    `${ctx.profile.name} names no Aurora scheduler: its jobs are not known.`,
    'Edit the profile: set its Aurora scheduler URL.',
  );
}

/** A command acts on the live scheduler only: on the last-known state it would act on a guess. */
function needLiveAurora(ctx: RealContext): AuroraWatch {
  const aurora = needAurora(ctx);
  const failure = aurora.failure();
  if (failure) {
    throw new ConsoleError(
      'CLUSTER_READ_ONLY',
      `Aurora of ${ctx.profile.name} does not answer (${failure.message}); the console shows its last-known state, read-only.`,
      'Commands come back once the scheduler answers; try again in a moment.',
    );
  }
  return aurora;
}

/** The current attempt of each instance first (newest, active before ended), then the ones before it. */
function instancesOf(tasks: Task[]) {
  const byInstance = new Map<number, Task[]>();
  for (const t of tasks) byInstance.set(t.instance, [...(byInstance.get(t.instance) ?? []), t]);
  return [...byInstance.entries()]
    .sort(([a], [b]) => a - b)
    .map(([instance, attempts]) => {
      const sorted = attempts.sort((a, b) => Number(isTerminal(a.state)) - Number(isTerminal(b.state)) || b.createdAt - a.createdAt);
      return { instance, current: sorted[0]!, history: sorted.slice(1) };
    });
}

/**
 * The cluster calls of a real cluster, answered from its Mesos master and Aurora scheduler.
 * Same inputs and outputs as the embedded cluster's, so every screen works unchanged.
 */
export function realClusterHandlers(ready: () => RealContext): ClusterHandlers {
  const joined = async (ctx: RealContext, tasks: AuroraTask[]): Promise<Task[]> => {
    const aurora = needAurora(ctx);
    const pending = tasks.filter((t) => t.status === 'PENDING');
    const reasons =
      pending.length > 0
        ? await aurora.client.pendingReasons({ taskIds: pending.map((t) => t.taskId) }).catch(() => new Map<string, string>())
        : new Map<string, string>();
    const index = ctx.real.mesos?.live()?.index;
    return tasks.map((t) => taskOfAurora(t, index?.taskById.get(t.taskId), reasons.get(t.taskId) ?? null));
  };

  return {
    'agents.list': async (input) => {
      const mesos = needMesos(ready());
      // Right after a profile opens, the first answer is a moment away: wait for it rather than fail.
      await mesos.whenAgents(10_000);
      const known = mesos.agents();
      const attr = input.attribute;
      const agents = known.agents.filter(
        (a) => (input.slaveType === undefined || a.slaveType === input.slaveType) && (!attr || a.attributes[attr.name] === attr.value),
      );
      return { ...known, agents };
    },

    'overview.get': () => {
      const ctx = ready();
      const overview = needMesos(ctx).overview();
      // Pending tasks are Aurora's alone: the master never sees them.
      const jobs = ctx.real.aurora
        ? (() => {
            try {
              return ctx.real.aurora.jobs().jobs;
            } catch {
              return null;
            }
          })()
        : null;
      const pending = jobs?.reduce((n, j) => n + (j.taskCounts.PENDING ?? 0), 0) ?? 0;
      return pending > 0 ? { ...overview, tasksByState: { ...overview.tasksByState, PENDING: pending } } : overview;
    },

    'jobs.list': () => needAurora(ready()).jobs(),

    'jobs.get': async ({ key }) => {
      const ctx = ready();
      const aurora = needAurora(ctx);
      const k = keyOf(key);
      const summary = aurora.job(key) ?? (await aurora.client.jobs(k.role)).find((j) => j.key === key);
      const tasks = await aurora.client.tasks({ role: k.role, environment: k.environment, jobName: k.name }, { withConfigs: true });
      if (!summary && tasks.length === 0)
        throw new ConsoleError('JOB_NOT_FOUND', `Aurora has no job ${key}.`, 'Pick a job from the Jobs list.');
      const views = await joined(ctx, tasks);
      const newest = [...tasks].sort((a, b) => (b.events.at(-1)?.at ?? 0) - (a.events.at(-1)?.at ?? 0))[0];
      const counts: Record<string, number> = {};
      const instances = instancesOf(views);
      for (const i of instances) counts[i.current.state] = (counts[i.current.state] ?? 0) + 1;
      const job = summary
        ? { ...jobSummaryOf(summary, null), taskCounts: counts }
        : {
            // A job Aurora lists tasks of but no summary (ended ad-hoc job): what its tasks say.
            ...jobSummaryOf(
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
            ),
            taskCounts: counts,
          };
      return { job, processes: newest?.processes ?? [], instances };
    },

    'jobs.create': () => {
      const ctx = ready();
      throw new ConsoleError(
        'JOB_CREATE_UNSUPPORTED',
        `The console does not submit jobs to the Aurora of ${ctx.profile.name}.`,
        'Submit it with the Aurora client: aurora job create <cluster>/<role>/<env>/<name> <file> --read-json.',
      );
    },

    'jobs.kill': async ({ key, instances }) => {
      const ctx = ready();
      const aurora = needLiveAurora(ctx);
      const k = keyOf(key);
      const before = await aurora.client.tasks({ ...k, jobName: k.name, ...(instances ? { instanceIds: instances } : {}) });
      const killed = before.filter((t) => !isTerminal(t.status)).map((t) => t.taskId);
      await journaledAsync(
        ctx,
        {
          kind: 'job.kill',
          target: key,
          summary: `Kill ${key}${instances ? ` instances ${instances.join(', ')}` : ' (all instances)'} through Aurora`,
          intent: { instances: instances ?? 'all', tasks: killed },
        },
        () => aurora.client.kill(k, instances, `Killed by ${ctx.actor} from Cantareira Console`),
      );
      void aurora.refresh();
      return { killed };
    },

    'jobs.restart': async ({ key, instances }) => {
      const ctx = ready();
      const aurora = needLiveAurora(ctx);
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
      await journaledAsync(
        ctx,
        {
          kind: 'job.restart',
          target: key,
          summary: `Restart ${key} instances ${instances.join(', ')} through Aurora`,
          intent: { instances, tasks: restarted },
        },
        () => aurora.client.restart(k, instances),
      );
      void aurora.refresh();
      return { restarted };
    },

    'tasks.get': async ({ taskId }) => {
      const ctx = ready();
      const live = ctx.real.mesos?.live();
      const m = live?.index.taskById.get(taskId);
      // Thermos serves each task's processes on its agent (reference/aurora.md §6.2), by the agent's IP.
      const observer = (agentId: string | null) => {
        const a = agentId ? live?.index.agentById.get(agentId) : undefined;
        const host = a?.ip ?? a?.hostname;
        return host ? { observerUrl: `http://${host}:${ctx.profile.mesos?.observerPort ?? 1338}/task/${encodeURIComponent(taskId)}` } : {};
      };
      if (ctx.real.aurora) {
        const [a] = await ctx.real.aurora.client.tasks({ taskIds: [taskId] });
        if (a) {
          const [task] = await joined(ctx, [a]);
          return { task: task!, events: eventsOfAurora(a), ...observer(a.agentId) };
        }
      }
      if (m) return { task: taskOfMesos(m, live?.index.agentById.get(m.agentId)), events: eventsOfMesos(m), ...observer(m.agentId) };
      throw new ConsoleError(
        'TASK_NOT_FOUND',
        `Neither the Mesos master nor Aurora knows task ${taskId}.`,
        'It may have been pruned; open its job instead.',
      );
    },

    'tasks.list': ({ agentId, jobKey, states, limit }) => {
      const live = needMesos(ready()).live();
      if (!live) return { tasks: [] };
      const { index } = live;
      const wanted = states ? new Set<string>(states) : null;
      const from = agentId
        ? (index.activeByAgent.get(agentId) ?? [])
        : jobKey
          ? (index.activeByName.get(jobKey) ?? [])
          : [...index.activeByAgent.values()].flat();
      const tasks = from
        .filter((t) => (!agentId || t.agentId === agentId) && (!jobKey || t.name === jobKey))
        .map((t) => taskOfMesos(t, index.agentById.get(t.agentId)))
        .filter((t) => !wanted || wanted.has(t.state))
        .sort((a, b) => b.createdAt - a.createdAt)
        .slice(0, limit);
      return { tasks };
    },
  };
}
