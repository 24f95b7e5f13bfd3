/**
 * The embedded cluster through the console's public calls: Aurora JSON job files in, real
 * processes on local agents, task states, pending reasons and the overview out. Each test opens a
 * console on its own data folder and, after it, checks that closing it left no process behind.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Task } from '../../core/contract/index.js';
import {
  flapPenalty,
  job,
  jobFile,
  keyOf,
  killLeftovers,
  notWitness,
  openConsole,
  processesOf,
  processesOfTask,
  processLog,
  read,
  schedulingRounds,
  tempDataDir,
  waitFor,
  waitForState,
  type TestConsole,
} from './fixtures/embedded-helpers.js';

let dataDir: string;
let t: TestConsole;

beforeEach(async () => {
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

const states = async (taskId: string) => (await t.events(taskId)).map((e) => e.state);

/** "[31000-31099]" → [31000, 31099]. */
function range(ports: string): [number, number] {
  const m = /^\[(\d+)-(\d+)\]$/.exec(ports);
  if (!m) throw new Error(`unexpected port range ${ports}`);
  return [Number(m[1]), Number(m[2])];
}

describe('a batch job', () => {
  it('runs its 2 instances only on the agent its constraint allows, with rendered mustaches and distinct ports, and ends FINISHED with exit code 0', async () => {
    const spec = {
      name: 'render',
      instances: 2,
      constraints: { 'slave-type': 'mesos-fixed' },
      // The sleep keeps both instances on the agent at once, holding their ports together.
      cmdline:
        'echo "instance={{mesos.instance}} host={{mesos.hostname}} http={{thermos.ports[http]}} admin={{thermos.ports[admin]}}"; sleep 1',
    };
    expect(await t.create(jobFile(job(spec)))).toEqual([keyOf(spec)]);

    const running = await waitForState(t, keyOf(spec), 'RUNNING');
    const finished = await waitForState(t, keyOf(spec), 'FINISHED');
    const fixed = (await t.agents()).filter((a) => a.slaveType === 'mesos-fixed');
    expect(fixed).toHaveLength(1);
    const agent = fixed[0]!;
    const [lo, hi] = range(agent.resources.ports);

    expect(finished.map((f) => f.taskId)).toEqual(running.map((r) => r.taskId));
    for (const task of finished) {
      expect(task).toMatchObject({ agentId: agent.id, agentHost: agent.hostname, exitCode: 0, ancestorId: null, failureCount: 0 });
      expect(Object.keys(task.ports).sort()).toEqual(['admin', 'http']);
      for (const port of Object.values(task.ports)) {
        expect(port).toBeGreaterThanOrEqual(lo);
        expect(port).toBeLessThanOrEqual(hi);
      }
      expect(await states(task.taskId)).toEqual(['PENDING', 'ASSIGNED', 'STARTING', 'RUNNING', 'FINISHED']);
      expect(read(processLog(task.sandboxDir!, 'main', 'stdout'))).toBe(
        `instance=${task.instance} host=${agent.hostname} http=${task.ports.http} admin=${task.ports.admin}\n`,
      );
    }
    const allPorts = finished.flatMap((f) => Object.values(f.ports));
    expect(new Set(allPorts).size).toBe(4);
    expect((await t.job(keyOf(spec))).job).toMatchObject({ state: 'active', taskCounts: { FINISHED: 2 } });
  });

  it('whose process names hold characters Thermos allows (a space, a colon) runs, with logs under .logs/<name>/0', async () => {
    const spec = {
      name: 'named',
      processes: [
        { name: 'fetch data', cmdline: 'echo fetched' },
        { name: 'step:2', cmdline: 'echo scored' },
      ],
    };
    expect(await t.create(jobFile(job(spec)))).toEqual([keyOf(spec)]);
    const [task] = await waitForState(t, keyOf(spec), 'FINISHED');
    expect(task).toMatchObject({ exitCode: 0 });
    expect(read(processLog(task!.sandboxDir!, 'fetch data', 'stdout'))).toBe('fetched\n');
    expect(read(processLog(task!.sandboxDir!, 'step:2', 'stdout'))).toBe('scored\n');
  });
});

