/** After a console crash, recover() stops what the previous run left and reports its tasks LOST. */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAlive, readStat } from '../../core/embedded/procfs.js';
import { createHarness, killAll, markerKey, proc, type Harness } from '../unit/embedded/fixtures/processes.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const fixture = fileURLToPath(new URL('../unit/embedded/fixtures/crashing-console.ts', import.meta.url));

let h: Harness;
beforeEach(() => {
  h = createHarness();
});
afterEach(async () => {
  try {
    expect(h.executor.running()).toEqual([]);
    expect(h.leftovers()).toEqual([]);
    expect(h.repo.list()).toEqual([]);
  } finally {
    await h.close();
  }
});

/** Runs a console that launches a task, and kills it with SIGKILL once the task's groups are recorded. */
function crashAConsole(): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, path.join(h.dir, 'console.db'), h.workDir, h.marker], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('\n')) child.kill('SIGKILL');
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`the console exited on its own:\n${err}`));
      resolve((JSON.parse(out) as { pids: number[] }).pids);
    });
  });
}

const alive = (pid: number) => {
  const p = readStat(pid);
  return p !== null && isAlive(p);
};

/** A pid that is certainly not running any more. */
const deadPid = () => spawnSync('true').pid!;

describe('recover', () => {
  it('stops the processes a crashed console left running, and reports the task LOST', async () => {
    const pids = await crashAConsole();
    expect(pids.every(alive)).toBe(true);
    expect(h.leftovers().length).toBeGreaterThanOrEqual(4); // two leaders, two background sleeps

    const recovered = await h.executor.recover();
    expect(recovered).toEqual([
      { profileId: 'test', taskId: 't-crash', runDir: expect.stringContaining('thermos-t-crash'), pids, stopped: pids },
    ]);
    await Promise.resolve();
    expect(h.updates).toEqual([
      {
        profileId: 'test',
        taskId: 't-crash',
        state: 'LOST',
        reason: 'REASON_EXECUTOR_TERMINATED',
        message: `The console restarted; the task's processes (pids ${pids.join(', ')}) were stopped`,
        exitCode: null,
        at: expect.any(Number),
      },
    ]);
  });

  it('reports a task whose processes are gone as LOST, and forgets them', async () => {
    const pid = deadPid();
    h.repo.add({ profileId: 'test', taskId: 't-gone', pid, startTicks: 1, runDir: '/nowhere', launchedAt: 1 });
    await h.executor.recover();
    await Promise.resolve();
    expect(h.updates.map((u) => [u.taskId, u.state, u.message])).toEqual([
      ['t-gone', 'LOST', `The console restarted; the task's processes (pid ${pid}) had already exited`],
    ]);
  });

  it('never signals a process that reuses a recorded pid (its start time differs)', async () => {
    const stranger = spawn('bash', ['-c', 'sleep 1000 & sleep 1000'], {
      detached: true,
      stdio: 'ignore',
      env: { ...process.env, [markerKey]: h.marker },
    });
    try {
      const pid = stranger.pid!;
      const ticks = readStat(pid)!.startTicks;
      h.repo.add({ profileId: 'test', taskId: 't-reused', pid, startTicks: ticks - 1, runDir: '/nowhere', launchedAt: 1 });
      const [task] = await h.executor.recover();
      expect(task).toMatchObject({ taskId: 't-reused', stopped: [] });
      expect(alive(pid)).toBe(true);
    } finally {
      process.kill(-stranger.pid!, 'SIGKILL');
      await new Promise((resolve) => stranger.once('exit', resolve));
      killAll(h.leftovers());
    }
  });

  it('limits itself to one profile when asked', async () => {
    h.repo.add({ profileId: 'other', taskId: 't-o', pid: deadPid(), startTicks: 1, runDir: '/x', launchedAt: 1 });
    h.repo.add({ profileId: 'test', taskId: 't-t', pid: deadPid(), startTicks: 1, runDir: '/y', launchedAt: 1 });
    expect((await h.executor.recover('test')).map((t) => t.taskId)).toEqual(['t-t']);
    expect(h.repo.list().map((r) => r.taskId)).toEqual(['t-o']);
    expect((await h.executor.recover()).map((t) => [t.profileId, t.taskId])).toEqual([['other', 't-o']]);
    await Promise.resolve();
    expect(h.updates.map((u) => u.profileId)).toEqual(['test', 'other']);
  });

  it('leaves the tasks it runs itself alone', async () => {
    h.launch('t-mine', [proc('p', 'sleep 1000')]);
    await h.running('t-mine');
    expect(await h.executor.recover()).toEqual([]);
    expect(h.executor.running()).toEqual(['t-mine']);
    await h.executor.kill('t-mine');
  });
});
