import type { CloudInstance, CloudProvider } from '../cloud/provider.js';
import type { Pool, Profile } from '../contract/profiles.js';
import type { ScalePlan, ScaleRequest } from '../contract/scaling.js';
import { ConsoleError, isConsoleError } from '../errors.js';
import { poolCloudNames } from '../model/pool.js';
import type { Store } from '../store/index.js';
import type { OperationRecord } from '../store/operations.js';
import type { AgentOnMachine } from './plan.js';

/** What running an operation needs from the console around it. */
export interface RunContext {
  store: Store;
  profile: Profile;
  provider: CloudProvider;
  now: () => number;
  log: (msg: string, err?: unknown) => void;
  agents: () => AgentOnMachine[];
  /** Whether a machine counts as arrived: by default, an agent registered from its IP. */
  isReady: (instance: CloudInstance, agents: AgentOnMachine[]) => boolean;
  pollMs: number;
  sleep: (ms: number) => Promise<void>;
  changed: (message: string) => void;
  /** True once the console is closing: waits stop, and the journal stays open for reconcile. */
  closing: () => boolean;
}

export interface Intent {
  request: ScaleRequest;
  /** Exactly what the confirmed plan removes, so a restart knows what was meant. */
  removeIds: string[];
  target: number;
  timeoutMs: number;
}

/** The console's name of a spot group launched by an operation. */
export const spotGroupName = (pool: string, operationId: string) => `${pool}-${operationId.slice(0, 8)}`;

const short = (v: unknown) => {
  const s = JSON.stringify(v);
  return s.length > 400 ? `${s.slice(0, 400)}…` : s;
};

/** One external call of an operation, journaled before it is made and after it answers. */
export async function journalCall<T>(
  store: Store,
  now: () => number,
  op: OperationRecord,
  name: string,
  args: unknown,
  fn: () => Promise<T>,
): Promise<T> {
  const seq = store.operations.step(op.id, `${name} ${short(args)}`, null, now());
  try {
    const out = await fn();
    store.operations.stepResult(op.id, seq, `ok ${short(out ?? null)}`);
    return out;
  } catch (e) {
    store.operations.stepResult(op.id, seq, `error ${isConsoleError(e) ? `${e.code}: ${e.message}` : String(e)}`);
    throw e;
  }
}

const call = <T>(ctx: RunContext, op: OperationRecord, name: string, args: unknown, fn: () => Promise<T>) =>
  journalCall(ctx.store, ctx.now, op, name, args, fn);

function poolOf(ctx: RunContext, name: string): Pool {
  const pool = ctx.profile.pools.find((p) => p.name === name);
  if (!pool) throw new ConsoleError('POOL_NOT_FOUND', `There is no pool ${name} in ${ctx.profile.name}.`);
  return pool;
}

async function poolInstances(ctx: RunContext, pool: Pool): Promise<CloudInstance[]> {
  return ctx.provider.listInstances(poolCloudNames(ctx.profile, pool).namePrefix);
}

/**
 * Waits until `ready()` reports everything arrived, recording progress, or the timeout
 * passes; a timeout fails the operation saying what did and did not arrive.
 */
async function waitUntil(
  ctx: RunContext,
  op: OperationRecord,
  timeoutMs: number,
  look: () => Promise<{ done: number; total: number; missing: string[]; noun: string }>,
): Promise<{ done: number; total: number }> {
  const deadline = ctx.now() + timeoutMs;
  for (;;) {
    const s = await look();
    ctx.store.operations.progress(op.id, { done: s.done, total: s.total, message: `${s.done} of ${s.total} ${s.noun}` }, ctx.now());
    ctx.changed(`${op.summary}: ${s.done} of ${s.total} ${s.noun}`);
    if (s.done >= s.total) return s;
    if (ctx.closing()) throw new Interrupted();
    if (ctx.now() >= deadline) {
      throw new ConsoleError(
        'SCALE_TIMEOUT',
        `Timed out after ${Math.round(timeoutMs / 1000)} s: ${s.done} of ${s.total} ${s.noun}. Not arrived: ${s.missing.join(', ') || 'unknown'}.`,
        'The machines that were launched are kept; look at them on the Instances screen, or scale again.',
      );
    }
    await ctx.sleep(ctx.pollMs);
  }
}

/** The console is closing mid-operation: the journal entry stays open and is reconciled at the next start. */
export class Interrupted extends Error {
  constructor() {
    super('interrupted by the console closing');
  }
}

const readyIds = (ctx: RunContext, instances: CloudInstance[]) => {
  const agents = ctx.agents();
  return new Set(instances.filter((i) => ctx.isReady(i, agents)).map((i) => i.id));
};

