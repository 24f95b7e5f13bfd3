/**
 * Cluster profiles through the contract: create, edit and import them with precise errors, and
 * open a real-cluster profile whose pools live in an AWS account (moto here): its scaling,
 * holds and instances work through EC2 and Auto Scaling, and switching back brings the
 * embedded cluster back.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppStatus, InstanceView, Operation, PoolView, Profile, ProfileDraft } from '../../core/contract/index.js';
import { openConsole, tempDataDir, waitFor, type TestConsole } from './fixtures/embedded-helpers.js';
import { motoCredentials, motoRegion, startMoto, type Moto } from './fixtures/moto.js';
import { seedCluster, seeded } from './fixtures/moto-seed.js';

let moto: Moto;
let t: TestConsole;
beforeAll(async () => {
  moto = await startMoto();
  // The profile names no AWS profile, so the default chain takes these (as it would a developer's keys).
  process.env.AWS_ACCESS_KEY_ID = motoCredentials.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = motoCredentials.secretAccessKey;
}, 30_000);
afterAll(async () => {
  await moto?.stop();
});
beforeEach(async () => {
  await moto.reset();
  t = openConsole(tempDataDir());
  await t.console.ready;
  return () => t.close();
});

const dev = (): ProfileDraft => ({
  name: 'cantareira-dev',
  kind: 'mesos',
  aws: { region: motoRegion, endpoint: moto.endpoint },
  mesos: null,
  aurora: null,
  pools: [
    { name: 'mesos-fixed', kind: 'fixed', instanceTypes: ['m5.2xlarge'], count: 0 },
    {
      name: 'mesos-on-demand',
      kind: 'on-demand',
      instanceTypes: ['m5.2xlarge'],
      count: 0,
      autoScalingGroup: seeded.group,
      namePrefix: seeded.onDemandPrefix,
    },
  ],
});

describe('profiles', () => {
  it('a profile file with mistakes is refused naming each field, and nothing is saved', async () => {
    const notJson = await t.fail('profiles.import', { text: '{"name": "x",', fileName: 'dev.json' });
    expect(notJson).toMatchObject({ code: 'PROFILE_INVALID', message: expect.stringMatching(/^dev\.json is not JSON: /) });
    const bad = await t.fail('profiles.import', {
      text: JSON.stringify({
        name: 'Dev Cluster',
        kind: 'mesos',
        pools: [{ name: 'spot', kind: 'spotty', instanceTypes: ['m5.2xlarge'], count: 0 }],
      }),
    });
    expect(bad.code).toBe('PROFILE_INVALID');
    expect(bad.details).toEqual(expect.arrayContaining([expect.stringMatching(/^name: /), expect.stringMatching(/^pools\[0\]\.kind: /)]));
    const spot = await t.fail('profiles.import', {
      text: JSON.stringify({ ...dev(), pools: [{ name: 'spot', kind: 'spot', instanceTypes: ['m5.2xlarge', 'r5.2xlarge'], count: 0 }] }),
    });
    expect(spot.details).toEqual([expect.stringMatching(/^pools\[0\]\.instanceTypes: .*r5\.2xlarge/)]);
    expect((await t.call<{ profiles: Profile[] }>('profiles.list')).profiles.map((p) => p.name)).toEqual(['embedded']);
  });

  it('creates, edits and re-imports a profile; the built-in one cannot be changed', async () => {
    const { profile } = await t.call<{ profile: Profile }>('profiles.save', { profile: dev() });
    expect(profile).toMatchObject({ name: 'cantareira-dev', kind: 'mesos', builtin: false, aws: { region: 'us-east-1' } });
    const edited = await t.call<{ profile: Profile }>('profiles.save', {
      id: profile.id,
      profile: { ...dev(), aws: { region: 'eu-west-1', profile: 'dev-sso' } },
    });
    expect(edited.profile).toMatchObject({ id: profile.id, aws: { region: 'eu-west-1', profile: 'dev-sso' } });
    // The same name again from a file updates that profile rather than making a second one.
    const again = await t.call<{ profile: Profile; created: boolean }>('profiles.import', { text: JSON.stringify(dev()) });
    expect(again).toMatchObject({ created: false, profile: { id: profile.id } });
    expect((await t.fail('profiles.save', { profile: { ...dev(), name: 'embedded' } })).code).toBe('PROFILE_INVALID');
    expect(
      (await t.fail('profiles.save', { id: 'embedded', profile: { ...dev(), name: 'embedded', kind: 'embedded', aws: null } })).code,
    ).toBe('PROFILE_READ_ONLY');
  });

  it('opens an AWS-backed profile: pools, scaling, holds and instances go to EC2 and Auto Scaling; back to embedded after', async () => {
    await seedCluster(moto.endpoint);
    const { profile } = await t.call<{ profile: Profile }>('profiles.import', {
      text: JSON.stringify(dev()),
      fileName: 'cantareira-dev.json',
    });
    const opened = await t.call<{ activeProfile: { id: string } }>('profiles.open', { id: profile.id });
    expect(opened.activeProfile.id).toBe(profile.id);
    expect((await t.call<AppStatus>('app.status')).activeProfile).toMatchObject({ name: 'cantareira-dev', kind: 'mesos' });

    const pools = await t.call<{ pools: PoolView[]; cloud: string }>('pools.list');
    expect(pools.cloud).toBe('aws');
    expect(pools.pools.find((p) => p.name === 'mesos-on-demand')).toMatchObject({ desired: 0, min: 0, max: seeded.groupMax, instances: 0 });

    const op = (
      await t.call<{ operation: Operation }>('scaling.run', {
        request: { kind: 'set-desired', pool: 'mesos-on-demand', count: 2 },
        idempotencyKey: 'dev-scale-up-1',
      })
    ).operation;
    const done = await waitFor('the scale-up to end', async () => {
      const o = (await t.call<{ operation: Operation }>('operations.get', { id: op.id })).operation;
      return o.state === 'pending' || o.state === 'running' ? undefined : o;
    });
    expect(done).toMatchObject({ state: 'succeeded', result: { desired: 2, ready: 2 } });
    // The audit log names the OS user and the AWS principal the calls ran as.
    expect(done.actor).toMatch(/^.+ as arn:aws:(sts|iam)::123456789012:/);
    const machines = (await t.call<{ instances: InstanceView[] }>('instances.list')).instances;
    expect(machines).toHaveLength(2);
    expect(machines.every((m) => m.autoScalingGroup === seeded.group && m.pool === 'mesos-on-demand' && m.operationId === op.id)).toBe(
      true,
    );

    await t.call('holds.set', {
      target: { kind: 'instance', instanceId: machines[0]!.id },
      until: Date.now() + 3_600_000,
      reason: 'model failed',
    });
    const held = (await t.call<{ instances: InstanceView[] }>('instances.list')).instances.find((m) => m.id === machines[0]!.id)!;
    expect(held.hold).toMatchObject({ reason: 'model failed', via: 'instance' });
    expect(
      (
        await t.fail('scaling.run', {
          request: { kind: 'remove', pool: 'mesos-on-demand', instanceIds: [held.id] },
          idempotencyKey: 'dev-remove-1',
        })
      ).code,
    ).toBe('INSTANCE_HELD');

    // A profile without masters or scheduler says which part is missing, and where to add it.
    const agents = await t.fail('agents.list', {});
    expect(agents).toMatchObject({ code: 'MESOS_NOT_CONNECTED', hint: expect.stringContaining('Mesos master URLs') });
    expect(await t.fail('jobs.list', {})).toMatchObject({
      code: 'AURORA_NOT_CONFIGURED',
      hint: expect.stringContaining('Aurora scheduler URL'),
    });

    const embedded = await t.call<{ activeProfile: { id: string } }>('profiles.open', { id: 'embedded' });
    expect(embedded.activeProfile.id).toBe('embedded');
    expect(await t.agents()).toHaveLength(3);
    expect((await t.call<{ cloud: string }>('pools.list')).cloud).toBe('local');
  });

  it('saving the open profile reopens it, so the change is what runs', async () => {
    await seedCluster(moto.endpoint);
    const { profile } = await t.call<{ profile: Profile }>('profiles.save', { profile: dev() });
    await t.call('profiles.open', { id: profile.id });
    expect((await t.call<{ pools: PoolView[] }>('pools.list')).pools.map((p) => p.name)).toEqual(['mesos-fixed', 'mesos-on-demand']);
    const withModel = {
      ...dev(),
      pools: [...dev().pools, { name: 'model', kind: 'specific' as const, instanceTypes: ['r5.2xlarge'], count: 0 }],
    };
    await t.call('profiles.save', { id: profile.id, profile: withModel });
    const model = (await t.call<{ pools: PoolView[] }>('pools.list')).pools.find((p) => p.name === 'model');
    expect(model).toMatchObject({ kind: 'specific', scaleUp: { allowed: true } });
  });

  it('opening a profile that does not exist keeps the open one', async () => {
    expect((await t.fail('profiles.open', { id: 'nope' })).code).toBe('PROFILE_NOT_FOUND');
    expect(await t.agents()).toHaveLength(3);
  });
});
