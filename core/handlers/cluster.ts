import type { CommandPlan } from '../backend/backend.js';
import type { Handlers } from '../dispatch.js';
import { journaledAsync, type SessionContext } from './context.js';

type ClusterHandlers = Pick<
  Handlers,
  'agents.list' | 'overview.get' | 'jobs.list' | 'jobs.get' | 'jobs.create' | 'jobs.kill' | 'jobs.restart' | 'tasks.get' | 'tasks.list'
>;

/** Runs a command the backend planned under a journal entry: written before it acts, closed with its result. */
const run = <T>(ctx: SessionContext, plan: CommandPlan<T>): Promise<T> => journaledAsync(ctx, plan.op, async () => plan.act());

/** The calls about the cluster of the open profile (agents, jobs, tasks), written once against its backend. */
export function clusterHandlers(ready: () => SessionContext): ClusterHandlers {
  return {
    'agents.list': (input) => ready().backend.agents(input),
    'overview.get': () => ready().backend.overview(),
    'jobs.list': () => ready().backend.jobs(),
    'jobs.get': ({ key }) => ready().backend.job(key),
    'jobs.create': ({ text, fileName }) => {
      const ctx = ready();
      return run(ctx, ctx.backend.createJobs(text, fileName ?? null, ctx.actor));
    },
    'jobs.kill': async ({ key, instances }) => {
      const ctx = ready();
      return run(ctx, await ctx.backend.kill(key, instances, ctx.actor));
    },
    'jobs.restart': async ({ key, instances }) => {
      const ctx = ready();
      return run(ctx, await ctx.backend.restart(key, instances, ctx.actor));
    },
    'tasks.get': ({ taskId }) => ready().backend.task(taskId),
    'tasks.list': (input) => ready().backend.tasks(input),
  };
}

/** The cluster's changes as a stream: first whether its systems answer, then each change as it happens. */
export function clusterChangesOpener(ready: () => SessionContext): import('./streams.js').StreamOpener<'cluster.changes'> {
  return (_input, sink) => {
    const { backend } = ready();
    const stop = backend.onChange((changes) => sink.push(changes, null));
    sink.push([{ kind: 'freshness', freshness: backend.freshness() }], null);
    return stop;
  };
}
