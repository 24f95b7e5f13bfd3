import type { Handlers } from '../dispatch.js';
import type { SessionContext } from './context.js';

type ScalingHandlers = Pick<
  Handlers,
  | 'pools.list'
  | 'scaling.plan'
  | 'scaling.run'
  | 'operations.list'
  | 'operations.get'
  | 'operations.cancel'
  | 'holds.list'
  | 'holds.set'
  | 'holds.release'
  | 'instances.list'
  | 'audit.list'
>;

/** Scaling, holds, machines and the audit log of the open profile (core/scaling does the work). */
export function scalingHandlers(ready: () => SessionContext): ScalingHandlers {
  return {
    'pools.list': async () => {
      const { scaling, provider, now } = ready();
      return { pools: await scaling.pools(), cloud: provider.kind, asOf: now() };
    },
    'scaling.plan': async ({ request }) => ({ plan: await ready().scaling.plan(request) }),
    'scaling.run': async (input) => ({
      operation: await ready().scaling.run({
        request: input.request,
        idempotencyKey: input.idempotencyKey,
        acceptTaskLoss: input.acceptTaskLoss,
        ...(input.typedName === undefined ? {} : { typedName: input.typedName }),
        ...(input.timeoutMs === undefined ? {} : { timeoutMs: input.timeoutMs }),
      }),
    }),
    'operations.list': ({ active, limit }) => ({ operations: ready().scaling.operations(active, limit) }),
    'operations.get': ({ id }) => ready().scaling.operation(id),
    'operations.cancel': ({ id }) => ({ operation: ready().scaling.cancel(id) }),
    'holds.list': () => ({ holds: ready().scaling.holds() }),
    'holds.set': async ({ target, until, reason }) => ({ hold: await ready().scaling.setHold(target, until, reason) }),
    'holds.release': async ({ id }) => ({ released: await ready().scaling.releaseHold(id) }),
    'instances.list': async ({ pool }) => {
      const { scaling, now } = ready();
      return { ...(await scaling.instances(pool)), asOf: now() };
    },
    'audit.list': ({ limit, before, kind }) => ({ entries: ready().scaling.audit(limit, before, kind) }),
  };
}