describe('retries of a failing batch job', () => {
  it('with max_task_failures 3 makes 3 attempts in all, each linked to the one before and penalised for flapping, and the last stays FAILED', async () => {
    const spec = { name: 'flaky', maxTaskFailures: 3, cmdline: 'echo "attempt of {{thermos.task_id}}"; exit 1' };
    await t.create(jobFile(job(spec)));
    const key = keyOf(spec);

    // Each attempt fails within a second of starting, so Aurora penalises the next one for
    // flapping (30 s and more). Moving the console's clock past the penalty stands in for waiting.
    for (let n = 2; n <= 3; n++) {
      const next = await waitFor(`attempt ${n} of ${key}`, async () => {
        const all = await t.attempts(key);
        return all.length === n ? all[n - 1] : undefined;
      });
      expect(next.state).toBe('THROTTLED');
      const penalty = flapPenalty(next.message);
      expect(penalty, `message: ${next.message}`).not.toBeNull();
      expect(penalty!).toBeGreaterThanOrEqual(30_000);
      expect(penalty!).toBeLessThanOrEqual(n === 2 ? 60_000 : 120_000);
      // Still held back a few rounds later: the penalty is served, not skipped.
      await schedulingRounds(t);
      expect((await t.attempts(key))[n - 1]!.state).toBe('THROTTLED');
      t.advanceClock(penalty!);
    }

    const attempts = await waitFor(`the third attempt of ${key} to fail`, async () => {
      const all = await t.attempts(key);
      return all.length === 3 && all[2]!.state === 'FAILED' ? all : undefined;
    });
    expect(attempts.map((a) => [a.state, a.failureCount, a.exitCode, a.reason])).toEqual([
      ['FAILED', 1, 1, 'REASON_COMMAND_EXECUTOR_FAILED'],
      ['FAILED', 2, 1, 'REASON_COMMAND_EXECUTOR_FAILED'],
      ['FAILED', 3, 1, 'REASON_COMMAND_EXECUTOR_FAILED'],
    ]);
    expect(attempts.map((a) => a.ancestorId)).toEqual([null, attempts[0]!.taskId, attempts[1]!.taskId]);
    expect(attempts[2]!.message).toBe("Process 'main' exited with code 1");
    expect(await states(attempts[1]!.taskId)).toEqual(['THROTTLED', 'PENDING', 'ASSIGNED', 'STARTING', 'RUNNING', 'FAILED']);
    for (const a of attempts) expect(read(processLog(a.sandboxDir!, 'main', 'stdout'))).toBe(`attempt of ${a.taskId}\n`);

    // A failure is rescheduled in the same step that records it; none follows the third.
    await schedulingRounds(t);
    expect(await t.attempts(key)).toHaveLength(3);
    expect((await t.job(key)).job.taskCounts).toEqual({ FAILED: 1 });
  });
});

