/**
 * Live updates over v1 SUBSCRIBE from loopback masters that stream as a real one does (chunked
 * RecordIO: SUBSCRIBED with the GET_STATE they serve, HEARTBEATs, pushed events): the first
 * state, events reflected (coalesced), heartbeat silence, a leader change mid-stream, no leader
 * for a while, a master without the v1 API, and close().
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMesosClient } from '../../core/mesos/client.js';
import { createTransport, type Transport } from '../../core/mesos/http.js';
import { parseGetState } from '../../core/mesos/state.js';
import { subscribe, type StateWhy, type StreamStatus, type SubscribeOptions, type Subscription } from '../../core/mesos/subscribe.js';
import type { MesosState } from '../../core/mesos/types.js';
import { fakeDns } from './fixtures/mesos-dns.js';
import { events, type StatusSpec } from './fixtures/mesos-events.js';
import { example, getStateText, oom, preciseNs } from './fixtures/mesos-payloads.js';
import { startLeader, startLeaderChange, type LeaderRunning } from './fixtures/mesos-servers.js';

const leaderHost = 'ip-127-0-0-1.ec2.internal';
const fw = example.frameworkId;
const [s0, s1] = example.agents;
const cleanups: (() => unknown)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function transport(): Transport {
  const t = createTransport({ timeoutMs: 2000, lookup: fakeDns({ [leaderHost]: '127.0.0.1' }) });
  cleanups.push(() => t.close());
  return t;
}

async function leader(options: Parameters<typeof startLeader>[0] = {}): Promise<LeaderRunning> {
  const l = await startLeader({ heartbeatSeconds: 0.2, ...options });
  cleanups.push(() => l.close());
  return l;
}

interface Watched {
  sub: Subscription;
  states: { state: MesosState; why: StateWhy }[];
  statuses: StreamStatus[];
  /** Resolves once `test` holds for what was delivered so far. */
  until<T>(test: () => T | undefined | false | null, what: string, ms?: number): Promise<T>;
  last(): MesosState;
}

