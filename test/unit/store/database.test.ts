import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConsoleError } from '../../../core/errors.js';
import { latestSchemaVersion, openDatabase } from '../../../core/store/database.js';
import { openStore } from '../../../core/store/index.js';
import { migrations, type Migration } from '../../../core/store/migrations.js';
import { makeTasks } from '../../fixtures/tasks.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cantareira-db-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const at = new Date('2024-05-06T07:08:09.010Z');
const backupName = 'console.db.damaged-2024-05-06T07-08-09-010Z';

/** Runs `fn` and returns the ConsoleError it throws; fails the test if it returns or throws anything else. */
function refusal(fn: () => unknown): ConsoleError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConsoleError);
    return e as ConsoleError;
  }
  throw new Error('expected the database to be refused, but it opened');
}

/** A real database with a profile and 2,000 tasks, closed cleanly. */
function writeRealDatabase(file: string): void {
  const store = openStore(file);
  store.profiles.ensure({ id: 'p', name: 'p', kind: 'embedded', builtin: false, pools: [] }, 1);
  store.tasks.upsertMany('p', makeTasks(2000));
  store.close();
}

function expectDamagedAndUntouched(file: string, before: Buffer, err: ConsoleError): void {
  expect(err.code).toBe('STORE_CORRUPT');
  expect(err.message).toContain(file);
  expect(err.message).toContain(backupName);
  expect(err.hint).toBeTruthy();
  expect(fs.readFileSync(file).equals(before)).toBe(true);
  const copy = path.join(path.dirname(file), backupName);
  expect(fs.readFileSync(copy).equals(before)).toBe(true);
}

describe('a new database', () => {
  it('is created in WAL mode with synchronous FULL, foreign keys on and the latest schema', () => {
    const db = openDatabase(path.join(dir, 'nested', 'console.db'));
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(2);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('user_version', { simple: true })).toBe(latestSchemaVersion);
      const tables = db
        .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .all()
        .map((r) => r.name);
      expect(tables).toEqual(expect.arrayContaining(['agents', 'cluster_events', 'profiles', 'settings', 'tasks']));
    } finally {
      db.close();
    }
  });

  it('keeps its data when opened again, without running migrations twice', () => {
    const file = path.join(dir, 'console.db');
    writeRealDatabase(file);
    const store = openStore(file);
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBe(latestSchemaVersion);
      expect(store.tasks.page('p', null, 10).tasks).toHaveLength(10);
    } finally {
      store.close();
    }
  });
});

