import crypto from 'node:crypto';
import type { Db } from './database.js';

export interface HoldRecord {
  id: string;
  targetKind: 'pool' | 'instance';
  /** The pool name or the instance id. */
  target: string;
  pool: string;
  until: number;
  reason: string;
  actor: string;
  createdAt: number;
}

interface Row {
  id: string;
  target_kind: 'pool' | 'instance';
  target: string;
  pool: string;
  until: number;
  reason: string;
  actor: string;
  created_at: number;
}

const toRecord = (r: Row): HoldRecord => ({
  id: r.id,
  targetKind: r.target_kind,
  target: r.target,
  pool: r.pool,
  until: r.until,
  reason: r.reason,
  actor: r.actor,
  createdAt: r.created_at,
});

/**
 * Holds ("keep machines up"): the console's own record, checked by every downscale path. A hold
 * past its `until` simply stops counting; nothing has to run for it to expire.
 */
export function holdRepository(db: Db) {
  const insert = db.prepare(
    `INSERT INTO holds (id, profile_id, target_kind, target, pool, until, reason, actor, created_at)
     VALUES (@id, @profileId, @targetKind, @target, @pool, @until, @reason, @actor, @createdAt)`,
  );
  const inForce = db.prepare<[string, number], Row>(
    'SELECT * FROM holds WHERE profile_id = ? AND released_at IS NULL AND until > ? ORDER BY until, created_at',
  );
  const expired = db.prepare<[string, number], Row>(
    'SELECT * FROM holds WHERE profile_id = ? AND released_at IS NULL AND until <= ? ORDER BY until',
  );
  const one = db.prepare<[string, string], Row>('SELECT * FROM holds WHERE profile_id = ? AND id = ?');
  const release = db.prepare('UPDATE holds SET released_at = ? WHERE profile_id = ? AND id = ? AND released_at IS NULL');

  return {
    add(profileId: string, h: Omit<HoldRecord, 'id'>): HoldRecord {
      const id = crypto.randomUUID();
      insert.run({ id, profileId, ...h });
      return { id, ...h };
    },
    inForce(profileId: string, now: number): HoldRecord[] {
      return inForce.all(profileId, now).map(toRecord);
    },
    /** Past their time but not yet cleared from the machines. */
    expired(profileId: string, now: number): HoldRecord[] {
      return expired.all(profileId, now).map(toRecord);
    },
    get(profileId: string, id: string): HoldRecord | null {
      const r = one.get(profileId, id);
      return r ? toRecord(r) : null;
    },
    release(profileId: string, id: string, at: number): boolean {
      return release.run(at, profileId, id).changes === 1;
    },
  };
}
export type HoldRepository = ReturnType<typeof holdRepository>;