describe('a service', () => {
  it('whose process exits 0 is rescheduled: a new attempt follows the FINISHED one and runs again', async () => {
    const spec = { name: 'blink', service: true, cmdline: 'echo "served by {{thermos.task_id}}"' };
    await t.create(jobFile(job(spec)));
    const key = keyOf(spec);

    const [first, second] = await waitFor(`a second attempt of ${key}`, async () => {
      const all = await t.attempts(key);
      return all.length === 2 ? all : undefined;
    });
    expect(first).toMatchObject({ state: 'FINISHED', exitCode: 0 });
    expect(second).toMatchObject({ ancestorId: first!.taskId, failureCount: 0, state: 'THROTTLED' });
    t.advanceClock(flapPenalty(second!.message)!);

    await waitFor(`the second attempt of ${key} to finish`, async () => (await t.attempts(key))[1]!.state === 'FINISHED');
    const again = (await t.attempts(key))[1]!;
    expect(read(processLog(again.sandboxDir!, 'main', 'stdout'))).toBe(`served by ${again.taskId}\n`);
  });

  it('instance killed through jobs.kill ends KILLED and is not rescheduled; the job and its other instance stay', async () => {
    const spec = { name: 'web', service: true, instances: 2, cmdline: 'sleep 1000' };
    await t.create(jobFile(job(spec)));
    const key = keyOf(spec);
    const [zero, one] = await waitForState(t, key, 'RUNNING');

    const killed = await t.call<{ killed: string[] }>('jobs.kill', { key, instances: [0] });
    expect(killed).toEqual({ killed: [zero!.taskId] });
    await waitFor('instance 0 to be KILLED', async () => (await t.attempts(key, 0))[0]!.state === 'KILLED');
    expect(await states(zero!.taskId)).toEqual(['PENDING', 'ASSIGNED', 'STARTING', 'RUNNING', 'KILLING', 'KILLED']);
    expect(processesOfTask(zero!.taskId)).toEqual([]);

    // Rescheduling happens in the same step as KILLED; a few rounds later there is still none.
    await schedulingRounds(t);
    expect(await t.attempts(key, 0)).toHaveLength(1);
    const detail = await t.job(key);
    expect(detail.job.state).toBe('active');
    expect(detail.instances.map((i) => [i.instance, i.current.taskId, i.current.state])).toEqual([
      [0, zero!.taskId, 'KILLED'],
      [1, one!.taskId, 'RUNNING'],
    ]);
    expect(processesOfTask(one!.taskId).length).toBeGreaterThan(0);
  });

  it('killed as a whole job has every instance KILLED and the job marked killed', async () => {
    const spec = { name: 'api', service: true, instances: 2, cmdline: 'sleep 1000' };
    await t.create(jobFile(job(spec)));
    const key = keyOf(spec);
    const before = await waitForState(t, key, 'RUNNING');

    const { killed } = await t.call<{ killed: string[] }>('jobs.kill', { key });
    expect(killed.sort()).toEqual(before.map((b) => b.taskId).sort());
    expect((await t.job(key)).job.state).toBe('killed');
    const after = await waitForState(t, key, 'KILLED');
    expect(after.map((a) => a.taskId)).toEqual(before.map((b) => b.taskId));
    for (const a of after) expect(processesOfTask(a.taskId)).toEqual([]);
    await schedulingRounds(t);
    expect((await t.jobs()).filter(notWitness).map((j) => [j.key, j.state, j.taskCounts])).toEqual([[key, 'killed', { KILLED: 2 }]]);
  });

  it('asked to kill an instance it does not have answers INSTANCE_NOT_FOUND and kills nothing', async () => {
    const spec = { name: 'cache', service: true, instances: 2, cmdline: 'sleep 1000' };
    await t.create(jobFile(job(spec)));
    const key = keyOf(spec);
    await waitForState(t, key, 'RUNNING');
    const before = await t.job(key);

    // Instance 0 exists; 7 does not: the call is all or nothing.
    const error = await t.fail('jobs.kill', { key, instances: [0, 7] });
    expect(error).toMatchObject({ code: 'INSTANCE_NOT_FOUND', message: expect.stringContaining('7') });
    expect(await t.fail('jobs.kill', { key: 'qa/devel/nonexistent' })).toMatchObject({ code: 'JOB_NOT_FOUND' });

    await schedulingRounds(t);
    expect(await t.job(key)).toEqual(before);
    for (const i of before.instances) expect(processesOfTask(i.current.taskId).length).toBeGreaterThan(0);
  });
});

describe('jobs.restart', () => {
  it('of a RUNNING instance kills the attempt through RESTARTING and runs a new one linked to it', async () => {
    const spec = { name: 'worker', instances: 2, cmdline: 'echo "up as {{thermos.task_id}}"; sleep 1000' };
    await t.create(jobFile(job(spec)));
    const key = keyOf(spec);
    const [old, other] = await waitForState(t, key, 'RUNNING');

    expect(await t.call('jobs.restart', { key, instances: [0] })).toEqual({ restarted: [old!.taskId] });
    const [, fresh] = await waitFor('a new RUNNING attempt of instance 0', async () => {
      const all = await t.attempts(key, 0);
      return all.length === 2 && all[1]!.state === 'RUNNING' ? all : undefined;
    });

    expect(await states(old!.taskId)).toEqual(['PENDING', 'ASSIGNED', 'STARTING', 'RUNNING', 'RESTARTING', 'KILLED']);
    expect((await t.attempts(key, 0))[0]).toMatchObject({ taskId: old!.taskId, state: 'KILLED', failureCount: 0 });
    expect(processesOfTask(old!.taskId)).toEqual([]);
    // A restart is not flapping: the new attempt goes straight to PENDING, not THROTTLED.
    expect(fresh).toMatchObject({ ancestorId: old!.taskId, failureCount: 0 });
    expect(await states(fresh!.taskId)).toEqual(['PENDING', 'ASSIGNED', 'STARTING', 'RUNNING']);
    await waitFor(
      'the new attempt to write its output',
      () => read(processLog(fresh!.sandboxDir!, 'main', 'stdout')) === `up as ${fresh!.taskId}\n`,
    );
    // The other instance was left alone.
    expect(await t.attempts(key, 1)).toEqual([expect.objectContaining({ taskId: other!.taskId, state: 'RUNNING' })]);
  });

  it('of an instance that is not running answers INSTANCE_NOT_FOUND', async () => {
    const spec = { name: 'stuck', constraints: { 'slave-type': 'model' } };
    await t.create(jobFile(job(spec)));
    expect(await t.fail('jobs.restart', { key: keyOf(spec), instances: [0] })).toMatchObject({ code: 'INSTANCE_NOT_FOUND' });
    expect(await t.attempts(keyOf(spec))).toEqual([expect.objectContaining({ state: 'PENDING' })]);
  });
});

