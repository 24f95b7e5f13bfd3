/**
 * Cron jobs on the embedded cluster: nothing runs at creation; each time the schedule comes
 * round a run starts, and a run that is still going meets the job's collision policy.
 */
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  job,
  jobFile,
  keyOf,
  killLeftovers,
  openConsole,
  processesOf,
  tempDataDir,
  waitFor,
  type TestConsole,
} from './fixtures/embedded-helpers.js';

let dataDir: string;
let t: TestConsole;

beforeEach(async () => {
  skew = 0;
  dataDir = tempDataDir();
  t = openConsole(dataDir);
  await t.console.ready;
});

afterEach(async () => {
  try {
    await t.close();
    expect(processesOf(dataDir)).toEqual([]);
  } finally {
    killLeftovers(dataDir);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

/** How far the console's clock has been moved ahead of the real one. */
let skew = 0;

/** Moves the console's clock to just past its next whole 5 minutes. */
function passNextFiveMinutes() {
  const now = Date.now() + skew;
  const step = Math.ceil((now + 1) / 300_000) * 300_000 - now + 1_000;
  skew += step;
  t.advanceClock(step);
}

function cronJob(name: string, policy: 'KILL_EXISTING' | 'CANCEL_NEW', cmdline: string) {
  return { ...job({ name, cmdline }), cron_schedule: '*/5 * * * *', cron_collision_policy: policy };
}

describe('a cron job', () => {
  it('runs nothing when created, then starts a run when its schedule comes round', async () => {
    const spec = { name: 'nightly' };
    await t.create(jobFile(cronJob('nightly', 'KILL_EXISTING', 'echo report')));
    const created = await t.job(keyOf(spec));
    expect(created.job.cron).toMatchObject({ schedule: '*/5 * * * *', collisionPolicy: 'KILL_EXISTING' });
    expect(created.instances).toEqual([]);

    passNextFiveMinutes();
    const ran = await waitFor('the first cron run to finish', async () => {
      const j = await t.job(keyOf(spec));
      return j.instances.length === 1 && j.instances[0]!.current.state === 'FINISHED' ? j : undefined;
    });
    expect(ran.instances[0]!.current.exitCode).toBe(0);
  });

  it('KILL_EXISTING kills a run that is still going and starts the next one', async () => {
    const spec = { name: 'overlap-kill' };
    await t.create(jobFile(cronJob('overlap-kill', 'KILL_EXISTING', 'sleep 600')));
    passNextFiveMinutes();
    const first = await waitFor('the first run to be RUNNING', async () => {
      const j = await t.job(keyOf(spec));
      return j.instances[0]?.current.state === 'RUNNING' ? j : undefined;
    });
    const firstId = first.instances[0]!.current.taskId;

    passNextFiveMinutes();
    const second = await waitFor('the second run to replace the first', async () => {
      const j = await t.job(keyOf(spec));
      return j.instances[0]?.current.taskId !== firstId && j.instances[0]?.current.state === 'RUNNING' ? j : undefined;
    });
    const old = second.instances[0]!.history.find((h) => h.taskId === firstId);
    expect(old?.state).toBe('KILLED');
    expect(old?.message).toMatch(/next cron run/);
  });

  it('CANCEL_NEW skips a run while the previous one is still going', async () => {
    const spec = { name: 'overlap-cancel' };
    await t.create(jobFile(cronJob('overlap-cancel', 'CANCEL_NEW', 'sleep 600')));
    passNextFiveMinutes();
    const first = await waitFor('the first run to be RUNNING', async () => {
      const j = await t.job(keyOf(spec));
      return j.instances[0]?.current.state === 'RUNNING' ? j : undefined;
    });
    const due = first.job.cron!.nextRun;
    passNextFiveMinutes();
    // Its next run came due and was decided on (the one after is 5 minutes on), in the same step
    // that would have started it: still the only run.
    const after = await waitFor('the second run to be decided', async () => {
      const j = await t.job(keyOf(spec));
      return j.job.cron!.nextRun !== due ? j : undefined;
    });
    expect(after.job.cron!.nextRun).toBe(due! + 300_000);
    expect(after.instances).toHaveLength(1);
    expect(after.instances[0]!.current.taskId).toBe(first.instances[0]!.current.taskId);
    expect(after.instances[0]!.current.state).toBe('RUNNING');
    expect(after.instances[0]!.history).toEqual([]);
  });
});
