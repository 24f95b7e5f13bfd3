/**
 * Crash safety of scaling against moto: a console runs an operation in a child process and is
 * killed with SIGKILL at a chosen point (in the cancel window, just before the mutating AWS call,
 * just after it returned, while waiting for the machines); the next start reconciles the journal
 * from what AWS shows. Afterwards exactly the intended instances exist, never a second launch,
 * and the journal says what happened.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { awsProvider } from '../../core/cloud/aws.js';
import type { CloudProvider } from '../../core/cloud/provider.js';
import type { Scaling } from '../../core/scaling/service.js';
import { openStore, type Store } from '../../core/store/index.js';
import type { OperationRecord } from '../../core/store/operations.js';
import { motoCredentials, motoRegion, startMoto, type Moto } from './fixtures/moto.js';
import { seedCluster, seeded } from './fixtures/moto-seed.js';
import {
  devProfile,
  motoReader,
  prefixes,
  profileId,
  scalingFor,
  settled,
  type CrashScenario,
  type KillPoint,
  type MotoReader,
} from './fixtures/scaling-aws.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const child = fileURLToPath(new URL('./fixtures/scaling-aws-child.ts', import.meta.url));

let moto: Moto;
let reader: MotoReader;
let dir: string;
let file: string;
const opened: { store: Store; provider: CloudProvider; scaling: Scaling }[] = [];

beforeAll(async () => {
  moto = await startMoto();
  reader = motoReader(moto.endpoint);
}, 30_000);

afterAll(async () => {
  reader?.close();
  await moto?.stop();
});

beforeEach(async () => {
  await moto.reset();
  const seed = await seedCluster(moto.endpoint);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cantareira-scaling-crash-'));
  file = path.join(dir, 'cantareira.db');
  const store = openStore(file);
  store.profiles.ensure(devProfile(seed), Date.now());
  store.close();
  // Resetting and seeding moto took over vitest's 10 s hook limit on a loaded machine.
}, 60_000);

afterEach(async () => {
  for (const o of opened.splice(0)) {
    await o.scaling.close();
    o.provider.close();
    o.store.close();
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs the child until it kills itself at `point`; returns the id of the operation it started. */
function crashAt(scenario: CrashScenario, point: KillPoint): Promise<string> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, moto.endpoint, file, scenario, point], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    // Only a child that never reaches its kill point gets here; it is stopped by its pid.
    const stuck = setTimeout(() => {
      if (proc.pid !== undefined) process.kill(proc.pid, 'SIGKILL');
    }, 20_000);
    proc.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    proc.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    proc.on('error', reject);
    proc.on('close', (code, signal) => {
      clearTimeout(stuck);
      const op = /^op (\S+)$/m.exec(out)?.[1];
      if (signal !== 'SIGKILL') return reject(new Error(`the child exited on its own (code ${code}):\n${out}\n${err}`));
      if (!out.includes(`kill ${point}\n`)) return reject(new Error(`the child was killed, but not at ${point}:\n${out}\n${err}`));
      if (!op) return reject(new Error(`the child died before journaling an operation:\n${out}\n${err}`));
      resolve(op);
    });
  });
}

/** What the crash left in the journal, read before anything reconciles it. */
function leftOpen(opId: string): { op: OperationRecord; calls: { call: string; result: string | null }[] } {
  const store = openStore(file);
  try {
    const op = store.operations.get(profileId, opId);
    if (!op) throw new Error(`the journal has no operation ${opId}`);
    return { op, calls: store.operations.steps(opId).map((s) => ({ call: s.call.split(' ')[0]!, result: s.result })) };
  } finally {
    store.close();
  }
}

/** The next start: the same store, a fresh provider and service; resolves once reconciled. */
async function restart(): Promise<Scaling> {
  const store = openStore(file);
  const provider = awsProvider({ region: motoRegion, endpoint: moto.endpoint, credentials: motoCredentials });
  const scaling = scalingFor(store, provider);
  opened.push({ store, provider, scaling });
  await scaling.ready;
  return scaling;
}

const taggedWith = (opId: string) => reader.instances([{ Name: 'tag:cantareira:operation', Values: [opId] }]);
const reconcileNotes = (scaling: Scaling, opId: string) =>
  scaling
    .operation(opId)
    .steps.filter((s) => s.call === 'reconcile after restart')
    .map((s) => s.result);

/** The journal entry is closed and the pool is free for the next operation. */
function nothingOpen(scaling: Scaling) {
  expect(scaling.operations(true, 10)).toEqual([]);
}

