import type { CloudInstance, CloudProvider, GroupCapacity } from '../cloud/provider.js';
import type { Pool, Profile } from '../contract/profiles.js';
import type { AuditEntry, HoldTarget, HoldView, InstanceView, Operation, PoolView, ScalePlan, ScaleRequest } from '../contract/scaling.js';
import { ConsoleError, isConsoleError } from '../model/errors.js';
import { notScalable, poolCloudNames } from '../model/pool.js';
import type { Store } from '../store/index.js';
import type { HoldRecord } from '../store/holds.js';
import type { OperationRecord } from '../store/operations.js';
import { execute, Interrupted, reconcile, type Intent, type RunContext } from './operations.js';
import { holdOn, planScale, type AgentOnMachine } from './plan.js';

export interface ScalingOptions {
  store: Store;
  profile: Profile;
  provider: CloudProvider;
  /** Who the journal names: the OS user (and the AWS principal when known). */
  actor: string;
  now: () => number;
  log: (msg: string, err?: unknown) => void;
  /** Registered agents and the tasks on them. */
  agents: () => AgentOnMachine[];
  isReady?: RunContext['isReady'];
  /** Time between confirming and the first external call, during which the user can cancel. */
  cancelWindowMs?: number;
  pollMs?: number;
  /** How long a scale-up waits for its nodes by default (the on-call guide's SCALE_TIMEOUT). */
  defaultTimeoutMs?: number;
  /** A cluster event, so screens refresh. */
  onEvent?: (kind: 'operation.changed' | 'hold.changed', subject: string, message: string) => void;
}

export interface RunInput {
  request: ScaleRequest;
  idempotencyKey: string;
  acceptTaskLoss: boolean;
  typedName?: string;
  timeoutMs?: number;
}

const byIp = (agents: AgentOnMachine[]) => new Map(agents.filter((a) => a.ip !== null).map((a) => [a.ip!, a]));
const defaultReady: RunContext['isReady'] = (i, agents) => i.privateIp !== null && agents.some((a) => a.ip === i.privateIp);

/**
 * Scaling, holds and the journal of one open profile. Every command is planned, confirmed,
 * journaled before its first call and run after a cancel window; on start, what a crash left
 * open is reconciled before anything new may run (`ready`).
 */