describe('a job that cannot be placed', () => {
  /**
   * Waits for the pending reason, then reads the task after each of the next rounds (each round
   * shuffles the agents): it stays PENDING, unplaced, with the same reason.
   */
  async function pendingFor(key: string, instance = 0): Promise<Task> {
    const task = await waitFor(`a pending reason for ${key}`, async () => {
      const a = (await t.attempts(key, instance)).at(-1);
      return a?.pendingReason ? a : undefined;
    });
    for (let i = 0; i < 4; i++) {
      await schedulingRounds(t, 1);
      const later = (await t.attempts(key, instance)).at(-1)!;
      expect(later, `read ${i}`).toMatchObject({ taskId: task.taskId, state: 'PENDING', pendingReason: task.pendingReason, agentId: null });
    }
    return task;
  }

  it('because it asks for more CPU than any agent has stays PENDING with "Insufficient: CPU"', async () => {
    const spec = { name: 'huge', cpu: 64 };
    expect(await t.create(jobFile(job(spec)))).toEqual([keyOf(spec)]);
    expect((await pendingFor(keyOf(spec))).pendingReason).toBe('Insufficient: CPU');
    expect((await t.job(keyOf(spec))).job).toMatchObject({ state: 'active', taskCounts: { PENDING: 1 } });
  });

  it('because no agent has its slave type stays PENDING with "Constraint not satisfied: slave-type"', async () => {
    const spec = { name: 'scoring', constraints: { 'slave-type': 'model' } };
    await t.create(jobFile(job(spec)));
    expect((await pendingFor(keyOf(spec))).pendingReason).toBe('Constraint not satisfied: slave-type');
  });

  it('with host: limit:1 and 3 instances on the 2 on-demand agents runs 2, one per agent, and keeps 1 PENDING with "Limit not satisfied: host"', async () => {
    const spec = { name: 'spread', instances: 3, constraints: { 'slave-type': 'mesos-on-demand', host: 'limit:1' }, cmdline: 'sleep 1000' };
    await t.create(jobFile(job(spec)));
    const key = keyOf(spec);
    const current = await waitForState(t, key, 'RUNNING', 2);
    const onDemand = (await t.agents()).filter((a) => a.slaveType === 'mesos-on-demand').map((a) => a.id);
    const running = current.filter((c) => c.state === 'RUNNING');
    expect(running.map((r) => r.agentId).sort()).toEqual([...onDemand].sort());

    const waiting = current.find((c) => c.state !== 'RUNNING')!;
    expect((await pendingFor(key, waiting.instance)).pendingReason).toBe('Limit not satisfied: host');
    expect((await t.job(key)).job.taskCounts).toEqual({ RUNNING: 2, PENDING: 1 });
  });
});