/** Carries out a confirmed, journaled operation. Resolves with its result; throws its failure. */
export async function execute(ctx: RunContext, op: OperationRecord, plan: ScalePlan): Promise<unknown> {
  const intent = op.intent as Intent;
  const request = intent.request;
  const pool = poolOf(ctx, request.pool);
  const names = poolCloudNames(ctx.profile, pool);

  const waitGone = async (ids: string[]) => {
    if (ids.length === 0) return;
    await waitUntil(ctx, op, intent.timeoutMs, async () => {
      const live = new Set((await poolInstances(ctx, pool)).map((i) => i.id));
      const agentIds = new Set(ctx.agents().map((a) => a.id));
      // A machine counts as removed once it is gone and so is the agent it ran.
      const left = plan.remove.filter(
        (r) => ids.includes(r.instanceId) && (live.has(r.instanceId) || (r.agentId !== null && agentIds.has(r.agentId))),
      );
      return { done: ids.length - left.length, total: ids.length, missing: left.map((r) => r.hostname ?? r.instanceId), noun: 'removed' };
    });
  };

  switch (request.kind) {
    case 'set-desired': {
      const removeIds = intent.removeIds;
      if (removeIds.length > 0) {
        const out = await call(ctx, op, 'downscale', { instanceIds: removeIds }, () => ctx.provider.downscale(op.id, removeIds, ctx.now()));
        await waitGone(removeIds);
        return { desired: request.count, removed: [...out.fromGroups, ...out.terminated] };
      }
      const scaled = await call(ctx, op, 'scaleGroup', { group: names.autoScalingGroup, desired: request.count }, () =>
        ctx.provider.scaleGroup({ operationId: op.id, group: names.autoScalingGroup, desired: request.count }),
      );
      const reached = await waitUntil(ctx, op, intent.timeoutMs, async () => {
        const g = await ctx.provider.groupCapacity(names.autoScalingGroup);
        const members = (await poolInstances(ctx, pool)).filter((i) => g.instanceIds.includes(i.id));
        const ready = readyIds(ctx, members);
        return {
          done: ready.size,
          total: request.count,
          missing: members.filter((m) => !ready.has(m.id)).map((m) => `${m.id} (${m.state})`),
          noun: 'nodes ready',
        };
      });
      return { group: scaled.group, previous: scaled.previous, desired: scaled.desired, ready: reached.done };
    }
    case 'create-spot-group': {
      const groupName = spotGroupName(pool.name, op.id);
      const types = request.instanceTypes ?? pool.instanceTypes;
      const created = await call(ctx, op, 'createSpotGroup', { groupName, types, count: request.count }, () =>
        ctx.provider.createSpotGroup({
          operationId: op.id,
          groupName,
          launchTemplate: names.launchTemplate,
          instanceTypes: types,
          subnetIds: names.subnetIds,
          count: request.count,
          name: `${names.namePrefix}${op.id.slice(0, 8)}`,
          slaveType: pool.name,
        }),
      );
      const arrived = created.instanceIds.length;
      const reached = await waitUntil(ctx, op, intent.timeoutMs, async () => {
        const members = (await poolInstances(ctx, pool)).filter((i) => created.instanceIds.includes(i.id));
        const ready = readyIds(ctx, members);
        return {
          done: ready.size,
          total: arrived,
          missing: members.filter((m) => !ready.has(m.id)).map((m) => m.id),
          noun: 'spot nodes ready',
        };
      });
      // Partial fulfilment is normal for spot: the group is kept, and the user decides.
      const warning =
        arrived < request.count || created.shortfall.length > 0
          ? `Partly fulfilled: ${arrived} of ${request.count} spot nodes arrived (${created.shortfall.join('; ') || 'no reason given'}). Keep group ${groupName}, or release it on the Scaling screen.`
          : null;
      return {
        spotGroup: groupName,
        fleetId: created.groupId,
        requested: request.count,
        instanceIds: created.instanceIds,
        ready: reached.done,
        shortfall: created.shortfall,
        warning,
      };
    }
    case 'launch-specific': {
      const type = request.instanceType ?? pool.instanceTypes[0]!;
      const name = `${names.namePrefix}${request.name ?? op.id.slice(0, 8)}`;
      const launched = await call(ctx, op, 'launchSpecific', { type, name }, () =>
        ctx.provider.launchSpecific({
          operationId: op.id,
          launchTemplate: names.launchTemplate,
          instanceType: type,
          name,
          slaveType: pool.name,
          ...(names.subnetIds[0] === undefined ? {} : { subnetId: names.subnetIds[0] }),
        }),
      );
      if (launched.instanceId === null)
        return { instanceId: null, note: 'This launch happened before and its instance has since been terminated.' };
      await waitUntil(ctx, op, intent.timeoutMs, async () => {
        const mine = (await poolInstances(ctx, pool)).filter((i) => i.id === launched.instanceId);
        const ready = readyIds(ctx, mine);
        return {
          done: ready.size,
          total: 1,
          missing: mine.filter((m) => !ready.has(m.id)).map((m) => `${m.id} (${m.state})`),
          noun: 'instance ready',
        };
      });
      return { instanceId: launched.instanceId, name, clientToken: launched.clientToken };
    }
    case 'remove': {
      const out = await call(ctx, op, 'downscale', { instanceIds: intent.removeIds }, () =>
        ctx.provider.downscale(op.id, intent.removeIds, ctx.now()),
      );
      await waitGone(intent.removeIds);
      return out;
    }
    case 'delete-spot-group': {
      const fleetId = fleetOf(ctx, request.groupId);
      if (fleetId) {
        await call(ctx, op, 'deleteSpotGroup', { fleetId }, () => ctx.provider.deleteSpotGroup(op.id, fleetId));
      } else {
        await call(ctx, op, 'downscale', { instanceIds: intent.removeIds }, () =>
          ctx.provider.downscale(op.id, intent.removeIds, ctx.now()),
        );
      }
      await waitGone(intent.removeIds);
      return { spotGroup: request.groupId, fleetId, terminated: intent.removeIds };
    }
  }
}

