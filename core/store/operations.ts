import crypto from 'node:crypto';
import type { Db } from './database.js';

export type OperationStateValue = 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface OperationProgress {
  done: number;
  total: number;
  message: string;
}

export interface OperationRecord {
  id: string;
  kind: string;
  target: string;
  summary: string;
  intent: unknown;
  idempotencyKey: string;
  actor: string;
  state: OperationStateValue;
  progress: OperationProgress | null;
  startsAt: number | null;
  result: unknown;
  error: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface OperationStepRecord {
  seq: number;
  at: number;
  call: string;
  result: string | null;
}

interface Row {
  id: string;
  kind: string;
  target: string;
  summary: string;
  intent: string;
  idempotency_key: string;
  actor: string;
  state: OperationStateValue;
  progress: string | null;
  starts_at: number | null;
  result: string | null;
  error: string | null;
  created_at: number;
  updated_at: number;
}

const toRecord = (r: Row): OperationRecord => ({
  id: r.id,
  kind: r.kind,
  target: r.target,
  summary: r.summary,
  intent: JSON.parse(r.intent),
  idempotencyKey: r.idempotency_key,
  actor: r.actor,
  state: r.state,
  progress: r.progress === null ? null : (JSON.parse(r.progress) as OperationProgress),
  startsAt: r.starts_at,
  result: r.result === null ? null : JSON.parse(r.result),
  error: r.error,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface NewOperation {
  kind: string;
  target: string;
  summary?: string;
  intent: unknown;
  actor: string;
  /** Defaults to the operation's own id (commands that cannot be pressed twice by accident). */
  idempotencyKey?: string;
  /** Journaled as `pending` until this time (the cancel window); `running` at once otherwise. */
  startsAt?: number;
}

/**
 * The journal of mutating commands, which is also the audit log: an entry is written before
 * the command acts, each external call it makes is a step, and it is closed with its result.
 * Entries left open by a crash are reconciled at the next start before anything new runs.
 */
export function operationRepository(db: Db) {
  const insert = db.prepare(
    `INSERT INTO operations (id, profile_id, kind, target, summary, intent, idempotency_key, actor, state, starts_at, created_at, updated_at)
     VALUES (@id, @profileId, @kind, @target, @summary, @intent, @key, @actor, @state, @startsAt, @at, @at)`,
  );
  const finish = db.prepare(
    `UPDATE operations SET state = ?, result = ?, error = ?, progress = NULL, starts_at = NULL, updated_at = ? WHERE id = ? AND state IN ('pending', 'running')`,
  );
  const start = db.prepare(`UPDATE operations SET state = 'running', starts_at = NULL, updated_at = ? WHERE id = ? AND state = 'pending'`);
  const setProgress = db.prepare('UPDATE operations SET progress = ?, updated_at = ? WHERE id = ?');
  const open = db.prepare<[string], Row>(
    `SELECT * FROM operations WHERE profile_id = ? AND state IN ('pending', 'running') ORDER BY created_at, rowid`,
  );
  const recent = db.prepare<[string, number], Row>(
    'SELECT * FROM operations WHERE profile_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?',
  );
  const before = db.prepare<[string, number, number], Row>(
    'SELECT * FROM operations WHERE profile_id = ? AND created_at < ? ORDER BY created_at DESC, rowid DESC LIMIT ?',
  );
  const one = db.prepare<[string, string], Row>('SELECT * FROM operations WHERE profile_id = ? AND id = ?');
  const byKey = db.prepare<[string, string], Row>('SELECT * FROM operations WHERE profile_id = ? AND idempotency_key = ?');
  const nextSeq = db.prepare<[string], { seq: number }>(
    'SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM operation_steps WHERE operation_id = ?',
  );
  const insertStep = db.prepare('INSERT INTO operation_steps (operation_id, seq, at, call, result) VALUES (?, ?, ?, ?, ?)');
  const cancel = db.prepare(
    `UPDATE operations SET state = 'cancelled', error = ?, starts_at = NULL, updated_at = ? WHERE id = ? AND state = 'pending'`,
  );
  const stepResult = db.prepare('UPDATE operation_steps SET result = ? WHERE operation_id = ? AND seq = ?');
  const steps = db.prepare<[string], OperationStepRecord>(
    'SELECT seq, at, call, result FROM operation_steps WHERE operation_id = ? ORDER BY seq',
  );

  return {
    begin(profileId: string, op: NewOperation, at: number): string {
      const id = crypto.randomUUID();
      insert.run({
        id,
        profileId,
        kind: op.kind,
        target: op.target,
        summary: op.summary ?? `${op.kind} ${op.target}`,
        intent: JSON.stringify(op.intent),
        key: op.idempotencyKey ?? id,
        actor: op.actor,
        state: op.startsAt === undefined ? 'running' : 'pending',
        startsAt: op.startsAt ?? null,
        at,
      });
      return id;
    },
    /** Pending → running; false if it was cancelled (or already started) meanwhile. */
    start(id: string, at: number): boolean {
      return start.run(at, id).changes === 1;
    },
    /** Records an external call before it is made; returns its number for `stepResult`. */
    step(id: string, call: string, result: string | null, at: number): number {
      return db.transaction(() => {
        const seq = nextSeq.get(id)!.seq;
        insertStep.run(id, seq, at, call, result);
        return seq;
      })();
    },
    stepResult(id: string, seq: number, result: string): void {
      stepResult.run(result, id, seq);
    },
    progress(id: string, progress: OperationProgress, at: number): void {
      setProgress.run(JSON.stringify(progress), at, id);
    },
    /** `note`: what the user should know about a success (a spot group only partly fulfilled). */
    succeed(id: string, result: unknown, at: number, note: string | null = null): void {
      finish.run('succeeded', JSON.stringify(result ?? null), note, at, id);
    },
    fail(id: string, error: string, at: number, result?: unknown): void {
      finish.run('failed', result === undefined ? null : JSON.stringify(result), error, at, id);
    },
    /** Only a pending operation can be cancelled: nothing has been called yet. */
    cancel(id: string, why: string, at: number): boolean {
      return cancel.run(why, at, id).changes === 1;
    },
    /** Entries not closed yet (running now, or left open by a crash), oldest first. */
    open(profileId: string): OperationRecord[] {
      return open.all(profileId).map(toRecord);
    },
    recent(profileId: string, limit: number, beforeAt?: number): OperationRecord[] {
      return (beforeAt === undefined ? recent.all(profileId, limit) : before.all(profileId, beforeAt, limit)).map(toRecord);
    },
    get(profileId: string, id: string): OperationRecord | null {
      const r = one.get(profileId, id);
      return r ? toRecord(r) : null;
    },
    byIdempotencyKey(profileId: string, key: string): OperationRecord | null {
      const r = byKey.get(profileId, key);
      return r ? toRecord(r) : null;
    },
    steps(id: string): OperationStepRecord[] {
      return steps.all(id);
    },
  };
}
export type OperationRepository = ReturnType<typeof operationRepository>;
