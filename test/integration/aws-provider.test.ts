import { AutoScalingClient, DescribeAutoScalingInstancesCommand } from '@aws-sdk/client-auto-scaling';
import { describe, expect, it } from 'vitest';
import { clientToken } from '../../core/cloud/aws-clients.js';
import { waitForGroup } from '../../core/cloud/wait.js';
import { motoCredentials, motoRegion } from './fixtures/moto.js';
import { failure, useMoto } from './fixtures/moto-harness.js';
import { seeded } from './fixtures/moto-seed.js';

const h = useMoto();

const spotRequest = (operationId: string, instanceTypes: string[]) => ({
  operationId,
  groupName: 'spot-run42',
  launchTemplate: seeded.launchTemplate,
  instanceTypes,
  subnetIds: h.seed.subnetIds.slice(0, 1),
  count: 3,
  name: 'cantareira-dev-spot-run42',
  slaveType: 'spot-run42',
});

describe('on-demand Auto Scaling group', () => {
  it('scales up 0 → 3 and down to 1, tagging launches with the operation', async () => {
    const up = await h.aws.scaleGroup({ operationId: 'op-up', group: seeded.group, desired: 3 });
    expect(up).toEqual({ group: seeded.group, previous: 0, desired: 3, min: 0, max: 10 });
    const waited = await waitForGroup(h.aws, seeded.group, 3, { intervalMs: 50, timeoutMs: 5_000 });
    expect(waited.reached).toBe(true);
    let cap = await h.aws.groupCapacity(seeded.group);
    expect([cap.desired, cap.inService, cap.instanceIds.length]).toEqual([3, 3, 3]);
    const listed = await h.aws.listInstances(seeded.onDemandPrefix);
    expect(listed).toHaveLength(3);
    for (const i of listed) {
      expect(i).toMatchObject({ autoScalingGroup: seeded.group, lifecycle: 'on-demand', state: 'running', operationId: 'op-up' });
      expect(i.privateIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      expect(i.launchTime).toBeGreaterThan(0);
    }

    await h.aws.scaleGroup({ operationId: 'op-down', group: seeded.group, desired: 1 });
    cap = await h.aws.groupCapacity(seeded.group);
    expect([cap.desired, cap.instanceIds.length]).toEqual([1, 1]);
    expect(await h.aws.listInstances(seeded.onDemandPrefix)).toHaveLength(1);
  });

  it('refuses a count beyond the maximum, naming the limits, and changes nothing', async () => {
    const e = await failure(h.aws.scaleGroup({ operationId: 'op-big', group: seeded.group, desired: 11 }));
    expect(e.code).toBe('SCALE_OUT_OF_RANGE');
    expect(e.message).toContain('between 0 and 10');
    expect(h.proxy.requests.map((r) => r.action)).toEqual(['DescribeAutoScalingGroups']);
    expect((await h.aws.groupCapacity(seeded.group)).desired).toBe(0);
  });

  it('downscales a member with TerminateInstanceInAutoScalingGroup, lowering desired capacity', async () => {
    await h.aws.scaleGroup({ operationId: 'op-up', group: seeded.group, desired: 3 });
    const [victim] = await h.aws.listInstances(seeded.onDemandPrefix);
    const res = await h.aws.downscale('op-down', [victim!.id], Date.now());
    expect(res).toEqual({ fromGroups: [victim!.id], terminated: [] });
    const cap = await h.aws.groupCapacity(seeded.group);
    // Desired went down with it, so the group launched no replacement.
    expect([cap.desired, cap.instanceIds.length]).toEqual([2, 2]);
    expect(cap.instanceIds).not.toContain(victim!.id);
    expect(h.proxy.requests.some((r) => r.action === 'TerminateInstances')).toBe(false);
  });

  it('holds tag the instance and protect it from scale-in; a held instance is not downscaled', async () => {
    await h.aws.scaleGroup({ operationId: 'op-up', group: seeded.group, desired: 2 });
    const [held, other] = await h.aws.listInstances(seeded.onDemandPrefix);
    const until = Date.parse('2030-01-01T18:00:00Z');
    await h.aws.setHold({ operationId: 'op-hold', instanceIds: [held!.id], until, reason: 'model failed, reading logs' });

    const after = (await h.aws.listInstances(seeded.onDemandPrefix)).find((i) => i.id === held!.id)!;
    expect(after.hold).toEqual({ until, reason: 'model failed, reading logs' });
    expect(after.tags['cantareira:hold-until']).toBe('2030-01-01T18:00:00.000Z');
    const asg = new AutoScalingClient({ region: motoRegion, endpoint: h.moto.endpoint, credentials: motoCredentials });
    const protection = async () => {
      const res = await asg.send(new DescribeAutoScalingInstancesCommand({ InstanceIds: [held!.id, other!.id] }));
      return Object.fromEntries((res.AutoScalingInstances ?? []).map((i) => [i.InstanceId, i.ProtectedFromScaleIn]));
    };
    expect(await protection()).toEqual({ [held!.id]: true, [other!.id]: false });

    const e = await failure(h.aws.downscale('op-down', [other!.id, held!.id], Date.now()));
    expect(e.code).toBe('INSTANCE_HELD');
    expect(e.message).toContain(held!.id);
    expect((await h.aws.groupCapacity(seeded.group)).instanceIds).toHaveLength(2);

    await h.aws.releaseHold('op-release', [held!.id]);
    expect((await h.aws.listInstances(seeded.onDemandPrefix)).find((i) => i.id === held!.id)!.hold).toBeNull();
    expect((await protection())[held!.id]).toBe(false);
    asg.destroy();
  });
});

describe('spot groups', () => {
  it('creates an instant fleet of compatible types, tagged, and deleting it terminates them', async () => {
    const group = await h.aws.createSpotGroup(spotRequest('op-spot', ['m5.2xlarge', 'm5n.2xlarge', 'm5d.2xlarge']));
    expect(group.requested).toBe(3);
    expect(group.instanceIds).toHaveLength(3);
    expect(group.shortfall).toEqual([]);
    const wire = h.proxy.requests.find((r) => r.action === 'CreateFleet')!.params;
    expect(wire.get('Type')).toBe('instant');
    // One override per compatible type.
    expect([1, 2, 3].map((n) => wire.get(`LaunchTemplateConfigs.1.Overrides.${n}.InstanceType`))).toEqual([
      'm5.2xlarge',
      'm5n.2xlarge',
      'm5d.2xlarge',
    ]);

    const listed = await h.aws.listInstances('cantareira-dev-spot-');
    expect(listed.map((i) => i.id).sort()).toEqual([...group.instanceIds].sort());
    for (const i of listed)
      expect(i).toMatchObject({ lifecycle: 'spot', autoScalingGroup: null, operationId: 'op-spot', tags: { 'slave-type': 'spot-run42' } });

    await h.aws.deleteSpotGroup('op-release', group.groupId);
    expect(await h.aws.listInstances('cantareira-dev-spot-')).toEqual([]);
  });

  it('refuses incompatible types before any AWS call', async () => {
    for (const [types, offender] of [
      [['m5.2xlarge', 'r5.2xlarge'], 'r5.2xlarge'],
      [['m5.2xlarge', 'm5.xlarge'], 'm5.xlarge'],
    ] as const) {
      const e = await failure(h.aws.createSpotGroup(spotRequest('op-bad', [...types])));
      expect(e.code).toBe('SPOT_TYPES_INCOMPATIBLE');
      expect(e.message).toContain(offender);
    }
    expect(h.proxy.requests).toEqual([]);
  });
});

describe('specific on-demand instances', () => {
  it('launches one named, tagged instance with a ClientToken derived from the operation', async () => {
    const res = await h.aws.launchSpecific({
      operationId: 'op-model',
      launchTemplate: seeded.launchTemplate,
      instanceType: 'r5.4xlarge',
      name: 'cantareira-dev-model-1',
      slaveType: 'model',
    });
    expect(res.clientToken).toBe(clientToken('op-model', 'specific:r5.4xlarge:'));
    const [i, ...rest] = await h.aws.listInstances('cantareira-dev-model-');
    expect(rest).toEqual([]);
    expect(i).toMatchObject({
      id: res.instanceId,
      type: 'r5.4xlarge',
      lifecycle: 'on-demand',
      autoScalingGroup: null,
      name: 'cantareira-dev-model-1',
      operationId: 'op-model',
    });
    expect(i!.tags['slave-type']).toBe('model');
    const wire = h.proxy.requests.filter((r) => r.action === 'RunInstances').map((r) => r.params);
    expect(wire).toHaveLength(1);
    expect([wire[0]!.get('MinCount'), wire[0]!.get('MaxCount'), wire[0]!.get('ClientToken')]).toEqual(['1', '1', res.clientToken]);
  });

  it('sends the same ClientToken on every retry and on a second press', async () => {
    h.proxy.failNext('RunInstances', 'throttle', 'drop');
    const req = {
      operationId: 'op-retry',
      launchTemplate: seeded.launchTemplate,
      instanceType: 'm5.large',
      name: 'cantareira-dev-model-2',
      slaveType: 'model',
    };
    const first = await h.aws.launchSpecific(req);
    const attempts = h.proxy.requests.filter((r) => r.action === 'RunInstances');
    expect(attempts.map((r) => r.fault)).toEqual(['throttle', 'drop', null]);
    expect(new Set(attempts.map((r) => r.params.get('ClientToken')))).toEqual(new Set([first.clientToken]));
    // moto ignores the token (real EC2 would return the first instance): assert the wire only.
    await h.aws.launchSpecific(req);
    expect(
      h.proxy.requests
        .filter((r) => r.action === 'RunInstances')
        .at(-1)!
        .params.get('ClientToken'),
    ).toBe(first.clientToken);
  });
});

describe('throttling, 5xx and dropped connections', () => {
  it('retries Auto Scaling throttling and a 503, then succeeds', async () => {
    h.proxy.failNext('SetDesiredCapacity', 'throttle', '503');
    await h.aws.scaleGroup({ operationId: 'op-up', group: seeded.group, desired: 2 });
    expect(h.proxy.requests.filter((r) => r.action === 'SetDesiredCapacity').map((r) => r.fault)).toEqual(['throttle', '503', null]);
    expect((await h.aws.groupCapacity(seeded.group)).desired).toBe(2);
  });

  it('retries EC2 throttling and a dropped connection when listing', async () => {
    await h.aws.scaleGroup({ operationId: 'op-up', group: seeded.group, desired: 1 });
    h.proxy.failNext('DescribeInstances', 'drop', 'throttle');
    expect(await h.aws.listInstances(seeded.onDemandPrefix)).toHaveLength(1);
  });

  it('maps throttling that outlasts the retries to AWS_THROTTLED', async () => {
    h.proxy.failNext('DescribeInstances', 'throttle', 'throttle', 'throttle');
    const e = await failure(h.aws.listInstances(seeded.onDemandPrefix));
    expect(e.code).toBe('AWS_THROTTLED');
    expect(e.message).toContain('ec2:DescribeInstances');
    expect(e.hint).toBeTruthy();
  });

  it('maps 5xx and dropped connections that outlast the retries to AWS_UNAVAILABLE', async () => {
    h.proxy.failNext('DescribeAutoScalingGroups', '503', '503', '503');
    expect((await failure(h.aws.groupCapacity(seeded.group))).code).toBe('AWS_UNAVAILABLE');
    h.proxy.failNext('DescribeInstances', 'drop', 'drop', 'drop');
    expect((await failure(h.aws.listInstances(seeded.onDemandPrefix))).code).toBe('AWS_UNAVAILABLE');
  });

  it('reports a missing group as AWS_NOT_FOUND', async () => {
    const e = await failure(h.aws.scaleGroup({ operationId: 'op-x', group: 'no-such-group', desired: 1 }));
    expect(e.code).toBe('AWS_NOT_FOUND');
  });
});
