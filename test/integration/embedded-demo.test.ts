/**
 * The demo content of jobs/demo: submitted on the first start of the embedded profile only, and
 * between them showing a running service, a failed job with its reason, a pending job with its
 * reason and a running batch job.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  killLeftovers,
  openConsole,
  processesOf,
  processLog,
  read,
  repoRoot,
  tempDataDir,
  waitFor,
  waitForState,
  type TestConsole,
} from './fixtures/embedded-helpers.js';

const demoJobsDir = path.join(repoRoot, 'jobs', 'demo');
const keys = {
  batch: 'cantareira/prod/batch-writer',
  fails: 'cantareira/prod/model-fails',
  pending: 'cantareira/prod/model-pending',
  service: 'cantareira/devel/service-ticker',
};

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
  const t = openConsole(dataDir, { demoJobsDir });
  opened.push(t);
  return t;
}

describe('the demo jobs', () => {
  it('are submitted on the first start only, and show a running service, a failed model, a pending model and a running batch writer', async () => {
    const t = open();
    await t.console.ready;
    const jobs = await t.jobs();
    expect(jobs.map((j) => [j.key, j.source, j.state]).sort()).toEqual(
      [
        [keys.batch, 'demo/batch-writer.json', 'active'],
        [keys.fails, 'demo/model-fails.json', 'active'],
        [keys.pending, 'demo/model-pending.json', 'active'],
        [keys.service, 'demo/service-ticker.json', 'active'],
      ].sort(),
    );
    expect(t.logged).toEqual([]);

    // The service: two instances, one per on-demand agent (host: limit:1), each telling its port.
    const ticker = await waitForState(t, keys.service, 'RUNNING');
    const onDemand = (await t.agents()).filter((a) => a.slaveType === 'mesos-on-demand');
    expect(ticker.map((x) => x.agentHost).sort()).toEqual(onDemand.map((a) => a.hostname).sort());
    for (const x of ticker) {
      await waitFor(`instance ${x.instance} of the ticker to introduce itself`, () =>
        read(processLog(x.sandboxDir!, 'ticker', 'stdout')).includes(
          `instance ${x.instance} on ${x.agentHost} would serve HTTP on port ${x.ports.http}`,
        ),
      );
    }

    // The pending model: no agent of slave type `model` in the embedded profile.
    const [pending] = await waitForState(t, keys.pending, 'PENDING');
    await waitFor(
      'the pending reason of model-pending',
      async () => (await t.attempts(keys.pending))[0]!.pendingReason === 'Constraint not satisfied: slave-type',
    );
    expect(pending!.agentId).toBeNull();

    // The batch writer runs (it writes for about 45 s; it is not waited for here).
    const [writer] = await waitForState(t, keys.batch, 'RUNNING');
    await waitFor('the batch writer to start writing', () =>
      read(processLog(writer!.sandboxDir!, 'write_datasets', 'stdout')).includes('[batch-writer] writing 28 partition batches'),
    );

    // The failing model: fetches its artifacts, scores five batches, then fails with a traceback.
    const [failed] = await waitForState(t, keys.fails, 'FAILED', undefined, 25_000);
    expect(failed).toMatchObject({
      reason: 'REASON_COMMAND_EXECUTOR_FAILED',
      message: "Process 'score' exited with code 1",
      exitCode: 1,
      failureCount: 1,
      ancestorId: null,
    });
    expect(await t.attempts(keys.fails)).toHaveLength(1); // max_task_failures 1: no retry
    expect(read(processLog(failed!.sandboxDir!, 'fetch_artifacts', 'stdout'))).toContain('Fetched model.pkl');
    expect(read(processLog(failed!.sandboxDir!, 'score', 'stderr'))).toContain(`KeyError: "['credit_limit_usd'] not in index"`);
    expect((await t.overview()).latestFailures.map((f) => f.taskId)).toEqual([failed!.taskId]);

    // An operator kills one demo job; a second start must not bring it back.
    await t.call('jobs.kill', { key: keys.pending });
    const listed = async (c: TestConsole) => (await c.jobs()).map((j) => [j.key, j.state, j.createdAt]).sort();
    const before = await listed(t);
    await t.close();
    expect(processesOf(dataDir)).toEqual([]);

    const again = open();
    await again.console.ready;
    expect(await listed(again)).toEqual(before);
    expect(await again.attempts(keys.fails)).toEqual([expect.objectContaining({ taskId: failed!.taskId, state: 'FAILED' })]);
    expect(again.logged).toEqual([]);
  }, 45_000);
});
