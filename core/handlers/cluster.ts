import type { Handlers } from '../dispatch.js';
import { ConsoleError } from '../model/errors.js';
import { formatJobFileError, parseJobFile } from '../model/job-file.js';
import { agentUsage } from '../scheduler/round.js';
import { journaled, type ClusterContext } from './context.js';
import { agentView, currentAttempts, jobView, taskView } from './views.js';

type ClusterHandlers = Pick<
  Handlers,
  'agents.list' | 'overview.get' | 'jobs.list' | 'jobs.get' | 'jobs.create' | 'jobs.kill' | 'jobs.restart' | 'tasks.get' | 'tasks.list'
>;

/** The calls about the cluster of the open profile: agents, jobs, tasks. */
export function clusterHandlers(ready: () => ClusterContext): ClusterHandlers {
  return {
    'agents.list': (input) => {
      const { runtime, now } = ready();
      const usage = agentUsage(runtime.scheduler);
      let agents = runtime.agents().filter((a) => input.slaveType === undefined || a.slaveType === input.slaveType);
      const attr = input.attribute;
      if (attr) agents = agents.filter((a) => a.attributes[attr.name] === attr.value);
      return { agents: agents.map((a) => agentView(a, usage.get(a.id))), asOf: now() };
    },

    'overview.get': () => {
      const { runtime, store, profile, now } = ready();
      const usage = agentUsage(runtime.scheduler);
      const byType = new Map<
        string,
        {
          slaveType: string;
          agents: number;
          cpus: { used: number; total: number };
          memMb: { used: number; total: number };
          diskMb: { used: number; total: number };
        }
      >();
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
    },

    'jobs.list': () => {
      const { runtime, store, profile } = ready();
      const jobs = [...runtime.scheduler.jobs.values()].map((j) =>
        jobView(j, currentAttempts(store.tasks.ofJob(profile.id, `${j.spec.key.role}/${j.spec.key.environment}/${j.spec.key.name}`))),
      );
      return { jobs };
    },

    'jobs.get': ({ key }) => {
      const { runtime, store, profile } = ready();
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

    'jobs.create': ({ text, fileName }) => {
      const ctx = ready();
      const parsed = parseJobFile(text, { defaultCluster: ctx.profile.name });
      if (!parsed.ok) {
        const details = parsed.errors.map(formatJobFileError);
        throw new ConsoleError(
          'JOB_SPEC_INVALID',
          `${fileName ?? 'The job file'} has ${details.length} problem${details.length === 1 ? '' : 's'}: ${details[0]}${details.length > 1 ? ' …' : ''}`,
          'Fix the fields listed and submit the file again; nothing was created.',
          details,
        );
      }
      const created = journaled(
        ctx,
        {
          kind: 'job.create',
          target: parsed.jobs.map((j) => `${j.key.role}/${j.key.environment}/${j.key.name}`).join(', '),
          summary: `Create ${parsed.jobs.map((j) => `${j.key.role}/${j.key.environment}/${j.key.name}`).join(', ')}${fileName ? ` from ${fileName}` : ''}`,
          intent: { fileName: fileName ?? null },
        },
        () => ctx.runtime.scheduler.createJobs(parsed.jobs, fileName ?? null),
      );
      return { created };
    },

    'jobs.kill': ({ key, instances }) => {
      const ctx = ready();
      const killed = journaled(
        ctx,
        {
          kind: 'job.kill',
          target: key,
          summary: `Kill ${key}${instances ? ` instances ${instances.join(', ')}` : ' (all instances)'}`,
          intent: { instances: instances ?? 'all' },
        },
        () => ctx.runtime.scheduler.kill(key, instances, `Killed by ${ctx.actor}`),
      );
      return { killed };
    },

    'jobs.restart': ({ key, instances }) => {
      const ctx = ready();
      const restarted = journaled(
        ctx,
        { kind: 'job.restart', target: key, summary: `Restart ${key} instances ${instances.join(', ')}`, intent: { instances } },
        () => ctx.runtime.scheduler.restart(key, instances, `Restarted by ${ctx.actor}`),
      );
      return { restarted };
    },

    'tasks.get': ({ taskId }) => {
      const { store, profile } = ready();
      const task = store.tasks.get(profile.id, taskId);
      if (!task) throw new ConsoleError('TASK_NOT_FOUND', `There is no task ${taskId}.`, 'It may have been pruned; open its job instead.');
      return { task: taskView(task), events: store.tasks.events(profile.id, taskId) };
    },

    'tasks.list': ({ agentId, jobKey, states, limit }) => {
      const { runtime } = ready();
      const wanted = states ? new Set<string>(states) : null;
      const tasks = [...runtime.scheduler.active.values()]
        .filter((t) => (!agentId || t.agentId === agentId) && (!jobKey || t.jobKey === jobKey) && (!wanted || wanted.has(t.state)))
        .sort((a, b) => b.createdAt - a.createdAt)
        .slice(0, limit)
        .map(taskView);
      return { tasks };
    },
  };
}
