import crypto from 'node:crypto';
import type { Db } from './database.js';

export interface OperationRecord {
  id: string;
  kind: string;
  target: string;
  intent: unknown;
  actor: string;
  state: 'pending' | 'running' | 'succeeded' | 'failed';
  result: unknown;
  error: string | null;
  createdAt: number;
  updatedAt: number;
}

interface Row {
  id: string;
  kind: string;
  target: string;
  intent: string;
  actor: string;
  state: OperationRecord['state'];
  result: string | null;
  error: string | null;
  created_at: number;
  updated_at: number;
}

const toRecord = (r: Row): OperationRecord => ({
  id: r.id,
  kind: r.kind,
  target: r.target,
  intent: JSON.parse(r.intent),
  actor: r.actor,
  state: r.state,
  result: r.result === null ? null : JSON.parse(r.result),
  error: r.error,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/**
 * The journal of mutating commands, which is also the audit log: an entry is written before
 * the command acts, and closed with its result. Entries left open by a crash are closed at the
 * next start (see `closeInterrupted`).
 */
export function operationRepository(db: Db) {
  const insert = db.prepare(
    `INSERT INTO operations (id, profile_id, kind, target, intent, idempotency_key, actor, state, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?, ?)`,
  );
  const finish = db.prepare('UPDATE operations SET state = ?, result = ?, error = ?, updated_at = ? WHERE id = ?');
  const open = db.prepare<[string], Row>(`SELECT * FROM operations WHERE profile_id = ? AND state IN ('pending', 'running')`);
  const recent = db.prepare<[string, number], Row>('SELECT * FROM operations WHERE profile_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?');

  return {
    begin(profileId: string, op: { kind: string; target: string; intent: unknown; actor: string }, at: number): string {
      const id = crypto.randomUUID();
      insert.run(id, profileId, op.kind, op.target, JSON.stringify(op.intent), id, op.actor, at, at);
      return id;
    },
    succeed(id: string, result: unknown, at: number): void {
      finish.run('succeeded', JSON.stringify(result ?? null), null, at, id);
    },
    fail(id: string, error: string, at: number): void {
      finish.run('failed', null, error, at, id);
    },
    /** Entries a crash left open; the caller decides how each ends. */
    open(profileId: string): OperationRecord[] {
      return open.all(profileId).map(toRecord);
    },
    recent(profileId: string, limit: number): OperationRecord[] {
      return recent.all(profileId, limit).map(toRecord);
    },
  };
}
export type OperationRepository = ReturnType<typeof operationRepository>;