describe('an invalid job file', () => {
  const keep = { name: 'keeper', constraints: { 'slave-type': 'model' } };
  /** What jobs.list shows, minus the parts that move on their own. */
  const listed = async () => (await t.jobs()).map((j) => [j.key, j.state, j.createdAt, j.taskCounts]);

  beforeEach(async () => {
    await t.create(jobFile(job(keep)));
  });

  it('is refused with JOB_SPEC_INVALID naming the JSON path of each problem, and creates nothing', async () => {
    const before = await listed();
    const bad = job({ name: 'bad' });
    (bad.task as { resources: Record<string, number> }).resources.ram = 0;
    const worse = { ...job({ name: 'worse', cpu: -1 }), instances: 0, max_task_failures: 'three' };
    const error = await t.fail('jobs.create', { text: jobFile(bad, worse), fileName: 'bad.json' });
    expect(error).toMatchObject({
      code: 'JOB_SPEC_INVALID',
      message: 'bad.json has 4 problems: jobs[0].task.resources.ram: must be > 0 …',
      hint: expect.stringContaining('nothing was created'),
    });
    expect(error.details).toEqual([
      'jobs[0].task.resources.ram: must be > 0',
      'jobs[1].max_task_failures: must be an integer, got "three"',
      'jobs[1].instances: must be >= 1',
      'jobs[1].task.resources.cpu: must be > 0',
    ]);
    expect(await listed()).toEqual(before);
    expect(await t.fail('jobs.get', { key: keyOf({ name: 'bad' }) })).toMatchObject({ code: 'JOB_NOT_FOUND' });
  });

  it('that is not JSON says where it breaks', async () => {
    const error = await t.fail('jobs.create', { text: '{"jobs": [\n  {"name": }\n]}' });
    expect(error.code).toBe('JOB_SPEC_INVALID');
    expect(error.details).toEqual([expect.stringMatching(/^invalid JSON at line 2, column \d+/)]);
  });

  it('with one valid and one invalid job creates neither', async () => {
    const before = await listed();
    const good = job({ name: 'good' });
    const bad = job({ name: 'bad', constraints: { host: 'limit:0' } });
    const error = await t.fail('jobs.create', { text: jobFile(good, bad) });
    expect(error).toMatchObject({ code: 'JOB_SPEC_INVALID', details: ['jobs[1].constraints.host: limit must be a whole number >= 1'] });
    expect(await listed()).toEqual(before);
    expect(await t.fail('jobs.get', { key: keyOf({ name: 'good' }) })).toMatchObject({ code: 'JOB_NOT_FOUND' });
  });

  it('repeating an active job is refused with JOB_EXISTS, and a new job in the same file is not created either', async () => {
    const before = await listed();
    const attempts = await t.attempts(keyOf(keep));
    expect(await t.fail('jobs.create', { text: jobFile(job(keep)) })).toMatchObject({
      code: 'JOB_EXISTS',
      message: `The job ${keyOf(keep)} already exists.`,
    });
    expect(await t.fail('jobs.create', { text: jobFile(job({ name: 'fresh' }), job(keep)) })).toMatchObject({ code: 'JOB_EXISTS' });
    expect(await listed()).toEqual(before);
    expect(await t.attempts(keyOf(keep))).toEqual(attempts);
    expect(await t.fail('jobs.get', { key: keyOf({ name: 'fresh' }) })).toMatchObject({ code: 'JOB_NOT_FOUND' });
  });
});

describe('a misbehaving task', () => {
  it('that ignores SIGTERM is KILLED anyway: SIGKILL follows after the grace period', async () => {
    // bash and its sleep both ignore SIGTERM (an ignored signal stays ignored across fork and exec).
    const spec = { name: 'stubborn', cmdline: "trap '' TERM; sleep 1000 & echo trapped; wait" };
    await t.create(jobFile(job(spec)));
    const key = keyOf(spec);
    const [task] = await waitForState(t, key, 'RUNNING');
    await waitFor('the trap to be set', () => read(processLog(task!.sandboxDir!, 'main', 'stdout')) === 'trapped\n');
    await waitFor('bash and its sleep', () => processesOfTask(task!.taskId).length === 2);

    await t.call('jobs.kill', { key });
    const [killed] = await waitForState(t, key, 'KILLED');
    expect(processesOfTask(task!.taskId)).toEqual([]);
    expect(await states(killed!.taskId)).toEqual(['PENDING', 'ASSIGNED', 'STARTING', 'RUNNING', 'KILLING', 'KILLED']);
    // The executor's own log (runs/<run>/stderr, next to the sandbox) tells how it ended.
    expect(read(path.join(path.dirname(task!.sandboxDir!), 'stderr'))).toMatch(/still running after 300 ms; sending SIGKILL/);
  });

  it('that forks children and exits leaves none of them behind', async () => {
    const spec = { name: 'forker', cmdline: 'sleep 1000 & sleep 1000 & (sleep 1000 &); bash -c "sleep 1000 &"; echo forked' };
    await t.create(jobFile(job(spec)));
    const [task] = await waitForState(t, keyOf(spec), 'FINISHED');
    expect(task).toMatchObject({ exitCode: 0 });
    expect(read(processLog(task!.sandboxDir!, 'main', 'stdout'))).toBe('forked\n');
    expect(processesOfTask(task!.taskId)).toEqual([]);
  });

  it('that forks children and is killed leaves none of them behind', async () => {
    const spec = { name: 'forker-killed', cmdline: 'sleep 1000 & (sleep 1000 & wait) & echo forked; wait' };
    await t.create(jobFile(job(spec)));
    const key = keyOf(spec);
    const [task] = await waitForState(t, key, 'RUNNING');
    await waitFor('its children', () => processesOfTask(task!.taskId).length >= 4);
    await t.call('jobs.kill', { key });
    await waitForState(t, key, 'KILLED');
    expect(processesOfTask(task!.taskId)).toEqual([]);
  });

  it('that floods stdout finishes with all of it in its stdout file', async () => {
    const spec = { name: 'flood', cmdline: 'yes | head -c 30000000' };
    await t.create(jobFile(job(spec)));
    const [task] = await waitForState(t, keyOf(spec), 'FINISHED', undefined, 30_000);
    expect(task).toMatchObject({ exitCode: 0 });
    expect(fs.statSync(processLog(task!.sandboxDir!, 'main', 'stdout')).size).toBe(30_000_000);
  });

  it('that uses more memory than its ram is FAILED with REASON_CONTAINER_LIMITATION_MEMORY', async () => {
    // bash holds the 200 MB it reads in a variable, well over the task's 32 MiB.
    const spec = { name: 'hog', ramMb: 32, cmdline: "hog=$(head -c 200000000 /dev/zero | tr '\\0' x); echo held; sleep 1000" };
    await t.create(jobFile(job(spec)));
    const [task] = await waitForState(t, keyOf(spec), 'FAILED');
    expect(task).toMatchObject({ reason: 'REASON_CONTAINER_LIMITATION_MEMORY', failureCount: 1 });
    expect(task!.message).toMatch(/^Memory limit exceeded: Requested: 32MB Maximum Used: \d+MB$/);
    expect(Number(/Used: (\d+)MB/.exec(task!.message!)![1])).toBeGreaterThan(32);
    expect(processesOfTask(task!.taskId)).toEqual([]);
  });
});