function watch(masters: string[], extra: Partial<SubscribeOptions> = {}): Watched {
  const states: Watched['states'] = [];
  const statuses: StreamStatus[] = [];
  const sub = subscribe({
    masters,
    transport: transport(),
    onState: (state, why) => states.push({ state, why }),
    onStatus: (s) => statuses.push(s),
    flushMs: 30,
    retryMs: { initial: 50, max: 200 },
    ...extra,
  });
  cleanups.push(() => sub.close());
  return {
    sub,
    states,
    statuses,
    last: () => states.at(-1)!.state,
    async until(test, what, ms = 15_000) {
      const end = Date.now() + ms;
      for (;;) {
        const v = test();
        if (v) return v;
        if (Date.now() > end)
          throw new Error(`timed out waiting for ${what}; statuses: ${JSON.stringify(statuses.map((s) => [s.phase, s.error?.message]))}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };
}

const subscribes = (l: LeaderRunning) => l.served.filter((s) => s.url === '/api/v1' && s.body === '{"type":"SUBSCRIBE"}');
const newTaskId = 'www-data-prod-hello-1-0b5e';
const status = (state: string, extra: Partial<StatusSpec> = {}): StatusSpec => ({
  taskId: newTaskId,
  agentId: s1.id,
  executorId: `thermos-${newTaskId}`,
  state,
  timestamp: 1718003402.25,
  ...extra,
});
const newTask = {
  taskId: newTaskId,
  frameworkId: fw,
  agentId: s1.id,
  executorId: `thermos-${newTaskId}`,
  name: 'www-data/prod/hello',
  state: 'TASK_STAGING',
  statuses: [status('TASK_STAGING')],
};

describe('live updates over SUBSCRIBE', () => {
  it('delivers the SUBSCRIBED state first: the GET_STATE the leader serves, nanoseconds exact', async () => {
    const l = await leader();
    const w = watch([l.url]);
    const first = await w.until(() => w.states[0], 'the first state');
    expect(first.why).toBe('subscribed');
    const url = `http://127.0.0.1:${l.port}/api/v1`;
    expect({ ...first.state, fetchedAt: 0 }).toEqual({ ...parseGetState(getStateText(), url), fetchedAt: 0 });
    expect(first.state.agents[1]!.registeredAt!.ns).toBe(preciseNs.toString());
    const asked = subscribes(l)[0]!;
    expect(asked.method).toBe('POST');
    expect(asked.headers).toMatchObject({ 'content-type': 'application/json', accept: 'application/json' });
    expect(w.sub.status()).toMatchObject({ phase: 'live', connected: true, leader: `http://127.0.0.1:${l.port}` });
    expect(w.sub.status().lastEventAt).toBeGreaterThan(0);
  });

  it('reflects TASK_ADDED, TASK_UPDATED (reason and message of a failure kept), AGENT_ADDED and AGENT_REMOVED', async () => {
    const l = await leader();
    const w = watch([l.url]);
    await w.until(() => w.states[0], 'the first state');
    const agent = {
      id: `${example.masterId}-S7`,
      hostname: 'ip-10-20-3-4.ec2.internal',
      ip: '10.20.3.4',
      slaveType: 'spot-itaipu-1',
      registeredNs: 1718000000123456789n,
    };
    await l.streams.push(events.taskAdded(newTask));
    await l.streams.push(events.taskUpdated(fw, status('TASK_RUNNING')));
    await l.streams.push(events.taskUpdated(fw, status('TASK_FAILED', { ...oom, source: 'SOURCE_AGENT', timestamp: 1718003999.123456 })));
    await l.streams.push(events.agentAdded(agent));
    await l.streams.push(events.agentRemoved(s0.id));
    const state = await w.until(() => {
      const s = w.last();
      return s.agents.some((a) => a.id === agent.id) && !s.agents.some((a) => a.id === s0.id) && s;
    }, 'the events applied');
    const t = state.tasks.find((x) => x.id === newTaskId)!;
    expect(t).toMatchObject({ state: 'TASK_FAILED', list: 'completed', agentId: s1.id, name: 'www-data/prod/hello' });
    expect(t.statuses.map((s) => s.state)).toEqual(['TASK_STAGING', 'TASK_RUNNING', 'TASK_FAILED']);
    expect(t.statuses[2]).toMatchObject({ ...oom, source: 'SOURCE_AGENT', at: { ns: '1718003999123456000' } });
    expect(state.agents.find((a) => a.id === agent.id)!.registeredAt!.ns).toBe('1718000000123456789');
    expect(w.states.slice(1).every((s) => s.why === 'events')).toBe(true);
  });

  it('coalesces a burst of events into a few deliveries, not one per event', async () => {
    const l = await leader();
    const w = watch([l.url], { flushMs: 150 });
    await w.until(() => w.states[0], 'the first state');
    await l.streams.push(events.taskAdded(newTask));
    for (let k = 0; k < 200; k++)
      await l.streams.push(events.taskUpdated(fw, status(k % 2 ? 'TASK_RUNNING' : 'TASK_STARTING', { timestamp: 1718003402 + k })));
    await w.until(
      () =>
        w
          .last()
          .tasks.find((t) => t.id === newTaskId)
          ?.statuses.at(-1)?.at?.ns === '1718003601000000000',
      'the last update',
    );
    const deliveries = w.states.filter((s) => s.why === 'events').length;
    expect(deliveries).toBeGreaterThanOrEqual(1);
    expect(deliveries).toBeLessThan(20);
  });

  it('reads events whose records arrive cut in pieces, inside the length and inside a multi-byte character', async () => {
    const l = await leader();
    const w = watch([l.url]);
    await w.until(() => w.states[0], 'the first state');
    const message = 'Mémoire dépassée — 内存超限 💥';
    await l.streams.push(events.taskAdded(newTask), { pieces: 9 });
    await l.streams.push(events.taskUpdated(fw, status('TASK_FAILED', { message })), { pieces: 13 });
    const t = await w.until(() => w.last().tasks.find((x) => x.id === newTaskId && x.state === 'TASK_FAILED'), 'the cut events');
    expect(t.statuses.at(-1)!.message).toBe(message);
  });

  it('resubscribes when the stream goes silent for 5 heartbeat intervals', async () => {
    const l = await leader({ heartbeatSeconds: 0.1 });
    const w = watch([l.url]);
    await w.until(() => w.states[0], 'the first state');
    l.streams.silence();
    await w.until(() => subscribes(l).length >= 2 && w.states.filter((s) => s.why === 'subscribed').length >= 2, 'a second SUBSCRIBED');
    const lost = w.statuses.find((s) => s.phase === 'retrying')!;
    expect(lost.error).toMatchObject({ code: 'MESOS_STREAM_LOST' });
    expect(lost.error!.message).toMatch(/nothing arrived for \d+\.\d s \(heartbeats are every 0\.1 s\)/);
    expect(lost.connected).toBe(false);
    await w.until(() => w.sub.status().phase === 'live', 'live again');
    expect(l.streams.open).toBe(1);
  });

  it('resubscribes when the connection is cut, and when the master ends the stream', async () => {
    const l = await leader();
    const w = watch([l.url]);
    await w.until(() => w.states[0], 'the first state');
    l.streams.drop();
    await w.until(() => w.states.filter((s) => s.why === 'subscribed').length >= 2, 'a SUBSCRIBED after the cut');
    l.streams.end();
    await w.until(() => w.states.filter((s) => s.why === 'subscribed').length >= 3, 'a SUBSCRIBED after the end');
    const errors = w.statuses.filter((s) => s.phase === 'retrying').map((s) => s.error!.message);
    expect(errors[0]).toMatch(/stopped: the stream was cut off/);
    expect(errors[1]).toMatch(/stopped: the master ended the stream/);
    // Each good SUBSCRIBED resets the wait to the first step.
    expect(w.statuses.filter((s) => s.phase === 'retrying').map((s) => s.retryInMs)).toEqual([50, 50]);
  });

  it('follows a leader change in the middle of a stream: rediscovers, resubscribes on the new leader, its state and events', async () => {
    const change = await startLeaderChange({ heartbeatSeconds: 0.2 });
    cleanups.push(() => change.close());
    const { a, b } = change;
    const w = watch(change.masters);
    await w.until(() => w.states[0], 'the first state');
    expect(w.sub.status().leader).toBe(`http://127.0.0.1:${a.port}`);
    await a.streams.push(events.taskAdded(newTask));
    await w.until(() => w.last().tasks.some((t) => t.id === newTaskId), 'the task on A');

    change.change();
    const onB = await w.until(
      () => w.states.find((s) => s.why === 'subscribed' && s.state.url === `http://127.0.0.1:${b.port}/api/v1`),
      'SUBSCRIBED from B',
    );
    // B's snapshot is the state: what A streamed before is not kept on top of it.
    expect({ ...onB.state, fetchedAt: 0 }).toEqual({ ...parseGetState(getStateText(), onB.state.url), fetchedAt: 0 });
    expect(w.sub.status()).toMatchObject({ phase: 'live', connected: true, leader: `http://127.0.0.1:${b.port}` });
    expect(subscribes(b)).toHaveLength(1);
    // A was asked again and pointed at B.
    expect(a.served.filter((s) => s.url === '/master/state').length).toBeGreaterThanOrEqual(2);

    await b.streams.push(events.taskUpdated(fw, { ...status('TASK_KILLED'), taskId: example.runningTask, agentId: s0.id }));
    const killed = await w.until(
      () => w.last().tasks.find((t) => t.id === example.runningTask && t.state === 'TASK_KILLED'),
      'the update from B',
    );
    expect(killed.list).toBe('completed');
    expect(a.streams.open).toBe(0);
  });

  it('waits out "No leader elected" with backoff, then subscribes once a leader is back', async () => {
    const l = await leader({ role: 'leaderless' });
    const w = watch([l.url]);
    await w.until(() => w.statuses.filter((s) => s.phase === 'retrying').length >= 3, 'three failed attempts');
    const failed = w.statuses.filter((s) => s.phase === 'retrying');
    expect(failed[0]!.error).toMatchObject({ code: 'MESOS_NO_LEADER' });
    expect(failed[0]!.error!.message).toMatch(/No leader elected/);
    expect(failed.slice(0, 3).map((s) => s.retryInMs)).toEqual([50, 100, 200]);
    expect(w.states).toHaveLength(0);
    l.lead();
    await w.until(() => w.states[0], 'the first state after the election');
    expect(w.sub.status()).toMatchObject({ phase: 'live', connected: true });
  });

  it('says live updates are unavailable on a master without the v1 API, and stops trying', async () => {
    const l = await leader({ noV1: true });
    const w = watch([l.url]);
    const s = await w.until(() => w.statuses.find((x) => x.phase === 'unavailable'), 'the unavailable status');
    expect(s.error).toMatchObject({ code: 'MESOS_STREAM_LOST' });
    expect(s.error!.message).toMatch(/Live updates are unavailable: .* has no v1 operator API \(it answered 404\)/);
    expect(s.error!.hint).toMatch(/keeps polling/);
    const asked = l.served.length;
    // A final phase has no later event to wait for, so only time can show it stays quiet; 300 ms
    // is past the longest retry wait (200 ms), and a slow machine can only hide a retry, never fail this.
    await new Promise((r) => setTimeout(r, 300));
    expect(l.served.length).toBe(asked);
    expect(w.statuses.at(-1)!.phase).toBe('unavailable');
    expect(w.states).toHaveLength(0);
  });

  it('stops everything on close(): the stream, the callbacks', async () => {
    const l = await leader();
    const w = watch([l.url]);
    // A second subscriber, still open, with a longer flush: what it gets shows what w would have got.
    const witness = watch([l.url], { flushMs: 150 });
    await w.until(() => w.states[0], 'the first state');
    await witness.until(() => witness.states[0], "the witness's first state");
    w.sub.close();
    expect(w.sub.status().phase).toBe('closed');
    const delivered = w.states.length;
    const reported = w.statuses.length;
    await l.streams.push(events.taskAdded(newTask));
    await witness.until(() => witness.last().tasks.some((t) => t.id === newTaskId), 'the event at the witness');
    await w.until(() => l.streams.open === 1, "the master to see w's stream end");
    expect(w.states.length).toBe(delivered);
    expect(w.statuses.length).toBe(reported);
  });

  it('is on the Mesos client too, and ends with it', async () => {
    const l = await leader();
    const client = createMesosClient({ masters: [l.url], timeoutMs: 2000 });
    const states: MesosState[] = [];
    client.subscribe({ onState: (s) => states.push(s), flushMs: 20 });
    await vi.waitFor(() => expect(states).not.toHaveLength(0), { timeout: 15_000, interval: 10 });
    expect(states[0]!.tasks.map((t) => t.id)).toContain(example.runningTask);
    client.close();
    await vi.waitFor(() => expect(l.streams.open).toBe(0), { timeout: 15_000, interval: 10 });
  });
});