/** The provider's id of a spot group (the EC2 fleet), from the journal of the run that made it. */
function fleetOf(ctx: RunContext, groupName: string): string | null {
  for (const op of ctx.store.operations.recent(ctx.profile.id, 1000)) {
    const r = op.result as { spotGroup?: string; fleetId?: string } | null;
    if (op.kind === 'scale.create-spot-group' && r?.spotGroup === groupName && r.fleetId) return r.fleetId;
  }
  // Seeded local groups and groups of older runs: the provider knows them by the same name.
  return ctx.provider.kind === 'local' ? groupName : null;
}

/**
 * Closes what a crash (or a console that quit mid-way) left open, from what the cloud shows
 * now: instances carry the operation's id in a tag, so nothing is launched twice and no
 * launch goes unrecorded. Nothing here calls a mutating API, except re-applying a hold.
 */
export async function reconcile(ctx: RunContext, op: OperationRecord): Promise<void> {
  const at = () => ctx.now();
  const note = (finding: string) => ctx.store.operations.step(op.id, 'reconcile after restart', finding, at());
  if (op.state === 'pending') {
    note('stopped in the cancel window; nothing was called');
    ctx.store.operations.cancel(op.id, 'The console stopped during the cancel window; nothing was called.', at());
    return;
  }
  if (!op.kind.startsWith('scale.')) {
    note('a synchronous command interrupted by a crash; its effect is whatever the screens show now');
    ctx.store.operations.fail(op.id, 'Interrupted by a console restart.', at());
    return;
  }
  const intent = op.intent as Intent;
  const pool = ctx.profile.pools.find((p) => p.name === intent.request.pool);
  if (!pool) {
    note(`pool ${intent.request.pool} is no longer in the profile`);
    ctx.store.operations.fail(op.id, `Interrupted by a console restart; pool ${intent.request.pool} is no longer in the profile.`, at());
    return;
  }
  const live = await poolInstances(ctx, pool);
  const tagged = live.filter((i) => i.operationId === op.id);
  const request = intent.request;
  const restart = 'Interrupted by a console restart';
  switch (request.kind) {
    case 'set-desired': {
      if (intent.removeIds.length > 0) {
        const left = intent.removeIds.filter((id) => live.some((i) => i.id === id));
        note(`still live of those to remove: ${left.join(', ') || 'none'}`);
        if (left.length === 0)
          ctx.store.operations.succeed(op.id, { desired: request.count, removed: intent.removeIds, reconciled: true }, at());
        else
          ctx.store.operations.fail(
            op.id,
            `${restart}: ${left.length} of ${intent.removeIds.length} instances were not removed (${left.join(', ')}).`,
            at(),
            { left },
          );
        return;
      }
      const g = await ctx.provider.groupCapacity(poolCloudNames(ctx.profile, pool).autoScalingGroup);
      note(`group desired ${g.desired}, ${g.instanceIds.length} members, ${tagged.length} launched by this operation`);
      if (g.desired === request.count)
        ctx.store.operations.succeed(op.id, { desired: g.desired, members: g.instanceIds.length, reconciled: true }, at());
      else
        ctx.store.operations.fail(
          op.id,
          `${restart} before the group was set: it is at ${g.desired}, not ${request.count}. Nothing was launched by this operation.`,
          at(),
        );
      return;
    }
    case 'create-spot-group':
    case 'launch-specific': {
      note(`instances tagged with this operation: ${tagged.map((i) => i.id).join(', ') || 'none'}`);
      if (tagged.length === 0) {
        ctx.store.operations.fail(op.id, `${restart} before anything was launched; nothing is running for it.`, at());
      } else if (request.kind === 'create-spot-group') {
        ctx.store.operations.succeed(
          op.id,
          { spotGroup: spotGroupName(pool.name, op.id), requested: request.count, instanceIds: tagged.map((i) => i.id), reconciled: true },
          at(),
        );
      } else {
        ctx.store.operations.succeed(op.id, { instanceId: tagged[0]!.id, reconciled: true }, at());
      }
      return;
    }
    case 'remove':
    case 'delete-spot-group': {
      const left = intent.removeIds.filter((id) => live.some((i) => i.id === id));
      note(`still live of those to remove: ${left.join(', ') || 'none'}`);
      if (left.length === 0) ctx.store.operations.succeed(op.id, { terminated: intent.removeIds, reconciled: true }, at());
      else
        ctx.store.operations.fail(
          op.id,
          `${restart}: ${left.length} of ${intent.removeIds.length} instances were not removed (${left.join(', ')}).`,
          at(),
          { left },
        );
      return;
    }
  }
}
