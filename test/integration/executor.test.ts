import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { groupMembers, isAlive, readStat } from '../../core/embedded/procfs.js';
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

const logs = (sandboxDir: string, name: string, run = 0) => path.join(sandboxDir, '.logs', name, String(run));

/** Waits until `file` contains `text` (a process says it is ready). */
async function waitFor(file: string, text: string): Promise<void> {
  await vi.waitFor(() => expect(read(file), `${file} never said ${text}`).toContain(text), { timeout: 15_000, interval: 10 });
}

describe('a task of one process', () => {
  it('that exits 0 is FINISHED, with its output in sandbox/.logs/<process>/0 and runs/latest on its run', async () => {
    const { runDir, sandboxDir } = h.launch('t-ok', [
      proc('hello', 'echo hello world; echo "cwd=$(pwd)"; echo "sandbox=$MESOS_SANDBOX"; echo warning >&2'),
    ]);
    expect(h.updates).toEqual([]); // updates never arrive inside a call to the executor
    const ups = await h.settled('t-ok');
    expect(ups.map((u) => u.state)).toEqual(['STARTING', 'RUNNING', 'FINISHED']);
    expect(ups[2]).toMatchObject({ profileId: 'test', reason: null, exitCode: 0, message: 'Task finished' });

    const executorDir = path.join(h.workDir, 'slaves/agent-1/frameworks/cantareira-embedded/executors/thermos-t-ok');
    expect(path.dirname(path.dirname(runDir))).toBe(executorDir);
    expect(sandboxDir).toBe(path.join(runDir, 'sandbox'));
    expect(fs.readlinkSync(path.join(executorDir, 'runs', 'latest'))).toBe(path.basename(runDir));
    const out = read(path.join(logs(sandboxDir, 'hello'), 'stdout'));
    expect(out).toContain('hello world\n');
    expect(out).toContain(`cwd=${sandboxDir}\n`);
    expect(out).toContain(`sandbox=${sandboxDir}\n`);
    expect(read(path.join(logs(sandboxDir, 'hello'), 'stderr'))).toBe('warning\n');
    const lifecycle = read(path.join(runDir, 'stdout'));
    expect(lifecycle).toMatch(/Process 'hello' \(run 0\) started, pid \d+/);
    expect(lifecycle).toMatch(/Process 'hello' \(run 0, pid \d+\) exited with code 0/);
  });

  it('that exits at once still reports STARTING, RUNNING and one terminal update', async () => {
    h.launch('t-quick', [proc('quick', 'true')]);
    await h.settled('t-quick');
    // Updates come out in order: once a later task's have all arrived, a late one of t-quick would have too.
    h.launch('t-after', [proc('after', 'true')]);
    await h.settled('t-after');
    expect(h.updates.filter((u) => u.taskId === 't-quick').map((u) => u.state)).toEqual(['STARTING', 'RUNNING', 'FINISHED']);
  });

  it('that exits 3 is FAILED with the code in the message', async () => {
    const { runDir, sandboxDir } = h.launch('t-3', [proc('crunch', 'echo bad input >&2; exit 3')]);
    const last = (await h.settled('t-3')).at(-1)!;
    expect(last).toMatchObject({
      state: 'FAILED',
      reason: 'REASON_COMMAND_EXECUTOR_FAILED',
      message: "Process 'crunch' exited with code 3",
      exitCode: 3,
    });
    expect(read(path.join(logs(sandboxDir, 'crunch'), 'stderr'))).toBe('bad input\n');
    expect(read(path.join(runDir, 'stderr'))).toContain("Process 'crunch' (run 0, pid");
  });

  it('that dies of SIGSEGV is FAILED with the signal in the message', async () => {
    h.launch('t-segv', [proc('crash', 'ulimit -c 0; kill -SEGV $$')]);
    const last = (await h.settled('t-segv')).at(-1)!;
    expect(last).toMatchObject({ state: 'FAILED', message: "Process 'crash' killed by signal SIGSEGV", exitCode: null });
  });

  it('that cannot be started is FAILED with REASON_CONTAINER_LAUNCH_FAILED', async () => {
    h.launch('t-launch', [proc('bad', 'true')], { env: { BAD: 'a\u0000b' } });
    const ups = await h.settled('t-launch');
    expect(ups.map((u) => u.state)).toEqual(['STARTING', 'FAILED']);
    expect(ups[1]).toMatchObject({ reason: 'REASON_CONTAINER_LAUNCH_FAILED' });
    expect(ups[1]!.message).toMatch(/^Process 'bad' could not be started: /);
  });

  it('whose sandbox cannot be created is FAILED with REASON_CONTAINER_LAUNCH_FAILED', async () => {
    fs.writeFileSync(path.join(h.dir, 'not-a-dir'), '');
    h.launch('t-nodisk', [proc('p', 'true')], { agentWorkDir: path.join(h.dir, 'not-a-dir') });
    const ups = await h.settled('t-nodisk');
    expect(ups.map((u) => u.state)).toEqual(['STARTING', 'FAILED']);
    expect(ups[1]).toMatchObject({
      reason: 'REASON_CONTAINER_LAUNCH_FAILED',
      message: expect.stringMatching(/^Could not create the sandbox /),
    });
  });

  it('that exits 0 but leaves a child behind is FINISHED and the child is killed with it', async () => {
    const { runDir } = h.launch('t-orphan', [proc('spawner', 'sleep 1000 & echo started')]);
    expect((await h.settled('t-orphan')).at(-1)!.state).toBe('FINISHED');
    expect(read(path.join(runDir, 'stderr'))).toContain("Process 'spawner' left processes behind");
  });
});

