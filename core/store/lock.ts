import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ConsoleError } from '../errors.js';
import { ensurePrivateDir, writePrivateFile } from '../paths.js';

/**
 * One console per data folder. Two hosts on one folder would share the database and the
 * embedded cluster's sandboxes, and the second would reap the first's live tasks as orphans.
 *
 * The lock is an OS lock (SQLite's, held by an EXCLUSIVE transaction on `cantareira.lock`), not
 * a pid file: the kernel drops it when the holder dies, even by `kill -9`, so a stale lock never
 * keeps the console from starting at 3 a.m., and a recycled pid is never mistaken for a holder.
 * SQLite also makes two connections of one process conflict, so the desktop app, the headless
 * host and two hosts in one test process all meet the same lock. Who holds it is written beside
 * it (`cantareira.lock.json`), since the lock itself cannot be read while it is held.
 */

export interface LockOwner {
  pid: number;
  host: string;
  startedAt: number;
}

export interface DataDirLock {
  readonly owner: LockOwner;
  release(): void;
}

export function lockFile(dataDir: string): string {
  return path.join(dataDir, 'cantareira.lock');
}

const ownerFile = (dataDir: string) => `${lockFile(dataDir)}.json`;

function readOwner(dataDir: string): LockOwner | null {
  try {
    const o = JSON.parse(fs.readFileSync(ownerFile(dataDir), 'utf8')) as Partial<LockOwner>;
    return typeof o.pid === 'number' && typeof o.host === 'string' && typeof o.startedAt === 'number'
      ? { pid: o.pid, host: o.host, startedAt: o.startedAt }
      : null;
  } catch {
    return null;
  }
}

function describeOwner(o: LockOwner | null): string {
  if (!o) return 'Another Cantareira Console';
  return `Another Cantareira Console (${o.host}, pid ${o.pid}, started ${new Date(o.startedAt).toISOString()})`;
}

/**
 * Takes the data folder's lock, creating the folder (0700) if needed. Throws DATA_DIR_LOCKED,
 * naming the holder, when another console has it; nothing else in the folder is touched.
 */
export function lockDataDir(dataDir: string, host: string, now: () => number = Date.now): DataDirLock {
  ensurePrivateDir(dataDir);
  const file = lockFile(dataDir);
  let db: Database.Database;
  try {
    fs.closeSync(fs.openSync(file, 'a', 0o600));
    db = new Database(file, { timeout: 0 });
  } catch (e) {
    throw new ConsoleError(
      'STORE_UNREADABLE',
      `Cannot open the lock of the data folder ${dataDir}: ${(e as Error).message}.`,
      'Check that the folder is writable by you, or start with --data-dir <another folder>.',
    );
  }
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
  } catch (e) {
    db.close();
    if ((e as { code?: string }).code !== 'SQLITE_BUSY') throw e;
    const owner = readOwner(dataDir);
    throw new ConsoleError(
      'DATA_DIR_LOCKED',
      `${describeOwner(owner)} is using the data folder ${dataDir}.`,
      `Use that console${owner ? ` or stop it (kill ${owner.pid})` : ''}, or start this one with --data-dir <another folder>.`,
    );
  }
  const owner: LockOwner = { pid: process.pid, host, startedAt: now() };
  writePrivateFile(ownerFile(dataDir), JSON.stringify(owner) + '\n');
  let held = true;
  return {
    owner,
    release() {
      if (!held) return;
      held = false;
      // Remove our name first: after close, the next holder may already be writing its own.
      const current = readOwner(dataDir);
      if (current?.pid === owner.pid && current.startedAt === owner.startedAt) fs.rmSync(ownerFile(dataDir), { force: true });
      db.close();
    },
  };
}