describe('launch-specific, killed', () => {
  it('in the cancel window: cancelled at the next start, nothing launched', async () => {
    const opId = await crashAt('launch', 'window');
    expect(leftOpen(opId)).toMatchObject({ op: { state: 'pending' }, calls: [] });

    const scaling = await restart();
    const { operation, steps } = scaling.operation(opId);
    expect(operation).toMatchObject({ state: 'cancelled', error: 'The console stopped during the cancel window; nothing was called.' });
    expect(steps.filter((s) => s.call !== 'reconcile after restart')).toEqual([]);
    expect(await taggedWith(opId)).toEqual([]);
    expect(await reader.live(prefixes.model)).toEqual([]);
    nothingOpen(scaling);
  });

  it('just before RunInstances: failed "before anything was launched", nothing launched', async () => {
    const opId = await crashAt('launch', 'before');
    // The call was journaled before it was made, and never answered.
    expect(leftOpen(opId)).toMatchObject({ op: { state: 'running' }, calls: [{ call: 'launchSpecific', result: null }] });

    const scaling = await restart();
    const { operation } = scaling.operation(opId);
    expect(operation.state).toBe('failed');
    expect(operation.error).toBe('Interrupted by a console restart before anything was launched; nothing is running for it.');
    expect(reconcileNotes(scaling, opId)).toEqual(['instances tagged with this operation: none']);
    expect(await taggedWith(opId)).toEqual([]);
    expect(await reader.live(prefixes.model)).toEqual([]);
    nothingOpen(scaling);
  });

  for (const { point, when } of [
    { point: 'after' as const, when: 'just after RunInstances returned' },
    { point: 'wait' as const, when: 'while waiting for the instance to be ready' },
  ])
    it(`${when}: succeeded from the tags at the next start, exactly one instance`, async () => {
      const opId = await crashAt('launch', point);
      const left = leftOpen(opId);
      expect(left.op.state).toBe('running');
      if (point === 'after') {
        expect(left.calls).toEqual([{ call: 'launchSpecific', result: null }]);
      } else {
        expect(left.calls).toEqual([{ call: 'launchSpecific', result: expect.stringMatching(/^ok /) }]);
        expect(left.op.progress).toMatchObject({ done: 0, total: 1 });
      }

      const scaling = await restart();
      const launched = await taggedWith(opId);
      expect(launched).toHaveLength(1);
      const id = launched[0]!.InstanceId!;
      expect(launched[0]!.State?.Name).toBe('running');
      expect(reader.tag(launched[0]!, 'Name')).toBe(`${prefixes.model}crash-1`);
      expect((await reader.live(prefixes.model)).map((i) => i.InstanceId)).toEqual([id]);

      const { operation } = scaling.operation(opId);
      expect(operation).toMatchObject({ state: 'succeeded', error: null, result: { instanceId: id, reconciled: true } });
      expect(reconcileNotes(scaling, opId)).toEqual([`instances tagged with this operation: ${id}`]);
      nothingOpen(scaling);
    });
});

describe('on-demand scale-up to 3, killed', () => {
  it('in the cancel window: cancelled at the next start, the group untouched', async () => {
    const opId = await crashAt('scale-up', 'window');
    expect(leftOpen(opId)).toMatchObject({ op: { state: 'pending' }, calls: [] });

    const scaling = await restart();
    const { operation, steps } = scaling.operation(opId);
    expect(operation).toMatchObject({ state: 'cancelled', error: 'The console stopped during the cancel window; nothing was called.' });
    expect(steps.filter((s) => s.call !== 'reconcile after restart')).toEqual([]);
    expect(await reader.group()).toEqual({ desired: 0, members: [], inService: 0 });
    nothingOpen(scaling);
  });

  it('just before the group is set: failed, saying the group is still at 0, nothing launched', async () => {
    const opId = await crashAt('scale-up', 'before');
    expect(leftOpen(opId)).toMatchObject({ op: { state: 'running' }, calls: [{ call: 'scaleGroup', result: null }] });

    const scaling = await restart();
    const { operation } = scaling.operation(opId);
    expect(operation.state).toBe('failed');
    expect(operation.error).toBe(
      'Interrupted by a console restart before the group was set: it is at 0, not 3. Nothing was launched by this operation.',
    );
    expect(reconcileNotes(scaling, opId)).toEqual(['group desired 0, 0 members, 0 launched by this operation']);
    expect(await reader.group()).toEqual({ desired: 0, members: [], inService: 0 });
    expect(await taggedWith(opId)).toEqual([]);
    nothingOpen(scaling);
  });

  for (const { point, when } of [
    { point: 'after' as const, when: 'just after the group was set' },
    { point: 'wait' as const, when: 'while waiting for the 3 nodes' },
  ])
    it(`${when}: succeeded at the next start, the group at 3`, async () => {
      const opId = await crashAt('scale-up', point);
      const left = leftOpen(opId);
      expect(left.op.state).toBe('running');
      expect(left.calls).toEqual([{ call: 'scaleGroup', result: point === 'after' ? null : expect.stringMatching(/^ok .*"desired":3/) }]);

      const scaling = await restart();
      const g = await reader.group();
      expect([g.desired, g.members.length]).toEqual([3, 3]);
      const launched = (await taggedWith(opId)).filter((i) => i.State?.Name === 'running');
      expect(launched.map((i) => i.InstanceId).sort()).toEqual(g.members);
      expect(launched.every((i) => reader.tag(i, 'aws:autoscaling:groupName') === seeded.group)).toBe(true);

      const { operation } = scaling.operation(opId);
      expect(operation).toMatchObject({ state: 'succeeded', error: null, result: { desired: 3, members: 3, reconciled: true } });
      expect(reconcileNotes(scaling, opId)).toEqual(['group desired 3, 3 members, 3 launched by this operation']);
      nothingOpen(scaling);
    });
});