describe('kill', () => {
  it('ends a process that ignores SIGTERM with SIGKILL after the grace period', async () => {
    const { runDir, sandboxDir } = h.launch('t-stubborn', [proc('stubborn', "trap '' TERM; echo ready; sleep 100")]);
    await waitFor(path.join(logs(sandboxDir, 'stubborn'), 'stdout'), 'ready');
    expect(await h.executor.kill('t-stubborn', { message: 'Killed by alice' })).toBe(true);
    expect(h.updates.at(-1)).toMatchObject({ taskId: 't-stubborn', state: 'KILLED', reason: null, message: 'Killed by alice' });
    // SIGTERM first; the grace period's timer found it still running, and only then came SIGKILL.
    expect(read(path.join(runDir, 'stdout'))).toMatch(/Sent SIGTERM to 1 process group\(s\); SIGKILL follows in 300 ms/);
    const log = read(path.join(runDir, 'stderr'));
    expect(log).toMatch(/still running after 300 ms; sending SIGKILL/);
    expect(log).toMatch(/Process 'stubborn' \(run 0, pid \d+\) killed by signal SIGKILL/);
  });

  it('takes the whole process group, children included', async () => {
    const { sandboxDir } = h.launch('t-forks', [proc('forks', 'sleep 1000 & sleep 1000 & echo ready; wait')]);
    await waitFor(path.join(logs(sandboxDir, 'forks'), 'stdout'), 'ready');
    const members = [...groupMembers(h.groups).values()].flat();
    expect(members.length).toBeGreaterThanOrEqual(3);
    await h.executor.kill('t-forks', { reason: 'REASON_AGENT_DRAINING', message: 'Agent draining' });
    expect(h.updates.at(-1)).toMatchObject({ state: 'KILLED', reason: 'REASON_AGENT_DRAINING' });
    expect(groupMembers(h.groups).size).toBe(0);
    for (const { pid } of members) expect(readStat(pid) === null || !isAlive(readStat(pid)!)).toBe(true);
  });

  it('of a task that is not running returns false', async () => {
    expect(await h.executor.kill('nobody')).toBe(false);
  });
});

describe('the executor', () => {
  it('refuses a task id it already runs, and names that are not path segments', async () => {
    h.launch('t-dup', [proc('sleeper', 'sleep 1000')]);
    expect(h.executor.running()).toEqual(['t-dup']);
    expect(() => h.launch('t-dup', [proc('sleeper', 'true')])).toThrow(/already running/);
    expect(() => h.launch('t-bad', [proc('../evil', 'true')])).toThrow(/Invalid process name/);
    expect(() => h.launch('../t', [proc('ok', 'true')])).toThrow(/Invalid task id/);
    await h.executor.kill('t-dup');
  });

  it('keeps its memory flat while a process floods stdout (the file gets every byte)', async () => {
    const before = process.memoryUsage().rss;
    const { sandboxDir } = h.launch('t-flood', [proc('flood', 'yes | head -c 50000000')]);
    expect((await h.settled('t-flood')).at(-1)!.state).toBe('FINISHED');
    expect(fs.statSync(path.join(logs(sandboxDir, 'flood'), 'stdout')).size).toBe(50_000_000);
    expect(process.memoryUsage().rss - before).toBeLessThan(25 * 1024 * 1024);
  });

  it('fails a task that goes over its memory with REASON_CONTAINER_LIMITATION_MEMORY', async () => {
    // ulimit -v bounds the test itself should the limit not be enforced.
    h.launch('t-oom', [proc('hog', 'ulimit -v 2000000; tail /dev/zero')], { ramMb: 32 });
    const last = (await h.settled('t-oom')).at(-1)!;
    expect(last).toMatchObject({ state: 'FAILED', reason: 'REASON_CONTAINER_LIMITATION_MEMORY', exitCode: null });
    const used = Number(/^Memory limit exceeded: Requested: 32MB Maximum Used: (\d+)MB$/.exec(last.message)?.[1]);
    expect(used).toBeGreaterThan(32);
  });

  it('leaves a task under its memory limit alone', async () => {
    h.launch('t-small', [proc('small', 'sleep 0.3')], { ramMb: 64 });
    expect((await h.settled('t-small')).at(-1)!.state).toBe('FINISHED');
  });

  it('stops every task at shutdown and reports it LOST', async () => {
    h.launch('t-a', [proc('a', 'sleep 1000')]);
    h.launch('t-b', [proc('b', "trap '' TERM; sleep 1000")]);
    await h.running('t-a');
    await h.running('t-b');
    await h.executor.shutdown();
    expect(h.executor.running()).toEqual([]);
    for (const id of ['t-a', 't-b']) {
      expect(h.updates.filter((u) => u.taskId === id).at(-1)).toMatchObject({
        state: 'LOST',
        reason: 'REASON_EXECUTOR_TERMINATED',
      });
    }
    expect(() => h.launch('t-c', [proc('c', 'true')])).toThrow(/shut down/);
  });
});
