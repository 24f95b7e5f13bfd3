/**
 * P1 (reference/performance.md §6): the local task cache. Writes 100,000 realistic task rows
 * through the store's task repository and pages through them by keyset, and times the same
 * work done with bare better-sqlite3 on the same rows, in a separate file with the same schema
 * and pragmas, in the same run. The goal is ours ÷ raw ≤ 1.5 for write and for read.
 *
 * Both sides write the snapshot in transactions of `batchRows` (the 10k-per-transaction of the
 * P1 anchor) and so pay the same commits and fsyncs (synchronous=FULL): the ratio is our
 * repository's overhead. How much the transaction size itself costs is printed after, for
 * context: with task ids in random order each commit rewrites pages all over the indexes.
 *
 * Run: npm run bench -- store
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import Database from 'better-sqlite3';
import type { TaskRecord } from '../../core/model/task.js';
import { taskColumns } from '../../core/store/tasks.js';
import { openStore, type Store } from '../../core/store/index.js';
import { migrations } from '../../core/store/migrations.js';
import { makeTasks } from '../fixtures/tasks.js';

const totalRows = 100_000;
const batchRows = 10_000;
const pageRows = 100;
const runs = 5;
const goal = 1.5;
const profileId = 'bench';

const columns = taskColumns;

const rows = makeTasks(totalRows, 42);
const inBatches = (size: number): TaskRecord[][] => {
  const out: TaskRecord[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
};
const batches = inBatches(batchRows);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cantareira-bench-store-'));
let fileNo = 0;
const nextFile = (side: string) => path.join(dir, `${side}-${++fileNo}.db`);

function removeDb(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
}

// ---- ours: core/store -------------------------------------------------------------------

function openOurs(file: string): Store {
  const store = openStore(file);
  store.profiles.ensure({ id: profileId, name: profileId, kind: 'embedded', builtin: false, pools: [] }, 1);
  return store;
}

function writeOurs(store: Store, chunks: TaskRecord[][] = batches): number {
  const t0 = performance.now();
  for (const batch of chunks) store.tasks.upsertMany(profileId, batch);
  return performance.now() - t0;
}

interface ReadRun {
  ms: number;
  count: number;
  /** The slowest single page, in ms (P1: any page <= 2 ms). */
  slowestPage: number;
}

function readOurs(store: Store): ReadRun {
  let count = 0;
  let slowestPage = 0;
  const t0 = performance.now();
  let after: string | null = null;
  do {
    const p0 = performance.now();
    const page = store.tasks.page(profileId, after, pageRows);
    slowestPage = Math.max(slowestPage, performance.now() - p0);
    count += page.tasks.length;
    after = page.next;
  } while (after !== null);
  return { ms: performance.now() - t0, count, slowestPage };
}

// ---- reference: bare better-sqlite3, same schema and pragmas ------------------------------

function openRaw(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  for (const m of migrations) db.exec(m.sql);
  db.prepare(
    "INSERT INTO profiles (id, name, kind, config, builtin, created_at, updated_at) VALUES (?, ?, 'embedded', '{\"pools\":[]}', 0, 1, 1)",
  ).run(profileId, profileId);
  return db;
}

function writeRaw(db: Database.Database): number {
  const insert = db.prepare(`INSERT INTO tasks (profile_id, ${columns}) VALUES (${new Array(19).fill('?').join(', ')})`);
  const insertBatch = db.transaction((batch: TaskRecord[]) => {
    for (const t of batch) {
      insert.run(
        profileId,
        t.taskId,
        t.jobKey,
        t.instance,
        t.state,
        t.agentId,
        t.agentHost,
        t.ancestorId,
        t.failureCount,
        t.exitCode,
        t.reason,
        t.message,
        t.sandboxDir,
        Object.keys(t.ports).length === 0 ? null : JSON.stringify(t.ports),
        t.pendingReason,
        t.createdAt,
        t.updatedAt,
        t.startedAt,
        t.endedAt,
      );
    }
  });
  const t0 = performance.now();
  for (const batch of batches) insertBatch(batch);
  return performance.now() - t0;
}

function readRaw(db: Database.Database): ReadRun {
  const first = db.prepare<[string, number], { task_id: string }>(
    `SELECT ${columns} FROM tasks WHERE profile_id = ? ORDER BY task_id LIMIT ?`,
  );
  const next = db.prepare<[string, string, number], { task_id: string }>(
    `SELECT ${columns} FROM tasks WHERE profile_id = ? AND task_id > ? ORDER BY task_id LIMIT ?`,
  );
  let count = 0;
  let slowestPage = 0;
  const t0 = performance.now();
  let after: string | null = null;
  do {
    const p0 = performance.now();
    const page: { task_id: string }[] = after === null ? first.all(profileId, pageRows) : next.all(profileId, after, pageRows);
    slowestPage = Math.max(slowestPage, performance.now() - p0);
    count += page.length;
    after = page.length === pageRows ? page[page.length - 1]!.task_id : null;
  } while (after !== null);
  return { ms: performance.now() - t0, count, slowestPage };
}