describe('spot group of 2, killed', () => {
  it('just before CreateFleet: failed "before anything was launched", no fleet', async () => {
    const opId = await crashAt('spot', 'before');
    expect(leftOpen(opId)).toMatchObject({ op: { state: 'running' }, calls: [{ call: 'createSpotGroup', result: null }] });

    const scaling = await restart();
    expect(scaling.operation(opId).operation).toMatchObject({
      state: 'failed',
      error: 'Interrupted by a console restart before anything was launched; nothing is running for it.',
    });
    expect(reconcileNotes(scaling, opId)).toEqual(['instances tagged with this operation: none']);
    expect(await reader.fleets()).toEqual([]);
    expect(await reader.live(prefixes.spot)).toEqual([]);
    nothingOpen(scaling);
  });

  it('after CreateFleet returned: succeeded with exactly its 2 instances, and the group can still be released', async () => {
    const opId = await crashAt('spot', 'after');
    expect(leftOpen(opId)).toMatchObject({ op: { state: 'running' }, calls: [{ call: 'createSpotGroup', result: null }] });

    const scaling = await restart();
    const launched = await taggedWith(opId);
    expect(launched).toHaveLength(2);
    const ids = launched.map((i) => i.InstanceId!).sort();
    expect((await reader.live(prefixes.spot)).map((i) => i.InstanceId).sort()).toEqual(ids);
    expect(await reader.fleets()).toHaveLength(1);

    const { operation } = scaling.operation(opId);
    const group = `mesos-spot-${opId.slice(0, 8)}`;
    expect(operation).toMatchObject({ state: 'succeeded', error: null, result: { spotGroup: group, requested: 2, reconciled: true } });
    expect((operation.result as { instanceIds: string[] }).instanceIds.sort()).toEqual(ids);
    const notes = reconcileNotes(scaling, opId);
    expect(notes).toHaveLength(1);
    expect(notes[0]!.replace('instances tagged with this operation: ', '').split(', ').sort()).toEqual(ids);
    nothingOpen(scaling);

    // The reconciled group is a group like any other: releasing it terminates its instances.
    expect((await scaling.pools()).find((p) => p.name === 'mesos-spot')!.groups.map((g) => [g.id, g.instances])).toEqual([[group, 2]]);
    const release = await scaling.run({
      request: { kind: 'delete-spot-group', pool: 'mesos-spot', groupId: group },
      idempotencyKey: `release-${opId}`,
      acceptTaskLoss: false,
      typedName: 'mesos-spot',
    });
    expect((await settled(scaling, release.id)).state).toBe('succeeded');
    expect(Object.values(await reader.stateOf(ids))).toEqual(['terminated', 'terminated']);
  });
});

describe('the journal after a restart', () => {
  it('records the reconcile of an operation killed in its cancel window, as it does for every other kill point', async () => {
    const opId = await crashAt('launch', 'window');
    const scaling = await restart();
    expect(scaling.operation(opId).operation.state).toBe('cancelled');
    expect(reconcileNotes(scaling, opId)).toHaveLength(1);
  });
});