describe('overview.get', () => {
  it('shows used/total per agent type growing with running tasks (plus executor overhead), current attempts by state, and the latest failure', async () => {
    const empty = await t.overview();
    expect(empty.agentsByType).toEqual([
      {
        slaveType: 'mesos-fixed',
        agents: 1,
        cpus: { used: 0, total: 8 },
        memMb: { used: 0, total: 32768 },
        diskMb: { used: 0, total: expect.any(Number) },
      },
      {
        slaveType: 'mesos-on-demand',
        agents: 2,
        cpus: { used: 0, total: 8 },
        memMb: { used: 0, total: 32768 },
        diskMb: { used: 0, total: expect.any(Number) },
      },
    ]);
    expect(empty.tasksByState).toEqual({});
    expect(empty.latestFailures).toEqual([]);

    const busy = {
      name: 'busy',
      instances: 2,
      cpu: 0.5,
      ramMb: 256,
      diskMb: 512,
      constraints: { 'slave-type': 'mesos-on-demand' },
      cmdline: 'sleep 1000',
    };
    const broken = { name: 'broken', constraints: { 'slave-type': 'mesos-fixed' }, cmdline: 'echo no config >&2; exit 3' };
    const blink = { name: 'blink', service: true, constraints: { 'slave-type': 'mesos-fixed' }, cmdline: 'true' };
    await t.create(jobFile(job(busy), job(broken), job(blink)));
    await waitForState(t, keyOf(busy), 'RUNNING');
    const [failed] = await waitForState(t, keyOf(broken), 'FAILED');
    // The service's first attempt FINISHED; its current attempt waits out its flapping penalty.
    await waitForState(t, keyOf(blink), 'THROTTLED');

    const o = await t.overview();
    const onDemand = o.agentsByType.find((r) => r.slaveType === 'mesos-on-demand')!;
    expect(onDemand.cpus).toEqual({ used: 2 * (0.5 + 0.25), total: 8 });
    expect(onDemand.memMb).toEqual({ used: 2 * (256 + 128), total: 32768 });
    expect(onDemand.diskMb.used).toBe(2 * 512);
    // Nothing holds the fixed agent: the failed task ended, the service's next attempt is not placed.
    expect(o.agentsByType.find((r) => r.slaveType === 'mesos-fixed')).toMatchObject({ cpus: { used: 0 }, memMb: { used: 0 } });
    expect(o.tasksByState).toEqual({ RUNNING: 2, FAILED: 1, THROTTLED: 1 });
    expect(o.latestFailures).toEqual([
      expect.objectContaining({ taskId: failed!.taskId, state: 'FAILED', exitCode: 3, message: "Process 'main' exited with code 3" }),
    ]);
  });
});
