/**
 * The scaling service (plan → journal → cancel window → execute → wait) with the `aws` provider,
 * against moto through the fault proxy. Every scenario asserts what moto really holds afterwards
 * and what the journal says, the way an operator reads them on the Scaling and Audit screens.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clientToken } from '../../core/cloud/provider.js';
import type { ScaleRequest } from '../../core/contract/scaling.js';
import type { Scaling } from '../../core/scaling/service.js';
import { openStore, type Store } from '../../core/store/index.js';
import { failure, useMoto } from './fixtures/moto-harness.js';
import { seeded } from './fixtures/moto-seed.js';
import {
  devProfile,
  modelType,
  motoReader,
  mutatingActions,
  prefixes,
  scalingFor,
  settled,
  type MotoReader,
} from './fixtures/scaling-aws.js';

const h = useMoto();

let dir: string;
let store: Store;
let scaling: Scaling;
let moto: MotoReader;
let keys = 0;
/** How far the scaling service's clock has been moved ahead of the real one. */
let skew = 0;
const key = () => `test-key-${++keys}-${Date.now()}`;
/** The journal names the OS user, followed by the AWS principal when the provider can tell it. */
const testUser = expect.stringMatching(/^test-user( as \S+)?$/);

beforeAll(() => {
  moto = motoReader(h.moto.endpoint);
});
afterAll(() => moto?.close());

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cantareira-scaling-aws-'));
  store = openStore(path.join(dir, 'cantareira.db'));
  store.profiles.ensure(devProfile(h.seed), Date.now());
  skew = 0;
  scaling = scalingFor(store, h.aws, { now: () => Date.now() + skew });
});

