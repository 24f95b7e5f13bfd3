import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Agent, AppStatus, ClusterEvent, ServerStreamMessage } from '../../../core/contract/index.js';
import { createConsole, type Console } from '../../../core/console.js';
import { databaseFile } from '../../../core/paths.js';
import type { Store } from '../../../core/store/index.js';

// The console keeps its store to itself. Nothing in the contract appends cluster events after
// start-up yet, so the stream tests borrow the store the console opened, to append events as
// the embedded cluster will when it scales.
const opened = vi.hoisted(() => [] as Store[]);
vi.mock('../../../core/store/index.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../core/store/index.js')>();
  return {
    ...real,
    openStore: (...args: Parameters<typeof real.openStore>) => {
      const store = real.openStore(...args);
      opened.push(store);
      return store;
    },
  };
});

let dataDir: string;
const consoles: Console[] = [];

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cantareira-console-'));
  opened.length = 0;
});
afterEach(() => {
  vi.useRealTimers();
  for (const c of consoles.splice(0)) c.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function start(): Console {
  const c = createConsole({ dataDir, host: 'headless', version: '9.9.9-test', log: () => {} });
  consoles.push(c);
  return c;
}

async function call<T>(c: Console, name: string, input: unknown = {}): Promise<T> {
  const result = await c.dispatch({ name, input });
  if (!result.ok) throw new Error(`${name} failed: ${result.error.code} ${result.error.message}`);
  return result.data as T;
}

const listAgents = async (c: Console, input: unknown = {}) => (await call<{ agents: Agent[] }>(c, 'agents.list', input)).agents;

describe('the console on a fresh data folder', () => {
  it('reports how it runs in app.status', async () => {
    const status = await call<AppStatus>(start(), 'app.status');
    expect(status).toEqual({
      version: '9.9.9-test',
      host: 'headless',
      dataDir,
      databaseFile: databaseFile(dataDir),
      startupError: null,
      activeProfile: { id: 'embedded', name: 'embedded', kind: 'embedded', builtin: true },
      // What the screens may offer: the embedded cluster submits jobs, it has no Thermos observer.
      capabilities: expect.objectContaining({
        label: 'embedded cluster',
        local: true,
        createJobs: { ok: true, reason: null },
        jobCommands: { ok: true, reason: null },
        observer: { ok: false, reason: expect.stringContaining('this machine') },
      }),
      startedAt: expect.any(Number),
    });
    expect(fs.existsSync(databaseFile(dataDir))).toBe(true);
  });

  it('brings up the embedded profile: one mesos-fixed m5.2xlarge and two mesos-on-demand m5.xlarge agents', async () => {
    const agents = await listAgents(start());
    const summary = agents.map((a) => [a.slaveType, a.instanceType, a.resources.cpus, a.resources.memMb, a.state]);
    expect(summary).toEqual([
      ['mesos-fixed', 'm5.2xlarge', 8, 32768, 'registered'],
      ['mesos-on-demand', 'm5.xlarge', 4, 16384, 'registered'],
      ['mesos-on-demand', 'm5.xlarge', 4, 16384, 'registered'],
    ]);
    expect(new Set(agents.map((a) => a.id)).size).toBe(3);
    expect(new Set(agents.map((a) => a.resources.ports)).size).toBe(3);
    for (const a of agents) {
      expect(a.attributes['slave-type']).toBe(a.slaveType);
      expect(fs.statSync(a.sandboxRoot).isDirectory()).toBe(true);
      expect(path.relative(dataDir, a.sandboxRoot).startsWith('..')).toBe(false);
    }
  });

  it('filters agents by slave type and by attribute', async () => {
    const c = start();
    expect((await listAgents(c, { slaveType: 'mesos-on-demand' })).map((a) => a.slaveType)).toEqual(['mesos-on-demand', 'mesos-on-demand']);
    expect(await listAgents(c, { slaveType: 'mesos-spot' })).toEqual([]);
    expect((await listAgents(c, { attribute: { name: 'instance-type', value: 'm5.2xlarge' } })).map((a) => a.slaveType)).toEqual([
      'mesos-fixed',
    ]);
    expect(await listAgents(c, { slaveType: 'mesos-fixed', attribute: { name: 'instance-type', value: 'm5.xlarge' } })).toEqual([]);
  });

  it('rejects a bad filter naming the field', async () => {
    const result = await start().dispatch({ name: 'agents.list', input: { slaveType: 5 } });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONTRACT_INVALID_INPUT', message: expect.stringContaining('slaveType') } });
  });
});

describe('restarting on the same data folder', () => {
  it('keeps the agents with their ids and registration times, and adds none', async () => {
    const first = start();
    const before = await listAgents(first);
    first.close();

    const second = start();
    const after = await listAgents(second);
    expect(after).toEqual(before);
    const rows = opened.at(-1)!.db.prepare('SELECT count(*) AS n FROM agents').get() as { n: number };
    expect(rows.n).toBe(3);
  });
});

describe('a console whose database is damaged', () => {
  it('still starts, says why in app.status, and answers other calls with the same error', async () => {
    const file = databaseFile(dataDir);
    fs.writeFileSync(file, crypto.randomBytes(32 * 1024));
    const bytes = fs.readFileSync(file);

    const c = start();
    const status = await call<AppStatus>(c, 'app.status');
    expect(status.startupError).toMatchObject({ code: 'STORE_CORRUPT', message: expect.stringContaining(file) });
    expect(status.startupError!.hint).toBeTruthy();
    expect(status.activeProfile).toBeNull();

    expect(await c.dispatch({ name: 'agents.list', input: {} })).toEqual({ ok: false, error: status.startupError });
    expect(await c.dispatch({ name: 'profiles.list', input: {} })).toEqual({ ok: false, error: status.startupError });
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
  });

  it('answers a stream subscription with the same error', () => {
    fs.writeFileSync(databaseFile(dataDir), crypto.randomBytes(8 * 1024));
    const posted: ServerStreamMessage[] = [];
    start()
      .openStreamSession((m) => posted.push(m))
      .handle({ t: 'sub', id: 1, name: 'cluster.events', input: {} });
    expect(posted).toEqual([{ t: 'error', id: 1, error: expect.objectContaining({ code: 'STORE_CORRUPT' }) }]);
  });
});

describe('the cluster.events stream', () => {
  function subscribe(c: Console, input: unknown, options = { flushMs: 20, maxBatch: 2 }) {
    const posted: ServerStreamMessage[] = [];
    const session = c.openStreamSession((m) => posted.push(m), options);
    session.handle({ t: 'sub', id: 7, name: 'cluster.events', input });
    const batches = () =>
      posted.map((m) => {
        if (m.t !== 'batch') throw new Error(`unexpected ${JSON.stringify(m)}`);
        return m.batch as { items: ClusterEvent[]; cursor: string | null; dropped: number };
      });
    return { session, posted, batches };
  }

  it('replays history after the cursor, then delivers live events, in batches with cursors', async () => {
    vi.useFakeTimers();
    const c = start();
    const store = opened.at(-1)!;

    const all = subscribe(c, {});
    vi.advanceTimersByTime(20);
    const history = all.batches().flatMap((b) => b.items);
    // The profile opened, then its three agents registered.
    expect(history.map((e) => e.kind)).toEqual(['profile.opened', 'agent.registered', 'agent.registered', 'agent.registered']);
    expect(all.batches().map((b) => b.items.length)).toEqual([2, 2]);

    const cursor = history[1]!.id;
    const { session, batches } = subscribe(c, { after: cursor });
    vi.advanceTimersByTime(20);
    expect(batches()).toEqual([{ items: history.slice(2), cursor: String(history[3]!.id), dropped: 0 }]);

    const live = [1, 2, 3].map((n) =>
      store.events.append('embedded', { at: n, kind: 'agent.registered', subject: `late-${n}`, message: `Agent late-${n} registered` }),
    );
    store.profiles.ensure({ id: 'other', name: 'other', kind: 'mesos', builtin: false, pools: [] }, 1);
    store.events.append('other', { at: 4, kind: 'agent.removed', subject: 'x', message: 'not ours' });
    session.handle({ t: 'ack', id: 7 });
    vi.advanceTimersByTime(20);
    expect(batches().slice(1)).toEqual([
      { items: live.slice(0, 2), cursor: String(live[1]!.id), dropped: 0 },
      { items: live.slice(2), cursor: String(live[2]!.id), dropped: 0 },
    ]);

    session.handle({ t: 'unsub', id: 7 });
    store.events.append('embedded', { at: 5, kind: 'agent.removed', subject: 'late-1', message: 'Agent late-1 removed' });
    vi.advanceTimersByTime(1000);
    expect(batches()).toHaveLength(3);
  });

  it('refuses an unknown stream and a bad cursor', () => {
    const c = start();
    const posted: ServerStreamMessage[] = [];
    const session = c.openStreamSession((m) => posted.push(m));
    session.handle({ t: 'sub', id: 1, name: 'cluster.everything', input: {} });
    session.handle({ t: 'sub', id: 2, name: 'cluster.events', input: { after: -1 } });
    expect(posted).toEqual([
      { t: 'error', id: 1, error: expect.objectContaining({ code: 'CONTRACT_UNKNOWN_STREAM' }) },
      { t: 'error', id: 2, error: expect.objectContaining({ code: 'CONTRACT_INVALID_INPUT', message: expect.stringContaining('after') }) },
    ]);
    expect(session.size).toBe(0);
  });
});
