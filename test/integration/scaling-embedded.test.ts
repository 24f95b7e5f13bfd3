/**
 * Scaling the embedded cluster through the contract: the same plan → confirm → journal → run
 * path as on AWS, with the `local` provider. Machines boot in 200 ms here; the cancel window
 * is 200 ms.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  Agent,
  AuditEntry,
  HoldView,
  InstanceView,
  Operation,
  OperationStep,
  PoolView,
  ScalePlan,
  ScaleRequest,
} from '../../core/contract/index.js';
import { job, jobFile, keyOf, openConsole, tempDataDir, waitFor, waitForState, type TestConsole } from './fixtures/embedded-helpers.js';

let t: TestConsole;
let key = 0;

beforeEach(async () => {
  t = openConsole(tempDataDir());
  await t.console.ready;
});
afterEach(async () => {
  await t.close();
});

const plan = async (request: ScaleRequest) => (await t.call<{ plan: ScalePlan }>('scaling.plan', { request })).plan;
const run = async (request: ScaleRequest, extra: Record<string, unknown> = {}) =>
  (await t.call<{ operation: Operation }>('scaling.run', { request, idempotencyKey: `press-${++key}-${Date.now()}`, ...extra })).operation;
const operation = (id: string) => t.call<{ operation: Operation; steps: OperationStep[] }>('operations.get', { id });
const ended = (id: string, timeoutMs = 10_000) =>
  waitFor(
    `operation ${id} to end`,
    async () => {
      const { operation: op } = await operation(id);
      return op.state === 'pending' || op.state === 'running' ? undefined : op;
    },
    timeoutMs,
  );
const pools = async () => (await t.call<{ pools: PoolView[] }>('pools.list')).pools;
const poolNamed = async (name: string) => (await pools()).find((p) => p.name === name)!;
const agentsOf = async (slaveType: string): Promise<Agent[]> => (await t.agents()).filter((a) => a.slaveType === slaveType);
const instances = async (pool?: string) =>
  t.call<{ instances: InstanceView[]; agentsWithoutInstance: unknown[] }>('instances.list', pool ? { pool } : {});
const hold = (target: unknown, reason = 'model failed, debugging', ms = 3_600_000) =>
  t.call<{ hold: HoldView }>('holds.set', { target, until: Date.now() + ms, reason });

describe('on-demand pool', () => {
  it('scales 2 → 4: the preview lists the new nodes, the run waits for their agents, and the audit log says who', async () => {
    const p = await plan({ kind: 'set-desired', pool: 'mesos-on-demand', count: 4 });
    expect(p).toMatchObject({ current: 2, target: 4, refusals: [], remove: [], requires: { acceptTaskLoss: false, typedName: null } });
    expect(p.add).toEqual([
      { instanceType: 'm5.xlarge', name: null },
      { instanceType: 'm5.xlarge', name: null },
    ]);
    expect(p.summary).toBe('Add 2 mesos-on-demand nodes (2 → 4)');

    const op = await run(p.request);
    // Journaled before anything happens, and held back for the cancel window.
    expect(op.state).toBe('pending');
    expect(op.startsAt).toBeGreaterThan(op.createdAt);
    expect(await agentsOf('mesos-on-demand')).toHaveLength(2);

    const done = await ended(op.id);
    expect(done).toMatchObject({ state: 'succeeded', error: null, result: { desired: 4, ready: 4 } });
    const agents = await agentsOf('mesos-on-demand');
    expect(agents).toHaveLength(4);

    // Every machine is matched to its agent by IP; none is left without one.
    const list = await instances('mesos-on-demand');
    expect(list.instances).toHaveLength(4);
    expect(
      list.instances.every((i) => i.agent !== null && i.state === 'running' && i.autoScalingGroup === 'embedded-mesos-on-demand'),
    ).toBe(true);
    expect(list.agentsWithoutInstance).toEqual([]);
    expect(list.instances.filter((i) => i.operationId === op.id)).toHaveLength(2);

    const { steps } = await operation(op.id);
    expect(steps[0]).toMatchObject({ call: expect.stringMatching(/^scaleGroup .*"desired":4/), result: expect.stringMatching(/^ok /) });
    const audit = (await t.call<{ entries: AuditEntry[] }>('audit.list', {})).entries;
    expect(audit[0]).toMatchObject({
      id: op.id,
      kind: 'scale.set-desired',
      target: 'mesos-on-demand',
      state: 'succeeded',
      summary: p.summary,
    });
    expect(audit[0]!.actor).not.toBe('');
    expect((await poolNamed('mesos-on-demand')).desired).toBe(4);
  });

  it('a downscale that would lose running tasks needs that choice made explicitly; then they are LOST and rescheduled', async () => {
    const [k] = await t.create(
      jobFile(
        job({
          name: 'svc',
          instances: 2,
          service: true,
          cmdline: 'sleep 600',
          constraints: { 'slave-type': 'mesos-on-demand', host: 'limit:1' },
        }),
      ),
    );
    await waitForState(t, k!, 'RUNNING');
    // Add a third, empty node first: the plan must prefer removing it over a busy one.
    await ended((await run({ kind: 'set-desired', pool: 'mesos-on-demand', count: 3 })).id);
    const empty = await plan({ kind: 'set-desired', pool: 'mesos-on-demand', count: 2 });
    expect(empty.remove).toHaveLength(1);
    expect(empty.remove[0]!.tasks).toEqual([]);
    expect(empty.requires.acceptTaskLoss).toBe(false);

    const busy = await plan({ kind: 'set-desired', pool: 'mesos-on-demand', count: 1 });
    expect(busy.remove).toHaveLength(2);
    const lost = busy.remove.flatMap((r) => r.tasks);
    expect(lost.length).toBeGreaterThanOrEqual(1);
    expect(lost.every((x) => x.jobKey === k)).toBe(true);
    expect(busy.requires.acceptTaskLoss).toBe(true);
    expect(busy.summary).toMatch(/running tasks? will be LOST$/);

    const refused = await t.fail('scaling.run', { request: busy.request, idempotencyKey: 'no-consent-1' });
    expect(refused.code).toBe('SCALE_CONFIRMATION_REQUIRED');
    expect(await agentsOf('mesos-on-demand')).toHaveLength(3);

    const op = await run(busy.request, { acceptTaskLoss: true });
    expect((await ended(op.id)).state).toBe('succeeded');
    const left = await agentsOf('mesos-on-demand');
    expect(left).toHaveLength(1);
    expect(left.map((a) => a.id)).not.toEqual(expect.arrayContaining(busy.remove.map((r) => r.agentId)));
    // The tasks on the removed agents are LOST with a reason, and the service runs again.
    const lostTask = lost[0]!;
    const gone = await t.call<{ task: { state: string; message: string | null } }>('tasks.get', { taskId: lostTask.taskId });
    expect(gone.task.state).toBe('LOST');
    expect(gone.task.message).toMatch(/went away: its machine was terminated/);
    // It ran for moments only, so Aurora's flapping penalty applies before it runs again.
    await waitFor('the lost instance to be rescheduled', async () => (await t.attempts(k!, lostTask.instance)).length > 1);
    t.advanceClock(10 * 60_000);
    // One node is left and the job spreads one instance per host: the new attempt waits, and says why.
    const again = await waitFor('the new attempt to wait for a host', async () => {
      const last = (await t.attempts(k!, lostTask.instance)).at(-1)!;
      return last.state === 'PENDING' && last.pendingReason ? last : undefined;
    });
    expect(again.pendingReason).toBe('Limit not satisfied: host');
  });

  it('scaling a pool to 0 needs its name typed', async () => {
    const p = await plan({ kind: 'set-desired', pool: 'mesos-on-demand', count: 0 });
    expect(p.requires.typedName).toBe('mesos-on-demand');
    const wrong = await t.fail('scaling.run', { request: p.request, idempotencyKey: 'typed-press-1', typedName: 'mesos-on-dem' });
    expect(wrong).toMatchObject({ code: 'SCALE_CONFIRMATION_REQUIRED', hint: expect.stringContaining('mesos-on-demand') });
    const op = await run(p.request, { typedName: 'mesos-on-demand' });
    expect((await ended(op.id)).state).toBe('succeeded');
    expect(await agentsOf('mesos-on-demand')).toEqual([]);
  });

  it('refuses counts beyond the pool maximum, naming the range', async () => {
    const p = await plan({ kind: 'set-desired', pool: 'mesos-on-demand', count: 21 });
    expect(p.refusals).toEqual(['mesos-on-demand can run between 0 and 20 nodes; 21 is outside that range.']);
    expect((await t.fail('scaling.run', { request: p.request, idempotencyKey: 'too-many-1' })).code).toBe('SCALE_NOT_ALLOWED');
  });

  it('reports a timeout with what did not arrive, and keeps what was launched', async () => {
    await t.close();
    t = openConsole(t.dataDir, { bootMs: 60_000 });
    await t.console.ready;
    const op = await run({ kind: 'set-desired', pool: 'mesos-on-demand', count: 3 }, { timeoutMs: 1000 });
    const done = await ended(op.id);
    expect(done.state).toBe('failed');
    expect(done.error).toMatch(/^Timed out after 1 s: 2 of 3 nodes ready\. Not arrived: embedded-mesos-on-demand-3 \(pending\)\./);
    expect((await instances('mesos-on-demand')).instances.map((i) => i.state).sort()).toEqual(['pending', 'running', 'running']);
  });
});

describe('the buttons', () => {
  it('a fixed pool cannot be scaled, and says why', async () => {
    const fixed = await poolNamed('mesos-fixed');
    expect(fixed.scaleUp).toEqual({ allowed: false, why: expect.stringContaining('not fault tolerant') });
    expect(fixed.scaleDown.allowed).toBe(false);
    const agent = (await agentsOf('mesos-fixed'))[0]!;
    const refused = await t.fail('scaling.run', {
      request: { kind: 'remove', pool: 'mesos-fixed', instanceIds: [agent.id] },
      idempotencyKey: 'fixed-press-1',
    });
    expect(refused).toMatchObject({ code: 'SCALE_NOT_ALLOWED', message: expect.stringContaining('never scaled by the console') });
    expect(await agentsOf('mesos-fixed')).toHaveLength(1);
  });

  it('can be cancelled during the cancel window, and then nothing is launched', async () => {
    await t.close();
    t = openConsole(t.dataDir, { scaling: { cancelWindowMs: 5000, pollMs: 50 } });
    await t.console.ready;
    const op = await run({ kind: 'set-desired', pool: 'mesos-on-demand', count: 5 });
    expect((await poolNamed('mesos-on-demand')).scaleUp).toEqual({ allowed: false, why: expect.stringContaining('Busy') });
    const cancelled = (await t.call<{ operation: Operation }>('operations.cancel', { id: op.id })).operation;
    expect(cancelled).toMatchObject({ state: 'cancelled', error: expect.stringContaining('nothing was called') });
    expect((await operation(op.id)).steps).toEqual([]);
    expect((await instances('mesos-on-demand')).instances).toHaveLength(2);
    expect((await t.fail('operations.cancel', { id: op.id })).code).toBe('OPERATION_NOT_CANCELLABLE');
  });

  it('a second press with the same idempotency key starts nothing new; another operation on a busy pool is refused', async () => {
    const request: ScaleRequest = { kind: 'set-desired', pool: 'mesos-on-demand', count: 3 };
    const first = (await t.call<{ operation: Operation }>('scaling.run', { request, idempotencyKey: 'double-click' })).operation;
    const second = (await t.call<{ operation: Operation }>('scaling.run', { request, idempotencyKey: 'double-click' })).operation;
    expect(second.id).toBe(first.id);
    // Two presses arriving together (the second while the first is still planning) are one too.
    const together = await Promise.all(
      [1, 2].map(() =>
        t
          .call<{ operation: Operation }>('scaling.run', {
            request: { kind: 'create-spot-group', pool: 'mesos-spot', count: 1 },
            idempotencyKey: 'same-instant',
          })
          .catch((e: Error) => e),
      ),
    );
    expect(together.map((r) => (r instanceof Error ? r.message : r.operation.id))).toEqual([expect.any(String), expect.any(String)]);
    expect(new Set(together.map((r) => (r as { operation: Operation }).operation.id)).size).toBe(1);
    const busy = await t.fail('scaling.run', {
      request: { kind: 'set-desired', pool: 'mesos-on-demand', count: 4 },
      idempotencyKey: 'other-press',
    });
    expect(busy.code).toBe('SCALE_BUSY');
    await ended(first.id);
    expect(await agentsOf('mesos-on-demand')).toHaveLength(3);
  });
});

describe('holds', () => {
  it('a held pool refuses every downscale, and nothing is terminated; released, it scales down', async () => {
    const { hold: h } = await hold({ kind: 'pool', pool: 'mesos-on-demand' });
    expect(h).toMatchObject({
      pool: 'mesos-on-demand',
      reason: 'model failed, debugging',
      target: { kind: 'pool', pool: 'mesos-on-demand' },
    });
    const p = await plan({ kind: 'set-desired', pool: 'mesos-on-demand', count: 1 });
    expect(p.refusals[0]).toMatch(/is held until .*\(the whole mesos-on-demand pool is held\): "model failed, debugging"/);
    const refused = await t.fail('scaling.run', { request: p.request, idempotencyKey: 'held-press-1' });
    expect(refused.code).toBe('INSTANCE_HELD');
    const machine = (await instances('mesos-on-demand')).instances[0]!;
    expect(machine.hold).toMatchObject({ via: 'pool', reason: 'model failed, debugging' });
    expect(
      (
        await t.fail('scaling.run', {
          request: { kind: 'remove', pool: 'mesos-on-demand', instanceIds: [machine.id] },
          idempotencyKey: 'held-press-2',
        })
      ).code,
    ).toBe('INSTANCE_HELD');
    expect(await agentsOf('mesos-on-demand')).toHaveLength(2);
    expect((await poolNamed('mesos-on-demand')).scaleDown).toEqual({ allowed: false, why: expect.stringContaining('is held') });

    expect((await t.call<{ released: boolean }>('holds.release', { id: h.id })).released).toBe(true);
    expect((await t.call<{ holds: HoldView[] }>('holds.list')).holds).toEqual([]);
    expect((await instances('mesos-on-demand')).instances[0]!.hold).toBeNull();
    const op = await run(p.request);
    expect((await ended(op.id)).state).toBe('succeeded');
    expect(await agentsOf('mesos-on-demand')).toHaveLength(1);
    const kinds = (await t.call<{ entries: AuditEntry[] }>('audit.list', {})).entries.map((e) => e.kind);
    expect(kinds.slice(0, 3)).toEqual(['scale.set-desired', 'hold.release', 'hold.set']);
  });

  it('a held instance is left out when the pool shrinks, and is refused when named', async () => {
    const [first, second] = (await instances('mesos-on-demand')).instances;
    await hold({ kind: 'instance', instanceId: first!.id });
    const p = await plan({ kind: 'set-desired', pool: 'mesos-on-demand', count: 1 });
    expect(p.refusals).toEqual([]);
    expect(p.remove.map((r) => r.instanceId)).toEqual([second!.id]);
    const named = await plan({ kind: 'remove', pool: 'mesos-on-demand', instanceIds: [first!.id] });
    expect(named.refusals).toHaveLength(1);
  });

  it('expires by itself', async () => {
    // The console's clock is moved past the hold: a real 300 ms one could end before a busy machine asks.
    await hold({ kind: 'pool', pool: 'mesos-on-demand' }, 'short one', 60_000);
    expect((await plan({ kind: 'set-desired', pool: 'mesos-on-demand', count: 1 })).refusals).toHaveLength(1);
    t.advanceClock(60_001);
    await waitFor(
      'the hold to expire',
      async () => (await plan({ kind: 'set-desired', pool: 'mesos-on-demand', count: 1 })).refusals.length === 0,
    );
    expect((await t.call<{ holds: HoldView[] }>('holds.list')).holds).toEqual([]);
  });

  it('refuses a hold without a reason, in the past, or on a fixed pool', async () => {
    expect(
      (await t.fail('holds.set', { target: { kind: 'pool', pool: 'mesos-on-demand' }, until: Date.now() + 1000, reason: '' })).code,
    ).toBe('CONTRACT_INVALID_INPUT');
    expect(
      (await t.fail('holds.set', { target: { kind: 'pool', pool: 'mesos-on-demand' }, until: Date.now() - 1000, reason: 'why not' })).code,
    ).toBe('HOLD_INVALID');
    expect(
      (await t.fail('holds.set', { target: { kind: 'pool', pool: 'mesos-fixed' }, until: Date.now() + 1000, reason: 'why not' })).code,
    ).toBe('HOLD_INVALID');
    expect(
      (await t.fail('holds.set', { target: { kind: 'instance', instanceId: 'i-nope' }, until: Date.now() + 1000, reason: 'why not' })).code,
    ).toBe('INSTANCE_NOT_FOUND');
  });
});

describe('spot groups and specific instances', () => {
  it('a spot group of compatible types comes up as agents, and releasing it terminates them', async () => {
    const refused = await plan({ kind: 'create-spot-group', pool: 'mesos-spot', count: 2, instanceTypes: ['m5.2xlarge', 'r5.2xlarge'] });
    expect(refused.refusals[0]).toMatch(/r5\.2xlarge/);
    const op = await run({
      kind: 'create-spot-group',
      pool: 'mesos-spot',
      count: 3,
      instanceTypes: ['m5.2xlarge', 'm5n.2xlarge', 'm5d.2xlarge'],
    });
    const done = await ended(op.id);
    expect(done.state).toBe('succeeded');
    const group = (done.result as { spotGroup: string }).spotGroup;
    const spot = await agentsOf('mesos-spot');
    expect(spot.map((a) => a.instanceType).sort()).toEqual(['m5.2xlarge', 'm5d.2xlarge', 'm5n.2xlarge']);
    expect((await poolNamed('mesos-spot')).groups).toEqual([
      { id: group, instances: 3, instanceTypes: ['m5.2xlarge', 'm5n.2xlarge', 'm5d.2xlarge'] },
    ]);
    expect((await instances('mesos-spot')).instances.every((i) => i.lifecycle === 'spot' && i.spotGroup === group)).toBe(true);

    const release = await plan({ kind: 'delete-spot-group', pool: 'mesos-spot', groupId: group });
    expect(release.remove).toHaveLength(3);
    expect(release.requires.typedName).toBe('mesos-spot');
    expect((await ended((await run(release.request, { typedName: 'mesos-spot' })).id)).state).toBe('succeeded');
    expect(await agentsOf('mesos-spot')).toEqual([]);
  });

  it('a partly fulfilled spot group is kept, and the operation says what was short and why', async () => {
    await t.close();
    // AWS may launch fewer spot instances than asked; the provider reports the shortfall.
    t = openConsole(t.dataDir, {
      wrapProvider: (p) => ({
        ...p,
        createSpotGroup: async (req) => ({
          ...(await p.createSpotGroup({ ...req, count: req.count - 1 })),
          requested: req.count,
          shortfall: [
            'InsufficientInstanceCapacity: There is no Spot capacity available that matches your request. (m5n.2xlarge in local)',
          ],
        }),
      }),
    });
    await t.console.ready;
    const done = await ended((await run({ kind: 'create-spot-group', pool: 'mesos-spot', count: 3 })).id);
    expect(done.state).toBe('succeeded');
    expect(done.error).toMatch(
      /^Partly fulfilled: 2 of 3 spot nodes arrived \(InsufficientInstanceCapacity: .*m5n\.2xlarge.*\)\. Keep group mesos-spot-\w+, or release it/,
    );
    expect(await agentsOf('mesos-spot')).toHaveLength(2);
    expect((await poolNamed('mesos-spot')).groups[0]).toMatchObject({ instances: 2 });
  });

  it('a specific instance launched by name lets a job waiting for its slave type run', async () => {
    const spec = job({ name: 'needs-model', cmdline: 'sleep 600', constraints: { 'slave-type': 'model' } });
    const [k] = await t.create(jobFile(spec));
    await waitForState(t, k!, 'PENDING');
    const reason = await waitFor('a pending reason', async () => (await t.attempts(k!)).at(-1)?.pendingReason ?? undefined);
    expect(reason).toMatch(/slave-type/);
    const op = await run({ kind: 'launch-specific', pool: 'model', instanceType: 'r5.2xlarge', name: 'bert' });
    const done = await ended(op.id);
    expect(done).toMatchObject({ state: 'succeeded', result: { name: 'embedded-model-bert' } });
    const machine = (await instances('model')).instances[0]!;
    expect(machine).toMatchObject({ name: 'embedded-model-bert', type: 'r5.2xlarge', lifecycle: 'on-demand', autoScalingGroup: null });
    await waitForState(t, keyOf({ name: 'needs-model' }), 'RUNNING');
  });
});
