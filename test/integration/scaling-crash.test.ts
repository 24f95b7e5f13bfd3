/**
 * A console killed with SIGKILL in the middle of a scaling operation: the next start reconciles
 * the journal from the machines' operation tags before anything new runs. Exactly the intended
 * machines exist (none launched twice, none forgotten), and the journal says what happened.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { InstanceView, Operation, OperationStep, ScaleRequest } from '../../core/contract/index.js';
import { openConsole, repoRoot, tempDataDir, type TestConsole } from './fixtures/embedded-helpers.js';

const fixture = path.join(repoRoot, 'test/integration/fixtures/scaling-child.ts');
let t: TestConsole | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

/** Runs the child to its kill; resolves with the id of the operation it started (if it got that far). */
function crashAt(dataDir: string, killAt: string, request: ScaleRequest | { kind: 'hold'; target: unknown }): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, dataDir, killAt, JSON.stringify(request)], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`child ended with ${code ?? signal}, not SIGKILL: ${err}`));
      else resolve(out.trim() || null);
    });
  });
}

async function afterRestart(dataDir: string) {
  t = openConsole(dataDir);
  await t.console.ready;
  const ops = (await t.call<{ operations: Operation[] }>('operations.list', { limit: 10 })).operations.filter(
    (o) => o.kind.startsWith('scale.') || o.kind.startsWith('hold.'),
  );
  expect(ops).toHaveLength(1);
  const op = ops[0]!;
  const { steps } = await t.call<{ operation: Operation; steps: OperationStep[] }>('operations.get', { id: op.id });
  const machines = (pool: string) => t!.call<{ instances: InstanceView[] }>('instances.list', { pool }).then((r) => r.instances);
  return { op, steps, machines };
}

const scaleUp: ScaleRequest = { kind: 'set-desired', pool: 'mesos-on-demand', count: 4 };
const specific: ScaleRequest = { kind: 'launch-specific', pool: 'model', instanceType: 'r5.2xlarge', name: 'crash-test' };
const spot: ScaleRequest = { kind: 'create-spot-group', pool: 'mesos-spot', count: 2 };

describe('a console killed mid-operation, restarted', () => {
  it('during the cancel window: the operation is cancelled, nothing was launched', async () => {
    const dir = tempDataDir();
    expect(await crashAt(dir, 'window', scaleUp)).not.toBeNull();
    const { op, steps, machines } = await afterRestart(dir);
    expect(op).toMatchObject({ state: 'cancelled', error: expect.stringContaining('nothing was called') });
    expect(steps).toEqual([
      expect.objectContaining({ call: 'reconcile after restart', result: 'stopped in the cancel window; nothing was called' }),
    ]);
    expect(await machines('mesos-on-demand')).toHaveLength(2);
  });

  it.each([
    ['scale-up', scaleUp],
    ['specific instance', specific],
  ])('just before the call (%s): failed, nothing was launched', async (_name, request) => {
    const dir = tempDataDir();
    await crashAt(dir, 'before-call', request);
    const { op, steps, machines } = await afterRestart(dir);
    expect(op.state).toBe('failed');
    expect(op.error).toMatch(/Interrupted by a console restart/);
    expect(steps.at(-1)).toMatchObject({ call: 'reconcile after restart' });
    expect(await machines(request.pool)).toHaveLength(request.pool === 'mesos-on-demand' ? 2 : 0);
  });

  it.each([
    ['after-call', 'scale-up', scaleUp, 4],
    ['waiting', 'scale-up', scaleUp, 4],
    ['after-call', 'specific instance', specific, 1],
    ['waiting', 'specific instance', specific, 1],
    ['after-call', 'spot group', spot, 2],
  ] as const)(
    '%s (%s): the launch is found by its tag and recorded once; nothing is launched twice',
    async (killAt, _name, request, expected) => {
      const dir = tempDataDir();
      await crashAt(dir, killAt, request);
      const { op, steps, machines } = await afterRestart(dir);
      expect(op.state).toBe('succeeded');
      expect(op.result).toMatchObject({ reconciled: true });
      expect(steps.at(-1)).toMatchObject({ call: 'reconcile after restart', result: expect.any(String) });
      const live = await machines(request.pool);
      expect(live).toHaveLength(expected);
      const launched = live.filter((i) => i.operationId === op.id);
      expect(launched).toHaveLength(request.kind === 'set-desired' ? 2 : expected);
      if (killAt === 'waiting') {
        // Launched with a 10-minute boot by the killed console: still booting, not launched again.
        expect(launched.every((i) => i.state === 'pending')).toBe(true);
      } else {
        // The machines it launched come up as agents after the restart.
        await expect
          .poll(async () => (await machines(request.pool)).filter((i) => i.agent !== null).length, { timeout: 10_000 })
          .toBe(expected);
      }
    },
  );

  it('after the hold tags were written, before the hold was recorded: the hold is recorded, and can be released', async () => {
    const dir = tempDataDir();
    await crashAt(dir, 'after-call', { kind: 'hold', target: { kind: 'pool', pool: 'mesos-on-demand' } });
    const { op, steps, machines } = await afterRestart(dir);
    expect(op).toMatchObject({ kind: 'hold.set', state: 'succeeded', result: { reconciled: true } });
    expect(steps.at(-1)).toMatchObject({ call: 'reconcile after restart', result: expect.stringContaining('hold recorded') });
    const holds = (await t!.call<{ holds: { id: string; reason: string }[] }>('holds.list')).holds;
    expect(holds).toEqual([expect.objectContaining({ reason: 'crash test hold' })]);
    expect((await machines('mesos-on-demand')).every((m) => m.hold?.id === holds[0]!.id)).toBe(true);
    await t!.call('holds.release', { id: holds[0]!.id });
    expect((await machines('mesos-on-demand')).every((m) => m.hold === null)).toBe(true);
  });
});
