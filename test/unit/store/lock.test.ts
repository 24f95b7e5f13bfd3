import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockDataDir } from '../../../core/store/lock.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cantareira-lock-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Another process that takes the lock through the same module, says so, and holds it until killed. */
function holderProcess(dataDir: string) {
  const script = `import { lockDataDir } from ${JSON.stringify(path.resolve(import.meta.dirname, '../../../core/store/lock.ts'))};
lockDataDir(${JSON.stringify(dataDir)}, 'headless'); console.log('locked'); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const locked = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => d.toString().includes('locked') && resolve());
    child.on('exit', (code) => reject(new Error(`the holder exited with ${code}`)));
  });
  return { child, locked };
}

describe('one console per data folder', () => {
  it('a second lock in the same process is refused with DATA_DIR_LOCKED naming the holder; after release it is taken', () => {
    const first = lockDataDir(dir, 'headless', () => Date.parse('2026-12-03T03:00:00Z'));
    expect(() => lockDataDir(dir, 'desktop app')).toThrow(
      expect.objectContaining({
        code: 'DATA_DIR_LOCKED',
        message: expect.stringContaining(`headless, pid ${process.pid}, started 2026-12-03T03:00:00.000Z`),
        hint: expect.stringContaining(`kill ${process.pid}`),
      }),
    );
    first.release();
    const second = lockDataDir(dir, 'desktop app');
    expect(second.owner.host).toBe('desktop app');
    second.release();
  });

  it('a lock held by another process is refused; when that process is killed with SIGKILL, the lock is free at once', async () => {
    const holder = holderProcess(dir);
    await holder.locked;
    try {
      expect(() => lockDataDir(dir, 'headless')).toThrow(
        expect.objectContaining({ code: 'DATA_DIR_LOCKED', message: expect.stringContaining(`pid ${holder.child.pid}`) }),
      );
    } finally {
      const exited = new Promise((r) => holder.child.once('exit', r));
      holder.child.kill('SIGKILL');
      await exited;
    }
    // No stale pid file to clean up: the kernel dropped the lock with its holder.
    lockDataDir(dir, 'headless').release();
  });

  it('creates the data folder 0700 and its lock files 0600', () => {
    const sub = path.join(dir, 'new', 'data');
    const lock = lockDataDir(sub, 'headless');
    expect(fs.statSync(sub).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(sub, 'cantareira.lock')).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(sub, 'cantareira.lock.json')).mode & 0o777).toBe(0o600);
    lock.release();
  });
});
