import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ConsoleError } from '../errors.js';
import { ensurePrivateDir } from '../paths.js';
import { driverLoadProblem, driverRuntimeProblem } from './driver.js';
import { latestSchemaVersion, migrations, type Migration } from './migrations.js';

export type Db = Database.Database;

export interface OpenOptions {
  /** Only for tests of the migration runner. */
  migrations?: readonly Migration[];
  now?: () => Date;
}

const moveAsideHint = (file: string) =>
  `Quit the console, move ${file} aside (or restore it from a backup), and start again; ` +
  `or start with --data-dir <another folder> to leave it untouched.`;

/**
 * Opens (creating if needed) the console's SQLite database.
 *
 * Settings, and why:
 *  - WAL: readers never block the writer, and a crash leaves the last committed state.
 *  - synchronous=FULL: every commit of an operation journal entry survives power loss, not
 *    only a process crash; our write volume is small, so the fsync per commit is cheap.
 *  - busy_timeout: a second console on the same folder waits instead of failing at once.
 *  - integrity_check before anything is written, on a read-only connection: a damaged file is
 *    reported, copied aside for the user and never "repaired" or overwritten by us.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const list = options.migrations ?? migrations;
  const runtime = driverRuntimeProblem();
  if (runtime) throw runtime;
  try {
    ensurePrivateDir(path.dirname(file));
  } catch (e) {
    throw new ConsoleError(
      'STORE_UNREADABLE',
      `Cannot create the data folder ${path.dirname(file)}: ${(e as Error).message}.`,
      'Choose a writable folder with --data-dir or CANTAREIRA_DATA_DIR.',
    );
  }

  checkExisting(file, options.now?.() ?? new Date());

  let db: Db;
  try {
    keepPrivate(file);
    db = new Database(file, { timeout: 5000 });
  } catch (e) {
    throw (
      driverLoadProblem(e) ??
      new ConsoleError(
        'STORE_UNREADABLE',
        `Cannot open the database ${file}: ${(e as Error).message}.`,
        `Check that the file and its folder are readable and writable by you; ${moveAsideHint(file)}`,
      )
    );
  }

  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    migrate(db, file, list);
    return db;
  } catch (e) {
    if (db.open) db.close();
    if (e instanceof ConsoleError) throw e;
    const err = e as { code?: string; message: string };
    if (err.code === 'SQLITE_NOTADB' || err.code === 'SQLITE_CORRUPT') {
      throw corrupt(file, err.message, options.now?.() ?? new Date());
    }
    throw new ConsoleError('STORE_UNREADABLE', `Cannot use the database ${file}: ${err.message}.`, moveAsideHint(file));
  }
}

/**
 * The database and its WAL readable by this user only: job command lines and profiles are in
 * it. A new file is created 0600 before SQLite opens it, and SQLite gives the -wal and -shm
 * files it creates the database's own mode; files of an older console are tightened.
 */
function keepPrivate(file: string): void {
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      if ((fs.statSync(f).mode & 0o077) !== 0) fs.chmodSync(f, 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
}

/**
 * Runs integrity_check on an existing file through a read-only connection. Closing a read-write
 * connection checkpoints the WAL into the main file and deletes the WAL, which would change a
 * damaged database (and lose the WAL from the copy kept aside); a read-only one never writes.
 */
function checkExisting(file: string, now: Date): void {
  if (!fs.existsSync(file)) return;
  let ro: Db;
  try {
    ro = new Database(file, { readonly: true, fileMustExist: true, timeout: 5000 });
  } catch (e) {
    throw (
      driverLoadProblem(e) ??
      new ConsoleError(
        'STORE_UNREADABLE',
        `Cannot open the database ${file}: ${(e as Error).message}.`,
        `Check that the file and its folder are readable and writable by you; ${moveAsideHint(file)}`,
      )
    );
  }
  let problems: string[];
  try {
    problems = integrityProblems(ro);
  } catch (e) {
    ro.close();
    const err = e as { code?: string; message: string };
    if (err.code === 'SQLITE_NOTADB' || err.code === 'SQLITE_CORRUPT') throw corrupt(file, err.message, now);
    throw new ConsoleError('STORE_UNREADABLE', `Cannot use the database ${file}: ${err.message}.`, moveAsideHint(file));
  }
  ro.close();
  if (problems.length > 0) throw corrupt(file, problems.slice(0, 3).join('; '), now);
}

function integrityProblems(db: Db): string[] {
  const rows = db.pragma('integrity_check') as { integrity_check: string }[];
  const msgs = rows.map((r) => r.integrity_check);
  return msgs.length === 1 && msgs[0] === 'ok' ? [] : msgs;
}

function sameBytes(a: string, b: string): boolean {
  const hash = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');
  return fs.statSync(a).size === fs.statSync(b).size && hash(a) === hash(b);
}

/** A copy kept at an earlier start of this very damaged file (and its WAL), if there is one. */
function earlierCopy(file: string): string | null {
  const dir = path.dirname(file);
  const prefix = `${path.basename(file)}.damaged-`;
  for (const name of fs.readdirSync(dir).sort().reverse()) {
    if (!name.startsWith(prefix) || name.endsWith('-wal') || name.endsWith('-shm')) continue;
    const copy = path.join(dir, name);
    const walSame =
      fs.existsSync(`${file}-wal`) === fs.existsSync(`${copy}-wal`) &&
      (!fs.existsSync(`${file}-wal`) || sameBytes(`${file}-wal`, `${copy}-wal`));
    if (walSame && sameBytes(file, copy)) return copy;
  }
  return null;
}

/**
 * Copies the damaged file (and its WAL) aside, leaving the original exactly as it was; once:
 * a console started again on the same damaged file points to the copy it already has.
 */
function corrupt(file: string, detail: string, now: Date): ConsoleError {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const backup = `${file}.damaged-${stamp}`;
  let kept = '';
  try {
    const earlier = earlierCopy(file);
    if (earlier) {
      return new ConsoleError(
        'STORE_CORRUPT',
        `The database ${file} is damaged (${detail}). The console did not change it. A copy was kept at ${earlier} when it was first found damaged.`,
        moveAsideHint(file),
      );
    }
    fs.copyFileSync(file, backup, fs.constants.COPYFILE_EXCL);
    for (const suffix of ['-wal', '-shm']) {
      if (fs.existsSync(file + suffix)) fs.copyFileSync(file + suffix, backup + suffix, fs.constants.COPYFILE_EXCL);
    }
    kept = ` A copy was kept at ${backup}.`;
  } catch (e) {
    kept = ` (Could not keep a copy: ${(e as Error).message}.)`;
  }
  return new ConsoleError(
    'STORE_CORRUPT',
    `The database ${file} is damaged (${detail}). The console did not change it.${kept}`,
    moveAsideHint(file),
  );
}

function migrate(db: Db, file: string, list: readonly Migration[]): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = list.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new ConsoleError(
      'STORE_NEWER_VERSION',
      `The database ${file} was written by a newer Cantareira Console (schema ${current}; this one knows ${latest}).`,
      'Update the console, or start with --data-dir <another folder>.',
    );
  }
  for (const m of list) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}

export { latestSchemaVersion };