describe('migrations', () => {
  const first: Migration = { version: 1, name: 'a', sql: 'CREATE TABLE a (x INTEGER);' };
  const broken: Migration = {
    version: 2,
    name: 'b, broken half-way',
    sql: 'CREATE TABLE b (y INTEGER); INSERT INTO a VALUES (1); THIS IS NOT SQL;',
  };
  const fixed: Migration = { version: 2, name: 'b', sql: 'CREATE TABLE b (y INTEGER); INSERT INTO a VALUES (1);' };

  function schemaOf(file: string) {
    const db = new Database(file, { readonly: true });
    try {
      return {
        version: db.pragma('user_version', { simple: true }),
        tables: db
          .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
          .all()
          .map((r) => r.name),
        rowsInA: (db.prepare('SELECT count(*) AS n FROM a').get() as { n: number }).n,
      };
    } finally {
      db.close();
    }
  }

  it('a migration that fails half-way leaves the version and the schema as they were', () => {
    const file = path.join(dir, 'console.db');
    openDatabase(file, { migrations: [first] }).close();
    expect(schemaOf(file)).toEqual({ version: 1, tables: ['a'], rowsInA: 0 });

    const err = refusal(() => openDatabase(file, { migrations: [first, broken] }));
    expect(err.message).toContain(file);
    expect(schemaOf(file)).toEqual({ version: 1, tables: ['a'], rowsInA: 0 });

    // Once the migration is fixed the same file upgrades from where it stood.
    openDatabase(file, { migrations: [first, fixed] }).close();
    expect(schemaOf(file)).toEqual({ version: 2, tables: ['a', 'b'], rowsInA: 1 });
  });

  it('schema 3 keeps the journal written under schema 2, steps included, and accepts cancelled operations', () => {
    const file = path.join(dir, 'console.db');
    const v2 = openDatabase(file, { migrations: migrations.filter((m) => m.version <= 2) });
    v2.prepare(
      `INSERT INTO operations (id, profile_id, kind, target, intent, idempotency_key, actor, state, created_at, updated_at)
                VALUES ('op-1', 'embedded', 'job.kill', 'qa/devel/x', '{}', 'op-1', 'ana', 'succeeded', 1, 2)`,
    ).run();
    v2.prepare(`INSERT INTO operation_steps (operation_id, seq, at, call, result) VALUES ('op-1', 1, 1, 'kill', 'ok')`).run();
    v2.close();

    const store = openStore(file);
    try {
      expect(store.operations.get('embedded', 'op-1')).toMatchObject({
        kind: 'job.kill',
        state: 'succeeded',
        actor: 'ana',
        summary: 'job.kill qa/devel/x',
      });
      expect(store.operations.steps('op-1')).toEqual([{ seq: 1, at: 1, call: 'kill', result: 'ok' }]);
      const id = store.operations.begin(
        'embedded',
        { kind: 'scale.set-desired', target: 'pool', intent: {}, actor: 'ana', startsAt: 10 },
        5,
      );
      expect(store.operations.cancel(id, 'changed my mind', 6)).toBe(true);
      expect(store.operations.get('embedded', id)).toMatchObject({ state: 'cancelled', error: 'changed my mind' });
      // Steps still belong to their operation: the foreign key survived the rebuild.
      expect(() => store.operations.step('no-such-op', 'x', null, 7)).toThrow(/FOREIGN KEY/);
    } finally {
      store.close();
    }
  });

  it('a database written by a newer console is refused with STORE_NEWER_VERSION and keeps its version', () => {
    const file = path.join(dir, 'console.db');
    openDatabase(file).close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${latestSchemaVersion + 1}`);
    raw.close();

    const err = refusal(() => openDatabase(file));
    expect(err.code).toBe('STORE_NEWER_VERSION');
    expect(err.message).toContain(file);
    expect(err.hint).toMatch(/Update the console/);
    expect(userVersionOf(file)).toBe(latestSchemaVersion + 1);
  });
});

function userVersionOf(file: string): unknown {
  const db = new Database(file, { readonly: true });
  try {
    return db.pragma('user_version', { simple: true });
  } finally {
    db.close();
  }
}

describe('a damaged database is reported and left untouched', () => {
  it('a file of random bytes', () => {
    const file = path.join(dir, 'console.db');
    fs.writeFileSync(file, crypto.randomBytes(16 * 1024));
    const before = fs.readFileSync(file);
    const err = refusal(() => openDatabase(file, { now: () => at }));
    expectDamagedAndUntouched(file, before, err);
  });

  it('a real database cut short', () => {
    const file = path.join(dir, 'console.db');
    writeRealDatabase(file);
    fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2));
    const before = fs.readFileSync(file);
    const err = refusal(() => openDatabase(file, { now: () => at }));
    expectDamagedAndUntouched(file, before, err);
  });

  it('a real database with a damaged page that only integrity_check notices', () => {
    const file = path.join(dir, 'console.db');
    writeRealDatabase(file);
    const page = middleLeafPage(file, 'sqlite_autoindex_tasks_1');
    const bytes = fs.readFileSync(file);
    // Overwrite keys in the middle of an index page: the page header stays valid, so the file
    // opens and most reads work, but the index no longer matches the table.
    bytes.fill(0xa5, (page - 1) * pageSize + 2048, (page - 1) * pageSize + 2048 + 256);
    fs.writeFileSync(file, bytes);

    const err = refusal(() => openDatabase(file, { now: () => at }));
    expectDamagedAndUntouched(file, bytes, err);
  });

  it('a damaged database left with an uncheckpointed WAL after a crash: neither file is changed, both are copied', () => {
    const file = path.join(dir, 'console.db');
    const page = crashedWithWal(file);
    const bytes = fs.readFileSync(file);
    bytes.fill(0xa5, (page - 1) * pageSize + 2048, (page - 1) * pageSize + 2048 + 256);
    fs.writeFileSync(file, bytes);
    const wal = fs.readFileSync(`${file}-wal`);
    expect(wal.length).toBeGreaterThan(0);

    const err = refusal(() => openDatabase(file, { now: () => at }));
    expectDamagedAndUntouched(file, bytes, err);
    expect(fs.readFileSync(`${file}-wal`).equals(wal)).toBe(true);
    expect(fs.readFileSync(path.join(dir, `${backupName}-wal`)).equals(wal)).toBe(true);
  });

  it('starting again on the same damaged file keeps no second copy and names the first one', () => {
    const file = path.join(dir, 'console.db');
    fs.writeFileSync(file, crypto.randomBytes(8 * 1024));
    refusal(() => openDatabase(file, { now: () => at }));
    for (let i = 1; i <= 3; i++) {
      const err = refusal(() => openDatabase(file, { now: () => new Date(at.getTime() + i * 60_000) }));
      expect(err.code).toBe('STORE_CORRUPT');
      expect(err.message).toContain(path.join(dir, backupName));
    }
    expect(fs.readdirSync(dir).filter((f) => f.includes('.damaged-'))).toEqual([backupName]);
  });

  it('a second attempt keeps a second copy and never overwrites the first', () => {
    const file = path.join(dir, 'console.db');
    fs.writeFileSync(file, crypto.randomBytes(8 * 1024));
    const before = fs.readFileSync(file);
    refusal(() => openDatabase(file, { now: () => at }));
    const first = path.join(dir, backupName);
    fs.appendFileSync(first, 'the user looked at this copy');
    const firstContent = fs.readFileSync(first);

    const later = new Date(at.getTime() + 60_000);
    const err = refusal(() => openDatabase(file, { now: () => later }));
    expect(err.code).toBe('STORE_CORRUPT');
    expect(fs.readFileSync(first).equals(firstContent)).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'console.db.damaged-2024-05-06T07-09-09-010Z')).equals(before)).toBe(true);
  });
});

describe('a database the console cannot reach', () => {
  it('whose folder would have to be inside a regular file gives STORE_UNREADABLE with a hint', () => {
    const notAFolder = path.join(dir, 'not-a-folder');
    fs.writeFileSync(notAFolder, 'just a file');
    const err = refusal(() => openDatabase(path.join(notAFolder, 'console.db')));
    expect(err.code).toBe('STORE_UNREADABLE');
    expect(err.message).toContain(notAFolder);
    expect(err.hint).toMatch(/--data-dir/);
  });

  it('whose path is taken by a folder gives STORE_UNREADABLE with a hint', () => {
    const file = path.join(dir, 'console.db');
    fs.mkdirSync(file);
    const err = refusal(() => openDatabase(file));
    expect(err.code).toBe('STORE_UNREADABLE');
    expect(err.message).toContain(file);
    expect(err.hint).toMatch(/--data-dir/);
  });

  // root reads any file whatever its mode, so this can only be checked as another user.
  it.skipIf(process.getuid?.() === 0)('that the user may not read gives STORE_UNREADABLE with a hint', () => {
    const file = path.join(dir, 'console.db');
    writeRealDatabase(file);
    fs.chmodSync(file, 0o000);
    try {
      const err = refusal(() => openDatabase(file));
      expect(err.code).toBe('STORE_UNREADABLE');
      expect(err.message).toContain(file);
      expect(err.hint).toMatch(/readable/);
    } finally {
      fs.chmodSync(file, 0o600);
    }
  });
});

const pageSize = 4096;

function leafPages(db: Database.Database, btree: string): number[] {
  expect(db.pragma('page_size', { simple: true })).toBe(pageSize);
  return db
    .prepare<[string], { pageno: number }>("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno")
    .all(btree)
    .map((r) => r.pageno);
}

function middleLeafPage(file: string, btree: string): number {
  const db = new Database(file, { readonly: true });
  try {
    const pages = leafPages(db, btree);
    expect(pages.length).toBeGreaterThan(4);
    return pages[Math.floor(pages.length / 2)]!;
  } finally {
    db.close();
  }
}

/**
 * Leaves `file` as a crash would: committed rows still in the WAL, not yet checkpointed into
 * the main file. Returns a leaf page of the tasks' primary-key index as it stands in the main file.
 */
function crashedWithWal(file: string): number {
  const source = path.join(dir, 'source.db');
  const store = openStore(source);
  store.profiles.ensure({ id: 'p', name: 'p', kind: 'embedded', builtin: false, pools: [] }, 1);
  store.tasks.upsertMany('p', makeTasks(2000, 1));
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  store.db.pragma('wal_autocheckpoint = 0');
  const pages = leafPages(store.db, 'sqlite_autoindex_tasks_1');
  const page = pages[Math.floor(pages.length / 2)]!;
  // Rows committed after the checkpoint live only in the WAL; they touch other pages than the
  // one returned, so damage there is not hidden by a newer copy of the page in the WAL.
  for (let i = 0; i < 200; i++) {
    store.events.append('p', { at: i, kind: 'agent.registered', subject: `agent-${i}`, message: `Agent ${i} registered` });
  }
  // Copy while the connection is still open, as if the process had died here.
  fs.copyFileSync(source, file);
  fs.copyFileSync(`${source}-wal`, `${file}-wal`);
  store.close();
  return page;
}
