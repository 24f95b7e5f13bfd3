import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectSandboxes, createSandbox, processLogDir, sandboxPaths } from '../../../core/embedded/sandbox.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cantareira-sandbox-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const input = (taskId: string, runId = 'run-1', agentWorkDir = dir) => ({
  agentWorkDir,
  agentId: 'embedded-mesos-fixed-1',
  frameworkId: 'cantareira-embedded',
  taskId,
  runId,
});

describe('the sandbox layout', () => {
  it('is the Mesos + Thermos one', () => {
    const p = sandboxPaths(input('www-data-prod-hello-0-abc'));
    const executorDir = `${dir}/slaves/embedded-mesos-fixed-1/frameworks/cantareira-embedded/executors/thermos-www-data-prod-hello-0-abc`;
    expect(p).toEqual({
      executorDir,
      runDir: `${executorDir}/runs/run-1`,
      sandboxDir: `${executorDir}/runs/run-1/sandbox`,
      latestLink: `${executorDir}/runs/latest`,
    });
    expect(processLogDir(p.sandboxDir, 'crunch', 2)).toBe(`${p.sandboxDir}/.logs/crunch/2`);
  });

  it('refuses ids that would leave the agent work dir', () => {
    expect(() => sandboxPaths(input('../../etc'))).toThrow(/Invalid task id/);
    expect(() => sandboxPaths({ ...input('t'), agentId: '..' })).toThrow(/Invalid agent id/);
    expect(() => processLogDir('/s', 'a/b', 0)).toThrow(/Invalid process name/);
  });

  it('points runs/latest at the newest run', () => {
    const first = sandboxPaths(input('t', 'run-1'));
    createSandbox(first);
    expect(fs.readFileSync(path.join(first.runDir, 'stdout'), 'utf8')).toBe('');
    expect(fs.statSync(first.sandboxDir).isDirectory()).toBe(true);
    const second = sandboxPaths(input('t', 'run-2'));
    createSandbox(second);
    expect(fs.readlinkSync(second.latestLink)).toBe('run-2');
    expect(fs.realpathSync(second.latestLink)).toBe(fs.realpathSync(second.runDir));
  });
});

describe('collectSandboxes', () => {
  const day = 24 * 3600 * 1000;
  const now = Date.parse('2025-06-01T00:00:00Z');

  /** A finished task's sandbox with `bytes` of logs, last written `ageMs` before now. */
  function sandbox(taskId: string, bytes: number, ageMs: number, root = dir): string {
    const p = sandboxPaths(input(taskId, 'run-1', root));
    createSandbox(p);
    const log = path.join(processLogDir(p.sandboxDir, 'main', 0), 'stdout');
    fs.mkdirSync(path.dirname(log), { recursive: true });
    fs.writeFileSync(log, Buffer.alloc(bytes));
    const when = new Date(now - ageMs);
    const touch = (f: string) => {
      fs.lutimesSync(f, when, when);
      if (fs.lstatSync(f).isDirectory()) for (const n of fs.readdirSync(f)) touch(path.join(f, n));
    };
    touch(p.executorDir);
    return p.executorDir;
  }

  it('removes sandboxes older than maxAge, never an active one', async () => {
    const old = sandbox('old', 100, 8 * day);
    const activeOld = sandbox('active-old', 100, 9 * day);
    const recent = sandbox('recent', 100, 1 * day);
    const r = await collectSandboxes({ roots: [dir], maxAgeMs: 7 * day, maxTotalBytes: 1e9, isActive: (t) => t === 'active-old', now });
    expect(r).toEqual({ removed: [old], freedBytes: 100 });
    expect(fs.existsSync(activeOld)).toBe(true);
    expect(fs.existsSync(recent)).toBe(true);
  });

  it('then removes the oldest until the rest fit, across agents', async () => {
    const other = path.join(dir, 'agent-2');
    const a = sandbox('a', 1000, 3 * day);
    const b = sandbox('b', 1000, 2 * day, other);
    const c = sandbox('c', 1000, 1 * day);
    const active = sandbox('d', 1000, 4 * day);
    const r = await collectSandboxes({ roots: [dir, other], maxAgeMs: 7 * day, maxTotalBytes: 2000, isActive: (t) => t === 'd', now });
    expect(r).toEqual({ removed: [a, b], freedBytes: 2000 });
    expect(fs.existsSync(c) && fs.existsSync(active)).toBe(true);
  });

  it('is content with roots that do not exist yet', async () => {
    const r = await collectSandboxes({ roots: [path.join(dir, 'nope')], maxAgeMs: 0, maxTotalBytes: 0, isActive: () => false });
    expect(r).toEqual({ removed: [], freedBytes: 0 });
  });
});
