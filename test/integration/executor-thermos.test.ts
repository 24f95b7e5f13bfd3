/** Thermos semantics of the embedded runner (shared/reference/aurora.md §1.2), with real processes. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, proc, read, type Harness } from '../unit/embedded/fixtures/processes.js';

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

/** USER_HZ: the unit of a process's start time in /proc/<pid>/stat. */
const clockTicksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

const runsOf = (sandboxDir: string, name: string) =>
  fs
    .readdirSync(path.join(sandboxDir, '.logs', name))
    .map(Number)
    .sort((a, b) => a - b);
/** Each process appends its name to `trail` in the sandbox (cwd). */
const mark = (name: string, then = '') => `echo ${name} >> trail${then ? `; ${then}` : ''}`;

describe('ordering', () => {
  it('starts a process only after all its predecessors succeeded', async () => {
    const { sandboxDir } = h.launch('t-order', [proc('c', mark('c')), proc('b', mark('b')), proc('a', mark('a', 'sleep 0.2'))], {
      orderings: [
        ['a', 'b'],
        ['b', 'c'],
        ['a', 'c'],
      ],
    });
    expect((await h.settled('t-order')).at(-1)!.state).toBe('FINISHED');
    expect(read(path.join(sandboxDir, 'trail'))).toBe('a\nb\nc\n');
  });

  it('fails the task when a process can never start because its predecessor failed', async () => {
    h.launch('t-deadlock', [proc('a', 'exit 1'), proc('b', 'true')], { orderings: [['a', 'b']], maxFailures: 0 });
    const last = (await h.settled('t-deadlock')).at(-1)!;
    expect(last).toMatchObject({ state: 'FAILED', message: "Process 'b' cannot start: process 'a' failed", exitCode: 1 });
  });
});

describe('max_failures', () => {
  it('retries a failing process until it has failed max_failures times, each run in its own log dir', async () => {
    const { sandboxDir } = h.launch('t-retry', [proc('flaky', 'echo attempt; exit 1', { maxFailures: 3 })]);
    const last = (await h.settled('t-retry')).at(-1)!;
    expect(last).toMatchObject({ state: 'FAILED', message: "Process 'flaky' exited with code 1", exitCode: 1 });
    expect(runsOf(sandboxDir, 'flaky')).toEqual([0, 1, 2]);
    for (const run of [0, 1, 2]) expect(read(path.join(sandboxDir, '.logs/flaky', String(run), 'stdout'))).toBe('attempt\n');
  });

  it('lets a process that succeeds on a retry finish the task', async () => {
    const cmd = 'n=$(cat count 2>/dev/null || echo 0); echo $((n + 1)) > count; [ "$n" -ge 2 ]';
    const { sandboxDir } = h.launch('t-third', [proc('third', cmd, { maxFailures: 5 })]);
    expect((await h.settled('t-third')).at(-1)!.state).toBe('FINISHED');
    expect(runsOf(sandboxDir, 'third')).toEqual([0, 1, 2]);
  });

  it('waits min_duration between the starts of two runs', async () => {
    const { sandboxDir } = h.launch('t-slow', [proc('p', 'exit 1', { maxFailures: 2, minDuration: 0.3 })]);
    await h.settled('t-slow');
    expect(runsOf(sandboxDir, 'p')).toEqual([0, 1]);
    // The kernel's start times of the two runs (run 0 forked before the runner notes its start,
    // run 1 after the wait), not times the shells print: a slow machine only makes the gap
    // longer. Less one tick, as start times are counted in whole ticks and timers in whole ms.
    const [first, second] = [...h.groups.values()];
    expect(second! - first!).toBeGreaterThanOrEqual(0.3 * clockTicksPerSecond - 1);
  });

  it('restarts forever with max_failures 0', async () => {
    const cmd = 'n=$(cat count 2>/dev/null || echo 0); echo $((n + 1)) > count; [ "$n" -ge 4 ]';
    const { sandboxDir } = h.launch('t-forever', [proc('p', cmd, { maxFailures: 0 })]);
    expect((await h.settled('t-forever')).at(-1)!.state).toBe('FINISHED');
    expect(runsOf(sandboxDir, 'p')).toEqual([0, 1, 2, 3, 4]);
  });

  it('counts failed processes toward Task.max_failures', async () => {
    const procs = () => [proc('ok', 'true'), proc('bad1', 'exit 4'), proc('bad2', 'sleep 0.1; exit 5')];
    h.launch('t-tolerant', [proc('ok', 'true'), proc('bad1', 'exit 4')], { maxFailures: 2 });
    expect((await h.settled('t-tolerant')).at(-1)).toMatchObject({
      state: 'FINISHED',
      message: 'Task finished (1 process(es) failed, within max_failures 2)',
    });
    h.launch('t-two', procs(), { maxFailures: 2 });
    expect((await h.settled('t-two')).at(-1)).toMatchObject({ state: 'FAILED', message: "Process 'bad2' exited with code 5" });
  });

  it('kills the other processes when the task fails', async () => {
    const { runDir } = h.launch('t-fail-fast', [proc('bad', 'sleep 0.1; exit 2'), proc('long', 'sleep 1000')]);
    expect((await h.settled('t-fail-fast')).at(-1)).toMatchObject({ state: 'FAILED', exitCode: 2 });
    // Ended by the runner, not by running its course.
    expect(read(path.join(runDir, 'stderr'))).toMatch(/Process 'long' \(run 0, pid \d+\) killed by signal SIGTERM/);
  });
});