afterEach(async () => {
  await scaling.close();
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const wire = (action: string) => h.proxy.requests.filter((r) => r.action === action);
const mutations = () => h.proxy.requests.filter((r) => mutatingActions.has(r.action)).map((r) => r.action);

async function runToEnd(request: ScaleRequest, extra: { idempotencyKey?: string; typedName?: string } = {}) {
  const started = await scaling.run({
    request,
    idempotencyKey: extra.idempotencyKey ?? key(),
    acceptTaskLoss: false,
    ...(extra.typedName === undefined ? {} : { typedName: extra.typedName }),
  });
  return { started, ended: await settled(scaling, started.id) };
}

/** Puts `n` members in the group directly through the provider (not a scaling operation). */
async function groupOf(n: number): Promise<string[]> {
  await h.aws.scaleGroup({ operationId: 'setup', group: seeded.group, desired: n });
  const g = await moto.group();
  expect(g.members).toHaveLength(n);
  h.proxy.clear();
  return g.members;
}

describe('on-demand pool (Auto Scaling group)', () => {
  it('scales up to 3: the plan lists 3 adds, the run goes pending → succeeded, and the group has 3 InService nodes', async () => {
    const request: ScaleRequest = { kind: 'set-desired', pool: 'mesos-on-demand', count: 3 };
    const plan = await scaling.plan(request);
    expect(plan).toMatchObject({ current: 0, target: 3, refusals: [], remove: [], summary: 'Add 3 mesos-on-demand nodes (0 → 3)' });
    expect(plan.add).toEqual([0, 1, 2].map(() => ({ instanceType: 'm5.2xlarge', name: null })));
    // Planning reads only.
    expect(mutations()).toEqual([]);

    const { started, ended } = await runToEnd(request);
    expect(started.state).toBe('pending');
    expect(started.startsAt).toBeGreaterThan(started.createdAt);
    expect(ended.state).toBe('succeeded');
    expect(ended.error).toBeNull();
    expect(ended.result).toEqual({ group: seeded.group, previous: 0, desired: 3, ready: 3 });

    const g = await moto.group();
    expect([g.desired, g.members.length, g.inService]).toEqual([3, 3, 3]);
    // What the group launched carries the operation's id (a propagated group tag).
    const live = await moto.live(prefixes.onDemand);
    expect(live.map((i) => moto.tag(i, 'cantareira:operation'))).toEqual([started.id, started.id, started.id]);
    expect(wire('SetDesiredCapacity').map((r) => r.params.get('DesiredCapacity'))).toEqual(['3']);

    const { steps } = scaling.operation(started.id);
    const scaleStep = steps.find((s) => s.call.startsWith('scaleGroup '));
    expect(scaleStep?.call).toContain(`"group":"${seeded.group}"`);
    expect(scaleStep?.result).toMatch(/^ok .*"desired":3/);
    const [entry] = scaling.audit(10, undefined, 'scale');
    expect(entry).toMatchObject({
      id: started.id,
      kind: 'scale.set-desired',
      target: 'mesos-on-demand',
      actor: testUser,
      state: 'succeeded',
    });
  });

  it('scales down to 1 by terminating exactly the planned instances in the group, decrementing desired', async () => {
    const members = await groupOf(3);
    const request: ScaleRequest = { kind: 'set-desired', pool: 'mesos-on-demand', count: 1 };
    const plan = await scaling.plan(request);
    expect(plan.refusals).toEqual([]);
    const going = plan.remove.map((r) => r.instanceId);
    expect(going).toHaveLength(2);
    expect(new Set(going).size).toBe(2);
    for (const id of going) expect(members).toContain(id);
    const staying = members.filter((id) => !going.includes(id));

    const { started, ended } = await runToEnd(request);
    expect(ended.state).toBe('succeeded');
    expect((ended.result as { removed: string[] }).removed.sort()).toEqual([...going].sort());
    expect(scaling.operation(started.id).operation.summary).toBe('Remove 2 mesos-on-demand nodes (3 → 1)');

    const g = await moto.group();
    expect(g.desired).toBe(1);
    expect(g.members).toEqual(staying);
    expect(Object.values(await moto.stateOf(going))).toEqual(['terminated', 'terminated']);
    // Each planned node went through TerminateInstanceInAutoScalingGroup with the decrement, and
    // none through a plain TerminateInstances (which would have the group replace it).
    const tiiasg = wire('TerminateInstanceInAutoScalingGroup');
    expect(tiiasg.map((r) => r.params.get('InstanceId')).sort()).toEqual([...going].sort());
    expect(tiiasg.map((r) => r.params.get('ShouldDecrementDesiredCapacity'))).toEqual(['true', 'true']);
    expect(wire('TerminateInstances')).toEqual([]);
    expect(wire('SetDesiredCapacity')).toEqual([]);
  });

  it('retries throttled Auto Scaling calls and still succeeds', async () => {
    h.proxy.failNext('CreateOrUpdateTags', 'throttle');
    h.proxy.failNext('SetDesiredCapacity', 'throttle');
    const { ended } = await runToEnd({ kind: 'set-desired', pool: 'mesos-on-demand', count: 2 });
    expect(ended.state).toBe('succeeded');
    expect(wire('SetDesiredCapacity').map((r) => r.fault)).toEqual(['throttle', null]);
    expect(wire('CreateOrUpdateTags').map((r) => r.fault)).toEqual(['throttle', null]);
    const g = await moto.group();
    expect([g.desired, g.members.length]).toEqual([2, 2]);
  });

  it('fails with AWS_UNAVAILABLE when the group keeps answering 503, recording the error in the step, and launches nothing', async () => {
    h.proxy.failNext('SetDesiredCapacity', '503', '503', '503');
    const { started, ended } = await runToEnd({ kind: 'set-desired', pool: 'mesos-on-demand', count: 2 });
    expect(ended.state).toBe('failed');
    expect(ended.error).toMatch(/^AWS did not answer autoscaling:SetDesiredCapacity \(after 3 attempts\)/);
    const step = scaling.operation(started.id).steps.find((s) => s.call.startsWith('scaleGroup '));
    expect(step?.result).toMatch(/^error AWS_UNAVAILABLE: AWS did not answer autoscaling:SetDesiredCapacity/);
    expect(wire('SetDesiredCapacity').map((r) => r.fault)).toEqual(['503', '503', '503']);
    const g = await moto.group();
    expect([g.desired, g.members.length]).toEqual([0, 0]);
    expect(scaling.audit(1)[0]).toMatchObject({ id: started.id, state: 'failed', actor: testUser });
  });
});

describe('holds', () => {
  it('tag and protect a held instance; a remove of it is refused; release clears both; an expired hold no longer blocks', async () => {
    const [held, other] = await groupOf(2);
    const hold = await scaling.setHold({ kind: 'instance', instanceId: held! }, Date.now() + 3_600_000, 'model failed, reading logs');
    expect(hold).toMatchObject({ pool: 'mesos-on-demand', actor: testUser, reason: 'model failed, reading logs' });
    const [tagged] = await moto.instances([{ Name: 'instance-id', Values: [held!] }]);
    expect(moto.tag(tagged!, 'cantareira:hold-until')).toBe(new Date(hold.until).toISOString());
    expect(moto.tag(tagged!, 'cantareira:hold-reason')).toBe('model failed, reading logs');
    expect(await moto.protectedFromScaleIn([held!, other!])).toEqual({ [held!]: true, [other!]: false });
    expect(scaling.holds().map((x) => x.id)).toEqual([hold.id]);

    h.proxy.clear();
    const remove: ScaleRequest = { kind: 'remove', pool: 'mesos-on-demand', instanceIds: [held!] };
    expect((await scaling.plan(remove)).refusals).toEqual([expect.stringContaining('is held until')]);
    const refused = await failure(scaling.run({ request: remove, idempotencyKey: key(), acceptTaskLoss: false }));
    expect(refused.code).toBe('INSTANCE_HELD');
    expect(refused.message).toContain('model failed, reading logs');
    expect(mutations()).toEqual([]);
    expect((await moto.group()).members).toEqual([held, other].sort());

    expect(await scaling.releaseHold(hold.id)).toBe(true);
    const [released] = await moto.instances([{ Name: 'instance-id', Values: [held!] }]);
    expect(moto.tag(released!, 'cantareira:hold-until')).toBeUndefined();
    expect(await moto.protectedFromScaleIn([held!])).toEqual({ [held!]: false });
    expect(scaling.holds()).toEqual([]);
    expect(scaling.audit(10, undefined, 'hold').map((e) => [e.kind, e.actor, e.state])).toEqual([
      ['hold.release', testUser, 'succeeded'],
      ['hold.set', testUser, 'succeeded'],
    ]);

    // A short hold: it is in force, then it is past its time and stops counting by itself. The
    // service's clock is moved past it: a real 300 ms hold could end before a busy machine asks.
    const short = await scaling.setHold({ kind: 'instance', instanceId: held! }, Date.now() + 60_000, 'just a moment');
    expect((await scaling.plan(remove)).refusals).toHaveLength(1);
    skew = short.until - Date.now() + 1;
    expect((await scaling.plan(remove)).refusals).toEqual([]);
    const { ended } = await runToEnd(remove);
    expect(ended.state).toBe('succeeded');
    expect(await moto.stateOf([held!])).toEqual({ [held!]: 'terminated' });
    const g = await moto.group();
    expect([g.desired, g.members]).toEqual([1, [other]]);
  });

  it('a fixed pool can be neither scaled nor held', async () => {
    const e = await failure(
      scaling.run({
        request: { kind: 'remove', pool: 'mesos-fixed', instanceIds: ['i-0123456789abcdef0'] },
        idempotencyKey: key(),
        acceptTaskLoss: false,
      }),
    );
    expect(e.code).toBe('SCALE_NOT_ALLOWED');
    expect(e.message).toContain('fixed pool');
    expect((await failure(scaling.setHold({ kind: 'pool', pool: 'mesos-fixed' }, Date.now() + 60_000, 'keep them'))).code).toBe(
      'HOLD_INVALID',
    );
    expect(mutations()).toEqual([]);
  });
});

describe('spot pool', () => {
  it('creates a group of 2 as an instant fleet, lists it, and deleting it terminates its instances', async () => {
    const types = ['m5.2xlarge', 'm5n.2xlarge'];
    const { started, ended } = await runToEnd({ kind: 'create-spot-group', pool: 'mesos-spot', count: 2, instanceTypes: types });
    expect(ended.state).toBe('succeeded');
    const result = ended.result as { spotGroup: string; fleetId: string; instanceIds: string[]; shortfall: string[] };
    expect(result.spotGroup).toBe(`mesos-spot-${started.id.slice(0, 8)}`);
    expect(result.instanceIds).toHaveLength(2);
    expect(result.shortfall).toEqual([]);

    const fleets = await moto.fleets();
    expect(fleets.map((f) => [f.FleetId, f.Type])).toEqual([[result.fleetId, 'instant']]);
    const members = await moto.live(prefixes.spot);
    expect(members.map((i) => i.InstanceId).sort()).toEqual([...result.instanceIds].sort());
    for (const i of members) {
      expect(i.InstanceLifecycle).toBe('spot');
      expect(types).toContain(i.InstanceType);
      expect(moto.tag(i, 'cantareira:spot-group')).toBe(result.spotGroup);
      expect(moto.tag(i, 'cantareira:operation')).toBe(started.id);
      expect(moto.tag(i, 'slave-type')).toBe('mesos-spot');
    }
    const create = wire('CreateFleet');
    expect(create).toHaveLength(1);
    expect(create[0]!.params.get('Type')).toBe('instant');

    const spot = (await scaling.pools()).find((p) => p.name === 'mesos-spot')!;
    expect(spot.groups).toEqual([{ id: result.spotGroup, instances: 2, instanceTypes: expect.any(Array) }]);
    expect(spot.instances).toBe(2);

    h.proxy.clear();
    // It is the pool's only group, so releasing it empties the pool: the name must be typed.
    const release: ScaleRequest = { kind: 'delete-spot-group', pool: 'mesos-spot', groupId: result.spotGroup };
    expect((await scaling.plan(release)).requires).toEqual({ acceptTaskLoss: false, typedName: 'mesos-spot' });
    expect((await failure(scaling.run({ request: release, idempotencyKey: key(), acceptTaskLoss: false }))).code).toBe(
      'SCALE_CONFIRMATION_REQUIRED',
    );
    const del = await runToEnd(release, { typedName: 'mesos-spot' });
    expect(del.ended.state).toBe('succeeded');
    const deletes = wire('DeleteFleets');
    expect(deletes.map((r) => [r.params.get('FleetId.1'), r.params.get('TerminateInstances')])).toEqual([[result.fleetId, 'true']]);
    expect(Object.values(await moto.stateOf(result.instanceIds))).toEqual(['terminated', 'terminated']);
    expect((await scaling.pools()).find((p) => p.name === 'mesos-spot')!.groups).toEqual([]);
  });

  it('refuses incompatible types in the plan and in the run, and sends no CreateFleet', async () => {
    const request: ScaleRequest = { kind: 'create-spot-group', pool: 'mesos-spot', count: 2, instanceTypes: ['m5.2xlarge', 'r5.2xlarge'] };
    const plan = await scaling.plan(request);
    expect(plan.refusals).toEqual([expect.stringContaining('r5.2xlarge is not compatible with m5.2xlarge: different series')]);
    const e = await failure(scaling.run({ request, idempotencyKey: key(), acceptTaskLoss: false }));
    expect(e.code).toBe('SCALE_NOT_ALLOWED');
    expect(e.message).toBe(plan.refusals[0]);
    expect(wire('CreateFleet')).toEqual([]);
    expect(mutations()).toEqual([]);
    expect(scaling.operations(false, 10)).toEqual([]);
    expect(await moto.live(prefixes.spot)).toEqual([]);
  });
});

describe('specific pool', () => {
  it('launches one named instance tagged with the operation, with a ClientToken derived from it that survives a throttled retry', async () => {
    h.proxy.failNext('RunInstances', 'throttle');
    const { started, ended } = await runToEnd({ kind: 'launch-specific', pool: 'model', name: 'train-7' });
    expect(ended.state).toBe('succeeded');

    const live = await moto.live(prefixes.model);
    expect(live).toHaveLength(1);
    const [i] = live;
    expect(moto.tag(i!, 'Name')).toBe(`${prefixes.model}train-7`);
    expect(moto.tag(i!, 'cantareira:operation')).toBe(started.id);
    expect(moto.tag(i!, 'slave-type')).toBe('model');
    expect(i!.InstanceType).toBe(modelType);
    expect(i!.SubnetId).toBe(h.seed.subnetIds[0]);

    const expected = clientToken(started.id, `specific:${modelType}:${h.seed.subnetIds[0]}`);
    const attempts = wire('RunInstances');
    expect(attempts.map((r) => r.fault)).toEqual(['throttle', null]);
    expect(attempts.map((r) => r.params.get('ClientToken'))).toEqual([expected, expected]);
    expect(ended.result).toEqual({ instanceId: i!.InstanceId, name: `${prefixes.model}train-7`, clientToken: expected });
  });
});

describe('the cancel window and repeated presses', () => {
  it('an operation cancelled within its window never calls AWS', async () => {
    const started = await scaling.run({
      request: { kind: 'set-desired', pool: 'mesos-on-demand', count: 3 },
      idempotencyKey: key(),
      acceptTaskLoss: false,
    });
    expect(started.state).toBe('pending');
    const cancelled = scaling.cancel(started.id);
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.error).toContain('Cancelled by test-user before it started');
    expect((await failure(Promise.resolve().then(() => scaling.cancel(started.id)))).code).toBe('OPERATION_NOT_CANCELLABLE');

    // An operation journaled after it, on another pool, has run to its end: the cancelled one's
    // window has passed by then, so anything it would have called would be on the wire.
    const later = await runToEnd({ kind: 'launch-specific', pool: 'model' });
    expect(later.ended.state).toBe('succeeded');
    expect(later.started.startsAt!).toBeGreaterThan(started.startsAt!);
    expect(mutations()).toEqual(['RunInstances']);
    expect(scaling.operation(started.id)).toMatchObject({ operation: { state: 'cancelled' }, steps: [] });
    const g = await moto.group();
    expect([g.desired, g.members.length]).toEqual([0, 0]);
    // And the pool is free again.
    expect((await scaling.pools()).find((p) => p.name === 'mesos-on-demand')!.scaleUp).toEqual({ allowed: true, why: null });
  });

  it('a second run with the same idempotency key returns the same operation and launches nothing more', async () => {
    const request: ScaleRequest = { kind: 'launch-specific', pool: 'model', name: 'once' };
    const k = key();
    const first = await scaling.run({ request, idempotencyKey: k, acceptTaskLoss: false });
    const whilePending = await scaling.run({ request, idempotencyKey: k, acceptTaskLoss: false });
    expect(whilePending.id).toBe(first.id);
    const ended = await settled(scaling, first.id);
    expect(ended.state).toBe('succeeded');
    const afterwards = await scaling.run({ request, idempotencyKey: k, acceptTaskLoss: false });
    expect(afterwards).toMatchObject({ id: first.id, state: 'succeeded' });
    // Give a wrongly started second operation its whole window before looking.
    const other = await runToEnd({ kind: 'set-desired', pool: 'mesos-on-demand', count: 1 });
    expect(other.ended.state).toBe('succeeded');
    expect(wire('RunInstances')).toHaveLength(1);
    expect(await moto.live(prefixes.model)).toHaveLength(1);
    expect(
      scaling
        .operations(false, 10)
        .filter((o) => o.kind === 'scale.launch-specific')
        .map((o) => o.id),
    ).toEqual([first.id]);
  });

  it('two presses at the same moment with the same key start one operation and both get it', async () => {
    const request: ScaleRequest = { kind: 'launch-specific', pool: 'model', name: 'double-click' };
    const k = key();
    const [a, b] = await Promise.allSettled([
      scaling.run({ request, idempotencyKey: k, acceptTaskLoss: false }),
      scaling.run({ request, idempotencyKey: k, acceptTaskLoss: false }),
    ]);
    expect(a.status).toBe('fulfilled');
    expect(
      b.status === 'rejected' ? `rejected: ${String(b.reason)}` : 'fulfilled',
      'the second press must get the same operation, not an error',
    ).toBe('fulfilled');
    if (a.status === 'fulfilled' && b.status === 'fulfilled') expect(b.value.id).toBe(a.value.id);
    if (a.status === 'fulfilled') await settled(scaling, a.value.id);
    expect(await moto.live(prefixes.model)).toHaveLength(1);
  });

  it('two runs on one pool at the same moment: one starts, the other is refused as busy, and one instance is launched', async () => {
    const request: ScaleRequest = { kind: 'launch-specific', pool: 'model' };
    const outcomes = await Promise.allSettled([
      scaling.run({ request, idempotencyKey: key(), acceptTaskLoss: false }),
      scaling.run({ request, idempotencyKey: key(), acceptTaskLoss: false }),
    ]);
    const ok = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    for (const op of ok) await settled(scaling, op.id);
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [(o.reason as { code?: string }).code] : []));
    const launched = (await moto.live(prefixes.model)).length;
    expect({ started: ok.length, refused, launched }).toEqual({ started: 1, refused: ['SCALE_BUSY'], launched: 1 });
  });
});
