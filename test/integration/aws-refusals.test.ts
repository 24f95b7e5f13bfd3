import { describe, expect, it } from 'vitest';
import { ec2ErrorBody } from './fixtures/moto-faults.js';
import { failure, useMoto } from './fixtures/moto-harness.js';
import { seeded } from './fixtures/moto-seed.js';

// What moto never answers (it always fulfils and authorises everything), canned by the proxy in
// the exact shapes AWS uses, to show how the provider reports each.
const h = useMoto();

const specific = {
  operationId: 'op-model',
  launchTemplate: seeded.launchTemplate,
  instanceType: 'r5.4xlarge',
  name: 'cantareira-dev-model-1',
  slaveType: 'model',
};

const partialFleet = `<?xml version="1.0" encoding="UTF-8"?>
<CreateFleetResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>fault-proxy</requestId>
  <fleetId>fleet-partial</fleetId>
  <errorSet><item>
    <launchTemplateAndOverrides><overrides><instanceType>m5n.2xlarge</instanceType><subnetId>subnet-a</subnetId></overrides></launchTemplateAndOverrides>
    <lifecycle>spot</lifecycle><errorCode>InsufficientInstanceCapacity</errorCode>
    <errorMessage>There is no Spot capacity available that matches your request.</errorMessage>
  </item></errorSet>
  <fleetInstanceSet><item>
    <lifecycle>spot</lifecycle><instanceType>m5.2xlarge</instanceType>
    <instanceIds><item>i-0aaa</item><item>i-0bbb</item></instanceIds>
  </item></fleetInstanceSet>
</CreateFleetResponse>`;

describe('what AWS refuses', () => {
  it('a partly fulfilled spot group reports what arrived and why the rest did not', async () => {
    h.proxy.failNext('CreateFleet', { status: 200, body: partialFleet });
    const group = await h.aws.createSpotGroup({
      operationId: 'op-spot',
      groupName: 'spot-run42',
      launchTemplate: seeded.launchTemplate,
      instanceTypes: ['m5.2xlarge', 'm5n.2xlarge'],
      subnetIds: ['subnet-a'],
      count: 3,
      name: 'cantareira-dev-spot-run7',
      slaveType: 'spot-run7',
    });
    expect(group).toEqual({
      groupId: 'fleet-partial',
      requested: 3,
      instanceIds: ['i-0aaa', 'i-0bbb'],
      shortfall: ['InsufficientInstanceCapacity: There is no Spot capacity available that matches your request. (m5n.2xlarge in subnet-a)'],
    });
  });

  it('a denied launch names the missing action and is not retried', async () => {
    h.proxy.failNext('RunInstances', {
      status: 403,
      body: ec2ErrorBody(
        'UnauthorizedOperation',
        'You are not authorized to perform this operation. Encoded authorization failure message: x1',
      ),
    });
    const e = await failure(h.aws.launchSpecific(specific));
    expect(e.code).toBe('AWS_UNAUTHORIZED');
    expect(e.message).toBe('The AWS principal is not allowed to call ec2:RunInstances.');
    expect(h.proxy.requests.filter((r) => r.action === 'RunInstances')).toHaveLength(1);
  });

  it('an Auto Scaling AccessDenied names the action AWS reports', async () => {
    h.proxy.failNext('SetDesiredCapacity', {
      status: 403,
      body: '<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:sts::123456789012:assumed-role/Ops/me is not authorized to perform: autoscaling:SetDesiredCapacity on resource: cantareira-dev-mesos-on-demand</Message></Error><RequestId>x</RequestId></ErrorResponse>',
    });
    const e = await failure(h.aws.scaleGroup({ operationId: 'op-up', group: seeded.group, desired: 2 }));
    expect(e.code).toBe('AWS_UNAUTHORIZED');
    expect(e.message).toContain('autoscaling:SetDesiredCapacity');
  });

  it('missing capacity names the instance type and the zone', async () => {
    const body = ec2ErrorBody(
      'InsufficientInstanceCapacity',
      'We currently do not have sufficient r5.4xlarge capacity in the Availability Zone you requested (us-east-1c).',
    );
    // AWS answers this with a 500, which the SDK retries like any 5xx before giving up.
    h.proxy.failNext('RunInstances', ...Array.from({ length: 3 }, () => ({ status: 500, body })));
    const e = await failure(h.aws.launchSpecific(specific));
    expect(e.code).toBe('AWS_CAPACITY');
    expect(e.message).toBe('AWS has no capacity for r5.4xlarge in us-east-1c right now.');
  });

  it('a replayed launch whose instance is already terminated is reported as done, with no instance', async () => {
    h.proxy.failNext('RunInstances', {
      status: 400,
      body: ec2ErrorBody('IdempotentInstanceTerminated', 'The instance launched with this client token has been terminated.'),
    });
    const res = await h.aws.launchSpecific(specific);
    expect(res.instanceId).toBeNull();
    expect(await h.aws.listInstances('cantareira-dev-model-')).toEqual([]);
  });

  it('downscaling an instance that does not exist terminates nothing', async () => {
    const e = await failure(h.aws.downscale('op-down', ['i-0123456789abcdef0'], Date.now()));
    expect(e.code).toBe('AWS_NOT_FOUND');
    expect(h.proxy.requests.map((r) => r.action)).toEqual(['DescribeInstances']);
  });
});