// ---- measurement ------------------------------------------------------------------------

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const fmtMs = (ms: number) => `${Math.round(ms)} ms`;
const rate = (ms: number) => `${Math.round((totalRows / ms) * 1000).toLocaleString('en-US')} rows/s`;

function check(what: string, count: number): void {
  if (count !== totalRows) throw new Error(`${what} read ${count} rows, expected ${totalRows}`);
}

/** Fresh files for every write run; ours and the reference alternate so drift hits both. */
function measureWrites(): { ours: number[]; raw: number[]; oursFile: string; rawFile: string } {
  const ours: number[] = [];
  const raw: number[] = [];
  let oursFile = '';
  let rawFile = '';
  for (let run = 0; run <= runs; run++) {
    const sides = run % 2 === 0 ? (['ours', 'raw'] as const) : (['raw', 'ours'] as const);
    for (const side of sides) {
      const file = nextFile(side);
      if (side === 'ours') {
        const store = openOurs(file);
        const ms = writeOurs(store);
        store.close();
        if (run > 0) ours.push(ms); // run 0 warms up
        if (oursFile) removeDb(oursFile);
        oursFile = file;
      } else {
        const db = openRaw(file);
        const ms = writeRaw(db);
        db.close();
        if (run > 0) raw.push(ms);
        if (rawFile) removeDb(rawFile);
        rawFile = file;
      }
    }
  }
  return { ours, raw, oursFile, rawFile };
}

function measureReads(oursFile: string, rawFile: string) {
  const store = openStore(oursFile);
  const db = new Database(rawFile, { readonly: true });
  const ours: number[] = [];
  const raw: number[] = [];
  let oursSlowest = 0;
  let rawSlowest = 0;
  try {
    for (let run = 0; run <= runs; run++) {
      const o = readOurs(store);
      const r = readRaw(db);
      check('ours', o.count);
      check('raw better-sqlite3', r.count);
      if (run > 0) {
        ours.push(o.ms);
        raw.push(r.ms);
        oursSlowest = Math.max(oursSlowest, o.slowestPage);
        rawSlowest = Math.max(rawSlowest, r.slowestPage);
      }
    }
  } finally {
    store.close();
    db.close();
  }
  return { ours, raw, oursSlowest, rawSlowest };
}

/** One run of ours per transaction size, on a fresh file: what chunking a snapshot costs. */
function transactionSizes(sizes: number[]): string {
  return sizes
    .map((size) => {
      const file = nextFile('ours');
      const store = openOurs(file);
      const ms = writeOurs(store, inBatches(size));
      store.close();
      removeDb(file);
      return `${size.toLocaleString('en-US')} per transaction ${fmtMs(ms)}`;
    })
    .join(', ');
}

function report(label: string, ours: number[], raw: number[], extra: (ms: number) => string): void {
  const o = median(ours);
  const r = median(raw);
  const ratio = o / r;
  console.log(
    `${label}: ours ${fmtMs(o)}, raw better-sqlite3 ${fmtMs(r)}, ratio ${ratio.toFixed(2)} (goal <= ${goal})` +
      `${ratio > goal ? '  OVER GOAL' : ''}; ours ${extra(o)}, raw ${extra(r)}`,
  );
  console.log(`  runs (ms): ours ${ours.map((x) => x.toFixed(0)).join(' ')} | raw ${raw.map((x) => x.toFixed(0)).join(' ')}`);
}

try {
  const require = createRequire(import.meta.url);
  const sqliteVersion = (require('better-sqlite3/package.json') as { version: string }).version;
  console.log(
    `store bench: ${totalRows.toLocaleString('en-US')} task rows, WAL + synchronous=FULL, ` +
      `node ${process.version}, better-sqlite3 ${sqliteVersion}, ${os.cpus().length} cpus, median of ${runs} runs after 1 warm-up`,
  );

  const writes = measureWrites();
  report(`store write 100k tasks (upsertMany, ${batchRows.toLocaleString('en-US')} per transaction)`, writes.ours, writes.raw, rate);

  const reads = measureReads(writes.oursFile, writes.rawFile);
  const pages = Math.ceil(totalRows / pageRows);
  report(
    `store read 100k tasks (keyset pages of ${pageRows})`,
    reads.ours,
    reads.raw,
    (ms) => `${rate(ms)} (${(ms / pages).toFixed(3)} ms/page)`,
  );
  console.log(`  slowest single page: ours ${reads.oursSlowest.toFixed(2)} ms, raw ${reads.rawSlowest.toFixed(2)} ms (P1: <= 2 ms)`);
  console.log(`store write 100k tasks, ours by transaction size (one run each, for context): ${transactionSizes([1_000, 100_000])}`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
