import type { CloudProvider, GroupCapacity } from '../cloud/provider.js';
import type { Pool, Profile } from '../contract/profiles.js';
import type { AuditEntry, Operation, ScalePlan, ScaleRequest } from '../contract/scaling.js';
import { ConsoleError, isConsoleError } from '../errors.js';
import { poolCloudNames } from '../model/pool.js';
import type { Store } from '../store/index.js';
import type { OperationRecord } from '../store/operations.js';
import { execute, Interrupted, reconcile, type Intent, type RunContext } from './operations.js';
import { createHolds } from './holds.js';
import { planScale, type AgentOnMachine } from './plan.js';
import { auditView, holdView, instanceViews, operationView, poolViews, type ViewDeps } from './views.js';

export { operationView } from './views.js';

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
      throw new ConsoleError(
        'POOL_NOT_FOUND',
        `There is no pool ${name} in ${profile.name}.`,
        `Pools: ${profile.pools.map((x) => x.name).join(', ')}.`,
      );
    }
    return p;
  };
  const names = (p: Pool) => poolCloudNames(profile, p);
  const instancesOf = (p: Pool) => provider.listInstances(names(p).namePrefix);
  const groupOf = async (p: Pool): Promise<GroupCapacity | null> =>
    p.kind === 'on-demand' ? provider.groupCapacity(names(p).autoScalingGroup) : null;
  const holdsNow = () => store.holds.inForce(profile.id, now());
  const activeOn = (poolName: string) =>
    store.operations.open(profile.id).find((op) => op.kind.startsWith('scale.') && op.target === poolName) ?? null;

  async function plan(request: ScaleRequest, timeoutMs?: number): Promise<ScalePlan> {
    const p = pool(request.pool);
    const [instances, group] = await Promise.all([instancesOf(p), groupOf(p)]);
    return planScale({
      request,
      pool: p,
      instances,
      group,
      agents: o.agents(),
      holds: holdsNow(),
      now: now(),
      timeoutMs: timeoutMs ?? defaultTimeoutMs,
    });
  }

  // Reconcile first: nothing new runs until every operation a crash left open is closed.
  const holds = createHolds({
    store,
    profile,
    provider,
    now,
    log,
    ready: () => ready,
    actor,
    user: o.actor,
    emit,
    pool,
    instancesOf,
    holdsNow,
  });
  const ready = (async () => {
    for (const op of store.operations.open(profile.id)) {
      try {
        if (op.kind.startsWith('hold.')) await holds.reconcile(op);
        else await reconcile(ctx, op);
      } catch (e) {
        log(`reconciling operation ${op.id} failed`, e);
        store.operations.fail(
          op.id,
          `Interrupted by a console restart, and could not be checked: ${isConsoleError(e) ? e.message : String(e)}`,
          now(),
        );
      }
    }
  })();

  function startAfterWindow(op: OperationRecord, p: ScalePlan) {
    const t = setTimeout(
      () => {
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
      },
      Math.max(0, (op.startsAt ?? now()) - now()),
    );
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
        throw new ConsoleError(
          'SCALE_BUSY',
          `${p.name} is busy: "${busy.summary}" is ${busy.state}.`,
          'Wait for it to finish (or cancel it while it is pending), then try again.',
        );
      }
      return null;
    };
    const early = guard();
    if (early) return early;
    const planned = await plan(input.request, input.timeoutMs);
    if (planned.refusals.length > 0) {
      const held = planned.refusals.some((r) => r.includes(' is held until '));
      throw new ConsoleError(
        held ? 'INSTANCE_HELD' : 'SCALE_NOT_ALLOWED',
        planned.refusals[0]!,
        held ? 'Release the hold on the Scaling screen, or leave those machines out.' : undefined,
        planned.refusals,
      );
    }
    if (planned.add.length === 0 && planned.remove.length === 0) {
      throw new ConsoleError('SCALE_NOT_ALLOWED', `${planned.summary}.`, 'Choose a different count.');
    }
    if (planned.requires.acceptTaskLoss && !input.acceptTaskLoss) {
      const lost = planned.remove.flatMap((r) => r.tasks);
      throw new ConsoleError(
        'SCALE_CONFIRMATION_REQUIRED',
        `${lost.length} running task${lost.length === 1 ? '' : 's'} would be lost: ${lost
          .slice(0, 5)
          .map((t) => `${t.jobKey}/${t.instance}`)
          .join(', ')}${lost.length > 5 ? ' …' : ''}.`,
        'Confirm that these tasks may be lost (acceptTaskLoss), or choose other machines.',
      );
    }
    if (planned.requires.typedName !== null && input.typedName !== planned.requires.typedName) {
      throw new ConsoleError(
        'SCALE_CONFIRMATION_REQUIRED',
        `This takes ${p.name} to 0 machines.`,
        `Type the pool name, ${p.name}, to confirm.`,
      );
    }
    const intent: Intent = {
      request: input.request,
      removeIds: planned.remove.map((r) => r.instanceId),
      target: planned.target,
      timeoutMs: planned.timeoutMs,
    };
    const late = guard();
    if (late) return late;
    const id = store.operations.begin(
      profile.id,
      {
        kind: `scale.${input.request.kind}`,
        target: p.name,
        summary: planned.summary,
        intent,
        actor: who,
        idempotencyKey: input.idempotencyKey,
        startsAt: now() + cancelWindowMs,
      },
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
      throw new ConsoleError(
        'OPERATION_NOT_CANCELLABLE',
        `"${op.summary}" has already ${op.state === 'pending' ? 'started' : op.state === 'running' ? 'started' : 'ended'}; it cannot be cancelled now.`,
        op.state === 'running' ? 'Wait for it to end, then undo it with another operation.' : undefined,
      );
    }
    emit('operation.changed', id, `${op.summary}: cancelled`);
    return operationView(store.operations.get(profile.id, id)!);
  }

  const sweep = setInterval(() => void holds.expireHolds(), 30_000);
  sweep.unref();
  void ready.then(holds.expireHolds);
  const views: ViewDeps = { store, profile, now, agents: o.agents, instancesOf, groupOf, holdsNow };

  return {
    ready,
    plan,
    run,
    cancel,
    pools: () => poolViews(views),
    instances: (poolName?: string) => instanceViews(views, poolName),
    setHold: holds.setHold,
    releaseHold: (id: string) => holds.releaseHold(id),
    holds: () => holdsNow().map(holdView),
    operations: (active: boolean, limit: number) =>
      (active ? store.operations.open(profile.id).reverse() : store.operations.recent(profile.id, limit)).map(operationView),
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
