import type { CloudProvider } from '../cloud/provider.js';
import type { Pool, Profile } from '../contract/profiles.js';
import type { HoldTarget, HoldView } from '../contract/scaling.js';
import { ConsoleError, isConsoleError } from '../errors.js';
import { notScalable } from '../model/pool.js';
import type { HoldRecord } from '../store/holds.js';
import type { Store } from '../store/index.js';
import type { OperationRecord } from '../store/operations.js';
import type { CloudInstance } from '../cloud/provider.js';
import { journalCall } from './operations.js';
import { utc } from './plan.js';
import { holdView } from './views.js';

export interface HoldDeps {
  store: Store;
  profile: Profile;
  provider: CloudProvider;
  now: () => number;
  log: (msg: string, err?: unknown) => void;
  /** Resolves once the journal is reconciled; nothing new runs before. */
  ready: () => Promise<void>;
  /** Who the journal names (OS user, and the AWS principal when known). */
  actor: () => Promise<string>;
  /** The OS user alone, kept on the hold itself. */
  user: string;
  emit: (kind: 'hold.changed', subject: string, message: string) => void;
  pool: (name: string) => Pool;
  instancesOf: (pool: Pool) => Promise<CloudInstance[]>;
  holdsNow: () => HoldRecord[];
}

/**
 * Holds ("keep machines up"): recorded by the console, tagged on the machines (and, on AWS,
 * scale-in protection for group members), journaled, and cleared from the machines when
 * they expire or are released.
 */
export function createHolds(d: HoldDeps) {
  const { store, profile, provider, now, log, ready, actor, emit, pool, instancesOf, holdsNow } = d;

  /** Instances a hold covers now: the instance itself, or every live machine of the pool. */
  async function coveredBy(target: HoldTarget): Promise<{ pool: Pool; ids: string[] }> {
    if (target.kind === 'pool') {
      const p = pool(target.pool);
      return { pool: p, ids: (await instancesOf(p)).map((i) => i.id) };
    }
    for (const p of profile.pools) {
      if ((await instancesOf(p)).some((i) => i.id === target.instanceId)) return { pool: p, ids: [target.instanceId] };
    }
    throw new ConsoleError(
      'INSTANCE_NOT_FOUND',
      `There is no live instance ${target.instanceId} in ${profile.name}.`,
      'Refresh the Instances screen and choose again.',
    );
  }

  async function setHold(target: HoldTarget, until: number, reason: string): Promise<HoldView> {
    await ready();
    if (until <= now()) throw new ConsoleError('HOLD_INVALID', 'A hold must end in the future.', 'Pick a time after now.');
    if (until > now() + 30 * 24 * 3_600_000)
      throw new ConsoleError(
        'HOLD_INVALID',
        'A hold can last at most 30 days.',
        'Pick an earlier time; renew it if you still need it then.',
      );
    const covered = await coveredBy(target);
    if (target.kind === 'pool') {
      const why = notScalable(covered.pool);
      if (why)
        throw new ConsoleError('HOLD_INVALID', `${covered.pool.name} is never scaled by the console, so holding it changes nothing.`, why);
    }
    const label = target.kind === 'pool' ? `pool ${target.pool}` : target.instanceId;
    const id = store.operations.begin(
      profile.id,
      {
        kind: 'hold.set',
        target: label,
        summary: `Hold ${label} until ${utc(until)}: ${reason}`,
        intent: { target, pool: covered.pool.name, until, reason, instanceIds: covered.ids },
        actor: await actor(),
      },
      now(),
    );
    const op = store.operations.get(profile.id, id)!;
    try {
      if (covered.ids.length > 0) {
        await journalCall(store, now, op, 'setHold', { instanceIds: covered.ids, until }, () =>
          provider.setHold({ operationId: id, instanceIds: covered.ids, until, reason }),
        );
      }
      const h = store.holds.add(profile.id, {
        targetKind: target.kind,
        target: target.kind === 'pool' ? target.pool : target.instanceId,
        pool: covered.pool.name,
        until,
        reason,
        actor: d.user,
        createdAt: now(),
      });
      store.operations.succeed(id, { holdId: h.id, instanceIds: covered.ids }, now());
      emit('hold.changed', h.id, op.summary);
      return holdView(h);
    } catch (e) {
      store.operations.fail(id, isConsoleError(e) ? e.message : String(e), now());
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
      .filter(
        (i) =>
          !remaining.some((x) => (x.targetKind === 'instance' && x.target === i.id) || (x.targetKind === 'pool' && x.target === p.name)),
      )
      .map((i) => i.id);
    if (ids.length > 0) await journalCall(store, now, op, 'releaseHold', { instanceIds: ids }, () => provider.releaseHold(op.id, ids));
  }

  async function releaseHold(holdId: string, why?: string): Promise<boolean> {
    await ready();
    const h = store.holds.get(profile.id, holdId);
    if (!h) throw new ConsoleError('HOLD_NOT_FOUND', `There is no hold ${holdId}.`, 'It may have expired; refresh the list.');
    const label = h.targetKind === 'pool' ? `pool ${h.target}` : h.target;
    const id = store.operations.begin(
      profile.id,
      {
        kind: 'hold.release',
        target: label,
        summary: why ?? `Release the hold on ${label} ("${h.reason}")`,
        intent: { holdId },
        actor: why ? 'console (expiry)' : await actor(),
      },
      now(),
    );
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

  /**
   * A hold command a crash interrupted: a hold whose tags were written is recorded (it is in
   * force on the machines anyway), and a release whose record was closed clears its tags.
   */
  async function reconcile(op: OperationRecord) {
    const note = (finding: string) => store.operations.step(op.id, 'reconcile after restart', finding, now());
    if (op.kind === 'hold.set') {
      const intent = op.intent as { target: HoldTarget; pool: string; until: number; reason: string; instanceIds: string[] };
      if (intent.until <= now()) {
        note('the hold would have expired meanwhile; its tags are cleared');
        if (intent.instanceIds.length > 0) await provider.releaseHold(op.id, intent.instanceIds);
        store.operations.fail(op.id, 'Interrupted by a console restart; the hold would have expired since, so it was not kept.', now());
        return;
      }
      const target = intent.target.kind === 'pool' ? intent.target.pool : intent.target.instanceId;
      if (intent.instanceIds.length > 0)
        await provider.setHold({ operationId: op.id, instanceIds: intent.instanceIds, until: intent.until, reason: intent.reason });
      const h = store.holds.add(profile.id, {
        targetKind: intent.target.kind,
        target,
        pool: intent.pool,
        until: intent.until,
        reason: intent.reason,
        actor: d.user,
        createdAt: now(),
      });
      note(`hold recorded as ${h.id}, tags written on ${intent.instanceIds.join(', ') || 'no machine'}`);
      store.operations.succeed(op.id, { holdId: h.id, instanceIds: intent.instanceIds, reconciled: true }, now());
      return;
    }
    const { holdId } = op.intent as { holdId: string };
    const h = store.holds.get(profile.id, holdId);
    if (h) {
      store.holds.release(profile.id, holdId, now());
      await untag(op, h);
    }
    note(h ? `hold ${holdId} released and its tags cleared` : `hold ${holdId} no longer exists`);
    store.operations.succeed(op.id, { released: h !== null, reconciled: true }, now());
  }

  return { setHold, releaseHold, expireHolds, reconcile };
}
export type Holds = ReturnType<typeof createHolds>;