export function createScaling(o: ScalingOptions) {
  const { store, profile, provider, now, log } = o;
  const cancelWindowMs = o.cancelWindowMs ?? 5000;
  const defaultTimeoutMs = o.defaultTimeoutMs ?? 5 * 60_000;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const running = new Map<string, Promise<void>>();
  const sleepers = new Set<() => void>();
  let closing = false;
  // The journal names the OS user and, on AWS, the principal the calls ran as.
  let principal: Promise<string | null> | null = null;
  const actor = async () => {
    principal ??= provider.whoAmI().catch((e: unknown) => {
      log('could not tell the AWS principal', e);
      principal = null;
      return null;
    });
    const who = await principal;
    return who ? `${o.actor} as ${who}` : o.actor;
  };

  const emit = (kind: 'operation.changed' | 'hold.changed', subject: string, message: string) => {
    try {
      o.onEvent?.(kind, subject, message);
    } catch (e) {
      log('scaling event failed', e);
    }
  };
  let lastProgressEvent = 0;
  const ctx: RunContext = {
    store,
    profile,
    provider,
    now,
    log,
    agents: o.agents,
    isReady: o.isReady ?? defaultReady,
    pollMs: o.pollMs ?? (provider.kind === 'local' ? 250 : 5000),
    sleep: (ms) =>
      new Promise((resolve) => {
        const t = setTimeout(() => {
          timers.delete(t);
          sleepers.delete(resolve);
          resolve();
        }, ms);
        timers.add(t);
        sleepers.add(resolve);
      }),
    changed: (message) => {
      // Progress is polled by the screens; an event at most once a second is enough to wake them.
      if (now() - lastProgressEvent < 1000) return;
      lastProgressEvent = now();
      emit('operation.changed', profile.id, message);
    },
    closing: () => closing,
  };

  const pool = (name: string): Pool => {
    const p = profile.pools.find((x) => x.name === name);
    if (!p) {
      throw new ConsoleError('POOL_NOT_FOUND', `There is no pool ${name} in ${profile.name}.`, `Pools: ${profile.pools.map((x) => x.name).join(', ')}.`);
    }
    return p;
  };
  const names = (p: Pool) => poolCloudNames(profile, p);
  const instancesOf = (p: Pool) => provider.listInstances(names(p).namePrefix);
  const groupOf = async (p: Pool): Promise<GroupCapacity | null> => (p.kind === 'on-demand' ? provider.groupCapacity(names(p).autoScalingGroup) : null);
  const holdsNow = () => store.holds.inForce(profile.id, now());
  const activeOn = (poolName: string) => store.operations.open(profile.id).find((op) => op.kind.startsWith('scale.') && op.target === poolName) ?? null;

  async function plan(request: ScaleRequest, timeoutMs?: number): Promise<ScalePlan> {
    const p = pool(request.pool);
    const [instances, group] = await Promise.all([instancesOf(p), groupOf(p)]);
    return planScale({ request, pool: p, instances, group, agents: o.agents(), holds: holdsNow(), now: now(), timeoutMs: timeoutMs ?? defaultTimeoutMs });
  }

  // Reconcile first: nothing new runs until every operation a crash left open is closed.
  const ready = (async () => {
    for (const op of store.operations.open(profile.id)) {
      try {
        await reconcile(ctx, op);
      } catch (e) {
        log(`reconciling operation ${op.id} failed`, e);
        store.operations.fail(op.id, `Interrupted by a console restart, and could not be checked: ${isConsoleError(e) ? e.message : String(e)}`, now());
      }
    }
  })();

  function startAfterWindow(op: OperationRecord, p: ScalePlan) {
    const t = setTimeout(() => {
      timers.delete(t);
      if (closing || !store.operations.start(op.id, now())) return;
      emit('operation.changed', op.id, `${op.summary}: started`);
      const done = execute(ctx, store.operations.get(profile.id, op.id)!, p)
        .then((result) => {
          const warning = (result as { warning?: unknown } | null)?.warning;
          store.operations.succeed(op.id, result, now(), typeof warning === 'string' ? warning : null);
          emit('operation.changed', op.id, `${op.summary}: done`);
        })
        .catch((e: unknown) => {
          if (e instanceof Interrupted) return; // left open: the next start reconciles it
          if (!isConsoleError(e)) log(`operation ${op.id} failed`, e);
          const message = isConsoleError(e) ? `${e.message}${e.hint ? ` ${e.hint}` : ''}` : `Unexpected failure: ${String(e)}`;
          store.operations.fail(op.id, message, now());
          emit('operation.changed', op.id, `${op.summary}: failed`);
        })
        .finally(() => running.delete(op.id));
      running.set(op.id, done);
    }, Math.max(0, (op.startsAt ?? now()) - now()));
    timers.add(t);
  }

  async function run(input: RunInput): Promise<Operation> {
    await ready;
    const p = pool(input.request.pool);
    const who = await actor();
    // Checked again after planning (which awaits the cloud): a double click must not slip between.
    const guard = (): Operation | null => {
      const again = store.operations.byIdempotencyKey(profile.id, input.idempotencyKey);
      if (again) return operationView(again);
      const busy = activeOn(p.name);
      if (busy) {
        throw new ConsoleError('SCALE_BUSY', `${p.name} is busy: "${busy.summary}" is ${busy.state}.`, 'Wait for it to finish (or cancel it while it is pending), then try again.');
      }
      return null;
    };
    const early = guard();
    if (early) return early;
    const planned = await plan(input.request, input.timeoutMs);
    if (planned.refusals.length > 0) {
      const held = planned.refusals.some((r) => r.includes(' is held until '));
      throw new ConsoleError(held ? 'INSTANCE_HELD' : 'SCALE_NOT_ALLOWED', planned.refusals[0]!, held ? 'Release the hold on the Scaling screen, or leave those machines out.' : undefined, planned.refusals);
    }
    if (planned.add.length === 0 && planned.remove.length === 0) {
      throw new ConsoleError('SCALE_NOT_ALLOWED', `${planned.summary}.`, 'Choose a different count.');
    }
    if (planned.requires.acceptTaskLoss && !input.acceptTaskLoss) {
      const lost = planned.remove.flatMap((r) => r.tasks);
      throw new ConsoleError(
        'SCALE_CONFIRMATION_REQUIRED',
        `${lost.length} running task${lost.length === 1 ? '' : 's'} would be lost: ${lost.slice(0, 5).map((t) => `${t.jobKey}/${t.instance}`).join(', ')}${lost.length > 5 ? ' …' : ''}.`,
        'Confirm that these tasks may be lost (acceptTaskLoss), or choose other machines.',
      );
    }
    if (planned.requires.typedName !== null && input.typedName !== planned.requires.typedName) {
      throw new ConsoleError('SCALE_CONFIRMATION_REQUIRED', `This takes ${p.name} to 0 machines.`, `Type the pool name, ${p.name}, to confirm.`);
    }
    const intent: Intent = { request: input.request, removeIds: planned.remove.map((r) => r.instanceId), target: planned.target, timeoutMs: planned.timeoutMs };
    const late = guard();
    if (late) return late;
    const id = store.operations.begin(
      profile.id,
      { kind: `scale.${input.request.kind}`, target: p.name, summary: planned.summary, intent, actor: who, idempotencyKey: input.idempotencyKey, startsAt: now() + cancelWindowMs },
      now(),
    );
    const op = store.operations.get(profile.id, id)!;
    emit('operation.changed', id, `${op.summary}: starts in ${Math.round(cancelWindowMs / 1000)} s`);
    startAfterWindow(op, planned);
    return operationView(op);
  }

  function cancel(id: string): Operation {
    const op = store.operations.get(profile.id, id);
    if (!op) throw new ConsoleError('OPERATION_NOT_FOUND', `There is no operation ${id}.`);
    if (!store.operations.cancel(id, `Cancelled by ${o.actor} before it started; nothing was called.`, now())) {
      throw new ConsoleError('OPERATION_NOT_CANCELLABLE', `"${op.summary}" has already ${op.state === 'pending' ? 'started' : op.state === 'running' ? 'started' : 'ended'}; it cannot be cancelled now.`, op.state === 'running' ? 'Wait for it to end, then undo it with another operation.' : undefined);
    }
    emit('operation.changed', id, `${op.summary}: cancelled`);
    return operationView(store.operations.get(profile.id, id)!);
  }

  // ---- holds ------------------------------------------------------------------------------

  /** Instances a hold covers now: the instance itself, or every live machine of the pool. */
  async function coveredBy(target: HoldTarget): Promise<{ pool: Pool; ids: string[] }> {
    if (target.kind === 'pool') {
      const p = pool(target.pool);
      return { pool: p, ids: (await instancesOf(p)).map((i) => i.id) };
    }
    for (const p of profile.pools) {
      if ((await instancesOf(p)).some((i) => i.id === target.instanceId)) return { pool: p, ids: [target.instanceId] };
    }
    throw new ConsoleError('INSTANCE_NOT_FOUND', `There is no live instance ${target.instanceId} in ${profile.name}.`, 'Refresh the Instances screen and choose again.');
  }

  async function setHold(target: HoldTarget, until: number, reason: string): Promise<HoldView> {
    await ready;
    if (until <= now()) throw new ConsoleError('HOLD_INVALID', 'A hold must end in the future.', 'Pick a time after now.');
    if (until > now() + 30 * 24 * 3_600_000) throw new ConsoleError('HOLD_INVALID', 'A hold can last at most 30 days.', 'Pick an earlier time; renew it if you still need it then.');
    const covered = await coveredBy(target);
    if (target.kind === 'pool') {
      const why = notScalable(covered.pool);
      if (why) throw new ConsoleError('HOLD_INVALID', `${covered.pool.name} is never scaled by the console, so holding it changes nothing.`, why);
    }
    const label = target.kind === 'pool' ? `pool ${target.pool}` : target.instanceId;
    const id = store.operations.begin(profile.id, { kind: 'hold.set', target: label, summary: `Hold ${label} until ${utc(until)}: ${reason}`, intent: { target, until, reason, instanceIds: covered.ids }, actor: await actor() }, now());
    const op = store.operations.get(profile.id, id)!;
    try {
      if (covered.ids.length > 0) {
        await call(op, 'setHold', { instanceIds: covered.ids, until }, () => provider.setHold({ operationId: id, instanceIds: covered.ids, until, reason }));
      }
      const h = store.holds.add(profile.id, { targetKind: target.kind, target: target.kind === 'pool' ? target.pool : target.instanceId, pool: covered.pool.name, until, reason, actor: o.actor, createdAt: now() });
      store.operations.succeed(id, { holdId: h.id, instanceIds: covered.ids }, now());
      emit('hold.changed', h.id, op.summary);
      return holdView(h);
    } catch (e) {
      store.operations.fail(id, isConsoleError(e) ? e.message : String(e), now());
      throw e;
    }
  }

  async function call<T>(op: OperationRecord, name: string, args: unknown, fn: () => Promise<T>): Promise<T> {
    const seq = store.operations.step(op.id, `${name} ${JSON.stringify(args)}`, null, now());
    try {
      const out = await fn();
      store.operations.stepResult(op.id, seq, 'ok');
      return out;
    } catch (e) {
      store.operations.stepResult(op.id, seq, `error ${isConsoleError(e) ? `${e.code}: ${e.message}` : String(e)}`);
      throw e;
    }
  }

  /** Removes hold tags from machines no other hold in force covers. */
  async function untag(op: OperationRecord, h: HoldRecord) {
    const remaining = holdsNow().filter((x) => x.id !== h.id);
    const p = profile.pools.find((x) => x.name === h.pool);
    if (!p) return;
    const live = await instancesOf(p);
    const ids = live
      .filter((i) => (h.targetKind === 'pool' ? true : i.id === h.target))
      .filter((i) => !remaining.some((x) => (x.targetKind === 'instance' && x.target === i.id) || (x.targetKind === 'pool' && x.target === p.name)))
      .map((i) => i.id);
    if (ids.length > 0) await call(op, 'releaseHold', { instanceIds: ids }, () => provider.releaseHold(op.id, ids));
  }

  async function releaseHold(holdId: string, why?: string): Promise<boolean> {
    await ready;
    const h = store.holds.get(profile.id, holdId);
    if (!h) throw new ConsoleError('HOLD_NOT_FOUND', `There is no hold ${holdId}.`, 'It may have expired; refresh the list.');
    const label = h.targetKind === 'pool' ? `pool ${h.target}` : h.target;
    const id = store.operations.begin(profile.id, { kind: 'hold.release', target: label, summary: why ?? `Release the hold on ${label} ("${h.reason}")`, intent: { holdId }, actor: why ? 'console (expiry)' : await actor() }, now());
    const op = store.operations.get(profile.id, id)!;
    try {
      const released = store.holds.release(profile.id, holdId, now());
      await untag(op, h);
      store.operations.succeed(id, { released }, now());
      emit('hold.changed', holdId, op.summary);
      return released;
    } catch (e) {
      store.operations.fail(id, isConsoleError(e) ? e.message : String(e), now());
      throw e;
    }
  }

  /** Holds past their time stop counting at once; their tags and protection are cleared here. */
  async function expireHolds() {
    for (const { id, reason } of store.holds.expired(profile.id, now())) {
      try {
        await releaseHold(id, `Hold expired: ${reason}`);
      } catch (e) {
        log(`clearing expired hold ${id} failed`, e);
      }
    }
  }
  const sweep = setInterval(() => void expireHolds(), 30_000);
  sweep.unref();
  void ready.then(expireHolds);

  // ---- views ------------------------------------------------------------------------------

  function holdView(h: HoldRecord): HoldView {
    return {
      id: h.id,
      target: h.targetKind === 'pool' ? { kind: 'pool', pool: h.target } : { kind: 'instance', instanceId: h.target },
      pool: h.pool,
      until: h.until,
      reason: h.reason,
      actor: h.actor,
      createdAt: h.createdAt,
    };
  }

  async function pools(): Promise<PoolView[]> {
    const agents = o.agents();
    const holds = holdsNow();
    const open = store.operations.open(profile.id);
    return Promise.all(
      profile.pools.map(async (p): Promise<PoolView> => {
        const [instances, group] = await Promise.all([instancesOf(p), groupOf(p).catch(() => null)]);
        const poolAgents = agents.filter((a) => a.slaveType === p.name);
        const groups = new Map<string, { id: string; instances: number; instanceTypes: Set<string> }>();
        for (const i of instances) {
          if (!i.spotGroup) continue;
          const g = groups.get(i.spotGroup) ?? { id: i.spotGroup, instances: 0, instanceTypes: new Set<string>() };
          g.instances++;
          g.instanceTypes.add(i.type);
          groups.set(i.spotGroup, g);
        }
        const ids = new Set(instances.map((i) => i.id));
        const poolHolds = holds.filter((h) => (h.targetKind === 'pool' && h.target === p.name) || (h.targetKind === 'instance' && ids.has(h.target)));
        const busy = open.find((op) => op.kind.startsWith('scale.') && op.target === p.name);
        const fixed = notScalable(p);
        const unheld = instances.filter((i) => !holdOn(i, p.name, holds, now()));
        const up = fixed ?? (busy ? `Busy: ${busy.summary}` : group && group.desired >= group.max ? `${p.name} is at its maximum of ${group.max} nodes.` : null);
        const down =
          fixed ??
          (busy
            ? `Busy: ${busy.summary}`
            : instances.length === 0
              ? `${p.name} has no machines to remove.`
              : unheld.length === 0
                ? `Every machine of ${p.name} is held (${poolHolds[0]?.reason ?? 'see holds'}).`
                : null);
        return {
          name: p.name,
          kind: p.kind,
          instanceTypes: p.instanceTypes,
          instances: instances.length,
          pending: instances.filter((i) => i.state === 'pending').length,
          agents: poolAgents.length,
          desired: group?.desired ?? null,
          min: group?.min ?? null,
          max: group?.max ?? (p.kind === 'on-demand' ? names(p).maxCount : null),
          groups: [...groups.values()].map((g) => ({ id: g.id, instances: g.instances, instanceTypes: [...g.instanceTypes] })),
          runningTasks: poolAgents.reduce((n, a) => n + a.tasks.length, 0),
          holds: poolHolds.map(holdView),
          scaleUp: { allowed: up === null, why: up },
          scaleDown: { allowed: down === null, why: down },
        };
      }),
    );
  }

  async function instances(poolName?: string): Promise<{ instances: InstanceView[]; agentsWithoutInstance: { id: string; hostname: string; slaveType: string; ip: string | null }[] }> {
    const agents = o.agents();
    const ip = byIp(agents);
    const holds = holdsNow();
    const all = new Map<string, { i: CloudInstance; pool: string }>();
    for (const p of profile.pools) for (const i of await instancesOf(p)) if (!all.has(i.id)) all.set(i.id, { i, pool: p.name });
    const views = [...all.values()].map(({ i, pool: p }): InstanceView => {
      const agent = i.privateIp === null ? undefined : ip.get(i.privateIp);
      const h = holdOn(i, p, holds, now());
      return {
        id: i.id,
        pool: p,
        name: i.name,
        type: i.type,
        state: i.state,
        lifecycle: i.lifecycle,
        autoScalingGroup: i.autoScalingGroup,
        spotGroup: i.spotGroup,
        launchTime: i.launchTime,
        privateIp: i.privateIp,
        operationId: i.operationId,
        hold: h ? { id: h.id.startsWith('tag:') ? null : h.id, until: h.until, reason: h.reason, via: h.targetKind } : null,
        agent: agent ? { id: agent.id, hostname: agent.hostname, activeTasks: agent.tasks.length } : null,
      };
    });
    const ips = new Set(views.map((v) => v.privateIp));
    return {
      instances: views.filter((v) => poolName === undefined || v.pool === poolName),
      agentsWithoutInstance: agents
        .filter((a) => !ips.has(a.ip) && (poolName === undefined || a.slaveType === poolName))
        .map((a) => ({ id: a.id, hostname: a.hostname, slaveType: a.slaveType, ip: a.ip })),
    };
  }

  return {
    ready,
    plan,
    run,
    cancel,
    pools,
    instances,
    setHold,
    releaseHold,
    holds: () => holdsNow().map(holdView),
    operations: (active: boolean, limit: number) => (active ? store.operations.open(profile.id).reverse() : store.operations.recent(profile.id, limit)).map(operationView),
    operation: (id: string) => {
      const op = store.operations.get(profile.id, id);
      if (!op) throw new ConsoleError('OPERATION_NOT_FOUND', `There is no operation ${id}.`);
      return { operation: operationView(op), steps: store.operations.steps(id) };
    },
    audit: (limit: number, before?: number, kind?: string): AuditEntry[] =>
      store.operations
        .recent(profile.id, kind ? 5000 : limit, before)
        .filter((op) => !kind || op.kind === kind || op.kind.startsWith(`${kind}.`))
        .slice(0, limit)
        .map(auditView),
    /** Stops timers; running operations stay open in the journal and are reconciled next start. */
    async close() {
      closing = true;
      clearInterval(sweep);
      for (const t of timers) clearTimeout(t);
      timers.clear();
      // Waits wake up, see the console closing and stop; their operations stay open.
      for (const wake of sleepers) wake();
      sleepers.clear();
      await ready.catch(() => {});
      await Promise.allSettled([...running.values()]);
    },
  };
}
export type Scaling = ReturnType<typeof createScaling>;

const utc = (t: number) => `${new Date(t).toISOString().replace('T', ' ').slice(0, 16)} UTC`;

export function operationView(op: OperationRecord): Operation {
  return {
    id: op.id,
    kind: op.kind,
    target: op.target,
    summary: op.summary,
    actor: op.actor,
    state: op.state,
    progress: op.progress,
    startsAt: op.startsAt,
    result: op.result,
    error: op.error,
    createdAt: op.createdAt,
    updatedAt: op.updatedAt,
  };
}

function auditView(op: OperationRecord): AuditEntry {
  const json = op.result === null || op.result === undefined ? null : JSON.stringify(op.result);
  const result = json !== null && json.length > 500 ? `${json.slice(0, 500)}…` : json;
  return {
    id: op.id,
    at: op.createdAt,
    kind: op.kind,
    target: op.target,
    summary: op.summary,
    actor: op.actor,
    state: op.state,
    result,
    error: op.error,
  };
}
