import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConsoleError } from '../../../core/errors.js';

// The driver as a wrong build would behave: its constructor throws what Node says when it
// dlopen()s a module built for another runtime.
const driver = vi.hoisted(() => ({ loadError: null as Error | null, constructed: 0 }));
vi.mock('better-sqlite3', async (importOriginal) => {
  const Real = ((await importOriginal()) as { default: new (...a: unknown[]) => unknown }).default;
  function Database(this: unknown, ...args: unknown[]) {
    driver.constructed++;
    if (driver.loadError) throw driver.loadError;
    return new Real(...args);
  }
  return { default: Database };
});

const { openDatabase } = await import('../../../core/store/database.js');
const { driverLoadProblem, driverRuntimeProblem, requiredNodeApi } = await import('../../../core/store/driver.js');

const wrongAbi = (built: number, needed: number) =>
  new Error(
    `The module '/app/node_modules/better-sqlite3/build/Release/better_sqlite3.node'\n` +
      `was compiled against a different Node.js version using\nNODE_MODULE_VERSION ${built}. This version of Node.js requires\n` +
      `NODE_MODULE_VERSION ${needed}. Please try re-compiling or re-installing\nthe module (for instance, using \`npm rebuild\` or \`npm install\`).`,
  );

let dir: string;
const napi = Object.getOwnPropertyDescriptor(process.versions, 'napi')!;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cantareira-driver-'));
  driver.loadError = null;
  driver.constructed = 0;
});
afterEach(() => {
  Object.defineProperty(process.versions, 'napi', napi);
  fs.rmSync(dir, { recursive: true, force: true });
});

function refusal(fn: () => unknown): ConsoleError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConsoleError);
    return e as ConsoleError;
  }
  throw new Error('expected the database to be refused, but it opened');
}

describe('the SQLite driver and the runtime it runs in', () => {
  it('the tests run on a Node whose Node-API loads better-sqlite3 13 (npm test puts node@22 first on PATH)', () => {
    expect(Number(process.versions.napi)).toBeGreaterThanOrEqual(requiredNodeApi);
    expect(driverRuntimeProblem()).toBeNull();
  });

  it('a driver built for another ABI (Node 20 build in Electron 45) is STORE_DRIVER_MISMATCH naming both versions, not a permissions problem', () => {
    driver.loadError = wrongAbi(115, 150);
    const err = refusal(() => openDatabase(path.join(dir, 'console.db')));
    expect(err.code).toBe('STORE_DRIVER_MISMATCH');
    expect(err.message).toContain('NODE_MODULE_VERSION 115');
    expect(err.message).toMatch(/needs 150/);
    expect(err.hint).toMatch(/not a problem with the database file or its permissions/);
    expect(err.hint).toMatch(/npm ci/);
    expect(err.hint).not.toMatch(/readable and writable/);
  });

  it('the same mismatch on an existing database (its read-only check) is named the same way, and the file is left alone', () => {
    const file = path.join(dir, 'console.db');
    openDatabase(file).close();
    const before = fs.readFileSync(file);
    driver.loadError = wrongAbi(115, 150);
    const err = refusal(() => openDatabase(file));
    expect(err.code).toBe('STORE_DRIVER_MISMATCH');
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.readdirSync(dir).filter((f) => f.includes('damaged'))).toEqual([]);
  });

  it('a runtime with too old a Node-API (Node 20 has 9) is refused before the driver is touched, since the driver would crash the process', () => {
    Object.defineProperty(process.versions, 'napi', { ...napi, value: '9' });
    const err = refusal(() => openDatabase(path.join(dir, 'console.db')));
    expect(err.code).toBe('STORE_DRIVER_MISMATCH');
    expect(err.message).toMatch(/needs Node-API 10; this runtime, Node .*, offers Node-API 9/);
    expect(driver.constructed).toBe(0);
  });

  it('inside Electron the message names Electron and its Node', () => {
    const err = driverLoadProblem(wrongAbi(115, 150), { electron: '45.6.0', node: '24.15.0', napi: '10' });
    expect(err?.message).toContain('Electron 45.6.0 (Node 24.15.0) needs 150');
  });

  it('other load failures of the native binary are named too; ordinary open errors are not', () => {
    expect(driverLoadProblem(new Error('Module did not self-register: /x/better_sqlite3.node.'))?.code).toBe('STORE_DRIVER_MISMATCH');
    expect(driverLoadProblem(new Error('unable to open database file'))).toBeNull();
  });
});
