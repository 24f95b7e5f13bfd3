/**
 * The built headless host as a process, stopped the ways the world stops it: a terminal's
 * Ctrl+C, a closed terminal, `kill`, systemd or a supervisor signalling the whole `npm start`
 * process group (so the host gets the signal twice: once itself, once forwarded by
 * scripts/start.mjs). Each time the embedded cluster's tasks stop with it, and a second host
 * started on the same data folder meanwhile is refused without touching the first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { killLeftovers, processesOf } from '../integration/fixtures/embedded-helpers.js';
import { ensureRendererBuilt, repoRoot } from './browser.js';

const hostScript = path.join(repoRoot, 'out/electron/headless.mjs');
const dirs: string[] = [];

beforeAll(ensureRendererBuilt);
afterEach(() => {
  for (const d of dirs.splice(0)) {
    killLeftovers(d);
    fs.rmSync(d, { recursive: true, force: true });
  }
});

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** The built host in a process group of its own, as `npm start` runs it under a terminal. */
function startBuiltHost(dataDir: string): Started {
  const child = spawn(process.execPath, [hostScript, '--data-dir', dataDir], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function running(dataDir: string): Promise<Started> {
  const host = startBuiltHost(dataDir);
  await expect.poll(host.output, { timeout: 30_000 }).toMatch(/Open: http/);
  // The demo jobs' tasks are up: real processes in the data folder's sandboxes.
  await expect.poll(() => processesOf(dataDir).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
  return host;
}

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'cantareira-process-'));
  dirs.push(d);
  return path.join(d, 'data');
}

describe('stopping the host stops its tasks', () => {
  it.each(['SIGTERM', 'SIGINT', 'SIGHUP'] as const)(
    '%s to the process group, twice as npm start relays it: no task outlives the host',
    async (signal) => {
      const dataDir = tempDir();
      const host = await running(dataDir);
      process.kill(-host.child.pid!, signal);
      host.child.kill(signal);
      expect(await host.exited).toBe(0);
      // (processesOf counts live processes: a stopped task's zombie, left to a PID 1 that does not reap, is not one.)
      expect(processesOf(dataDir)).toEqual([]);
      // It cleaned up after itself: its address file is gone and the folder is free.
      expect(fs.existsSync(path.join(dataDir, 'headless.json'))).toBe(false);
      const again = await running(dataDir);
      process.kill(-again.child.pid!, 'SIGTERM');
      expect(await again.exited).toBe(0);
    },
  );

  it('a second host on the same data folder exits with the first one named, and the first keeps its tasks', async () => {
    const dataDir = tempDir();
    const first = await running(dataDir);
    // The demo service's two instances run until stopped (the batch and model tasks end by themselves).
    const services = () =>
      processesOf(dataDir)
        .filter((p) => p.cmdline.includes('[ticker]'))
        .map((p) => p.pid);
    await expect.poll(() => services().length, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    const tasks = services();
    const second = startBuiltHost(dataDir);
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(new RegExp(`is using the data folder[\\s\\S]*kill ${first.child.pid}`));
    expect(second.output()).toContain(`pid ${first.child.pid}`);
    expect(services()).toEqual(expect.arrayContaining(tasks));
    const info = JSON.parse(fs.readFileSync(path.join(dataDir, 'headless.json'), 'utf8')) as { pid: number };
    expect(info.pid).toBe(first.child.pid);
    expect(fs.statSync(path.join(dataDir, 'headless.json')).mode & 0o777).toBe(0o600);
    process.kill(-first.child.pid!, 'SIGTERM');
    expect(await first.exited).toBe(0);
    expect(processesOf(dataDir)).toEqual([]);
  });

  it('an existing headless.json readable by others is replaced by one only its owner can read', async () => {
    const dataDir = tempDir();
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'headless.json'), '{"old": true}\n', { mode: 0o644 });
    fs.chmodSync(path.join(dataDir, 'headless.json'), 0o644);
    const host = await running(dataDir);
    expect(fs.statSync(path.join(dataDir, 'headless.json')).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(path.join(dataDir, 'headless.json'), 'utf8')).toContain('token=');
    process.kill(-host.child.pid!, 'SIGTERM');
    expect(await host.exited).toBe(0);
  });
});
