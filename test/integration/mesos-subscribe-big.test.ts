/**
 * A big cluster's SUBSCRIBED snapshot (its whole state) is parsed in the client's state worker,
 * not on the main thread; the events that arrive meanwhile are held and applied after it, in
 * order, so none is lost or applied to a state that does not exist yet.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createMesosClient } from '../../core/mesos/client.js';
import { parseGetState } from '../../core/mesos/state.js';
import { splitSubscribed } from '../../core/mesos/subscribed.js';
import type { MesosState } from '../../core/mesos/types.js';
import { events, subscribedBytes } from './fixtures/mesos-events.js';
import { generateGetState } from './fixtures/mesos-generate.js';
import { startLeader, type LeaderRunning } from './fixtures/mesos-servers.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const big = generateGetState({ agents: 300, tasks: 6000 });
const frameworkId = '4f1c2b7e-9a3d-4e65-b1d8-0c7a52e9f310-0000';

describe('a SUBSCRIBED snapshot of a big cluster', () => {
  it('is cut into the GET_STATE it wraps, byte for byte, with its heartbeat interval', () => {
    const record = subscribedBytes(big, 7.5);
    const split = splitSubscribed(record)!;
    expect(split.heartbeatSeconds).toBe(7.5);
    expect(parseGetState(split.getState, 'u', 1)).toEqual(parseGetState(big, 'u', 1));
    expect(splitSubscribed(Buffer.from('{"type":"HEARTBEAT"}'))).toBeNull();
  });

  it('is parsed off the main thread, and the events sent right after it are applied after it, in order', async () => {
    expect(big.length).toBeGreaterThan(1024 * 1024); // over the size that goes to the worker
    const leader: LeaderRunning = await startLeader({ getState: () => big, heartbeatSeconds: 0.5 });
    cleanups.push(() => leader.close());
    const client = createMesosClient({ masters: [leader.url], timeoutMs: 10_000 });
    cleanups.push(() => client.close());
    const states: { state: MesosState; why: string }[] = [];
    const sub = client.subscribe({ onState: (state, why) => states.push({ state, why }), flushMs: 20 });
    cleanups.push(() => sub.close());

    // The first running task of the generated state, failed then killed before the snapshot is parsed.
    const first = parseGetState(big, 'u', 1).tasks.find((t) => t.list === 'active')!;
    const status = (state: string) => ({ taskId: first.id, agentId: first.agentId, state, timestamp: Date.now() / 1000 });
    for (let i = 0; i < 200 && leader.streams.open === 0; i++) await new Promise((r) => setTimeout(r, 10));
    await leader.streams.push(events.taskUpdated(frameworkId, status('TASK_FAILED')));
    await leader.streams.push(events.taskUpdated(frameworkId, status('TASK_KILLED')));

    for (let i = 0; i < 500; i++) {
      const t = states.at(-1)?.state.tasks.find((x) => x.id === first.id);
      if (t?.state === 'TASK_KILLED') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(states[0]!.why).toBe('subscribed');
    expect(states[0]!.state.agents).toHaveLength(300);
    const last = states.at(-1)!.state.tasks.find((x) => x.id === first.id)!;
    expect(last.statuses.map((s) => s.state).slice(-2)).toEqual(['TASK_FAILED', 'TASK_KILLED']);
    expect(sub.status().phase).toBe('live');
  });
});