describe('daemon, ephemeral and final processes', () => {
  it('restarts a daemon after it succeeds', async () => {
    const cmd = 'n=$(cat count 2>/dev/null || echo 0); echo $((n + 1)) > count; [ "$n" -lt 2 ]';
    const { sandboxDir } = h.launch('t-daemon', [proc('d', cmd, { daemon: true })]);
    const last = (await h.settled('t-daemon')).at(-1)!;
    // Runs 0 and 1 succeed and are restarted; run 2 fails, its only allowed failure.
    expect(last).toMatchObject({ state: 'FAILED', message: "Process 'd' exited with code 1" });
    expect(runsOf(sandboxDir, 'd')).toEqual([0, 1, 2]);
  });

  it('does not wait for an ephemeral process, and stops it when the others are done', async () => {
    const { runDir, sandboxDir } = h.launch('t-eph', [proc('main', 'sleep 0.1'), proc('side', 'sleep 1000', { ephemeral: true })]);
    expect((await h.settled('t-eph')).at(-1)!.state).toBe('FINISHED');
    expect(read(path.join(runDir, 'stderr'))).toMatch(/Process 'side' \(run 0, pid \d+\) killed by signal SIGTERM/);
    expect(runsOf(sandboxDir, 'side')).toEqual([0]);
  });

  it('runs final processes after the regular ones, in their order', async () => {
    const { sandboxDir } = h.launch(
      't-final',
      [
        proc('save', mark('save'), { final: true }),
        proc('main', mark('main', 'sleep 0.1')),
        proc('upload', mark('upload'), { final: true }),
      ],
      { orderings: [['upload', 'save']] },
    );
    expect((await h.settled('t-final')).at(-1)!.state).toBe('FINISHED');
    expect(read(path.join(sandboxDir, 'trail'))).toBe('main\nupload\nsave\n');
  });

  it('runs final processes after a failure too, and keeps the failure', async () => {
    const { sandboxDir } = h.launch('t-final-fail', [proc('main', 'exit 7'), proc('save', mark('save'), { final: true })]);
    expect((await h.settled('t-final-fail')).at(-1)).toMatchObject({ state: 'FAILED', message: "Process 'main' exited with code 7" });
    expect(read(path.join(sandboxDir, 'trail'))).toBe('save\n');
  });

  it('kills final processes that outlast finalization_wait', async () => {
    const { runDir } = h.launch('t-final-slow', [proc('main', 'true'), proc('stuck', 'sleep 1000', { final: true })], {
      finalizationWait: 0.3,
    });
    expect((await h.settled('t-final-slow')).at(-1)!.state).toBe('FINISHED');
    const log = read(path.join(runDir, 'stderr'));
    expect(log).toContain('finalization_wait of 0.3s exceeded');
    expect(log).toMatch(/Process 'stuck' \(run 0, pid \d+\) killed by signal SIGKILL/);
  });
});
