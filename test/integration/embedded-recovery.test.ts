/**
 * The embedded cluster across console restarts: after a kill -9 the next start stops what the
 * crashed console left running, reports those tasks LOST and reschedules them; after a clean
 * close nothing is left running and the next start brings the service back.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAlive, readStat } from '../../core/embedded/procfs.js';
import type { Task } from '../../core/contract/index.js';
import {
  flapPenalty,
  job,
  jobFile,
  keyOf,
  killLeftovers,
  openConsole,
  processesOf,
  processesOfTask,
  repoRoot,
  tempDataDir,
  waitFor,
  type TestConsole,
} from './fixtures/embedded-helpers.js';

const fixture = fileURLToPath(new URL('./fixtures/embedded-console.ts', import.meta.url));

let dataDir: string;
const opened: TestConsole[] = [];

beforeEach(() => {
  dataDir = tempDataDir();
});

afterEach(async () => {
  try {
    for (const t of opened.splice(0)) await t.close();
    expect(processesOf(dataDir)).toEqual([]);
  } finally {
    killLeftovers(dataDir);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

function open(): TestConsole {
  const t = openConsole(dataDir);
  opened.push(t);
  return t;
}

const alive = (pid: number) => {
  const p = readStat(pid);
  return p !== null && isAlive(p);
};

// Both fork a child and wait for it, so each task has two processes: bash and its sleep.
const service = { name: 'crash-service', service: true, constraints: { 'slave-type': 'mesos-on-demand' }, cmdline: 'sleep 1000 & wait' };
const batch = { name: 'crash-batch', maxTaskFailures: 1, constraints: { 'slave-type': 'mesos-fixed' }, cmdline: 'sleep 1000 & wait' };

type Started = Record<string, { taskId: string; pids: number[] }>;

/** Runs a console in a child process until the jobs run, then kills it with SIGKILL. */
function crashAConsole(): Promise<Started> {
  const file = path.join(dataDir, 'jobs.json');
  fs.writeFileSync(file, jobFile(job(service), job(batch)));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, dataDir, file, '2'], {
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
      resolve(JSON.parse(out) as Started);
    });
  });
}

/** The current attempt of instance 0 once it is a successor of `ancestor` and has reached `state`. */
function successor(t: TestConsole, key: string, ancestor: string, state: Task['state']): Promise<Task> {
  return waitFor(
    `an attempt of ${key} after ${ancestor} to be ${state}`,
    async () => {
      const current = (await t.attempts(key)).at(-1);
      return current?.ancestorId === ancestor && current.state === state ? current : undefined;
    },
    15_000,
    () => t.attempts(key),
  );
}

describe('after the console is killed with SIGKILL', () => {
  it('the next start stops the processes it left, reports their tasks LOST because the console restarted, and runs them again', async () => {
    const started = await crashAConsole();
    const before = { service: started[keyOf(service)]!, batch: started[keyOf(batch)]! };
    const pids = [...before.service.pids, ...before.batch.pids];
    // The crash left the tasks' processes running, orphaned.
    expect(pids.filter(alive)).toEqual(pids);

    const t = open();
    await t.console.ready;
    expect(pids.filter(alive)).toEqual([]);
    expect(processesOfTask(before.service.taskId)).toEqual([]);
    expect(processesOfTask(before.batch.taskId)).toEqual([]);

    const penalties: number[] = [];
    for (const [spec, old] of [
      [service, before.service],
      [batch, before.batch],
    ] as const) {
      const [lost, next] = await t.attempts(keyOf(spec));
      expect(lost).toMatchObject({ taskId: old.taskId, state: 'LOST', reason: 'REASON_EXECUTOR_TERMINATED', failureCount: 0 });
      const named = /^The console restarted; the task's processes \(pids? ([\d, ]+)\) were stopped$/.exec(lost!.message ?? '');
      expect(named, `message: ${lost!.message}`).not.toBeNull();
      // It names the process group leaders it stopped: the task's bash.
      for (const pid of named![1]!.split(', ').map(Number)) expect(old.pids).toContain(pid);
      // A LOST task is rescheduled whatever the job (a batch job too: it did not fail); it ran
      // only briefly, so Aurora's flapping penalty holds the new attempt back first.
      expect(next).toMatchObject({ ancestorId: old.taskId, state: 'THROTTLED', failureCount: 0 });
      penalties.push(flapPenalty(next!.message)!);
    }
    t.advanceClock(Math.max(...penalties));

    for (const [spec, old] of [
      [service, before.service],
      [batch, before.batch],
    ] as const) {
      const fresh = await successor(t, keyOf(spec), old.taskId, 'RUNNING');
      await waitFor(`the processes of ${fresh.taskId}`, () => processesOfTask(fresh.taskId).length === 2);
    }
  }, 60_000);
});

describe('after a clean close', () => {
  it('nothing of the cluster is left running, and the next start runs the service again', async () => {
    const first = open();
    await first.console.ready;
    await first.create(jobFile(job(service)));
    const running = await waitFor('the service to run', async () => {
      const a = (await first.attempts(keyOf(service))).at(-1);
      return a?.state === 'RUNNING' && processesOfTask(a.taskId).length === 2 ? a : undefined;
    });

    await first.close();
    expect(processesOf(dataDir)).toEqual([]);

    const second = open();
    await second.console.ready;
    const [stopped] = await second.attempts(keyOf(service));
    expect(stopped).toMatchObject({
      taskId: running.taskId,
      state: 'LOST',
      reason: 'REASON_EXECUTOR_TERMINATED',
      message: 'The console shut down; the task was stopped',
    });
    const fresh = await successor(second, keyOf(service), running.taskId, 'RUNNING');
    await waitFor(`the processes of ${fresh.taskId}`, () => processesOfTask(fresh.taskId).length === 2);
  });
});
