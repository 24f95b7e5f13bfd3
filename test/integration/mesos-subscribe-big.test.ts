/**
 * A big cluster's SUBSCRIBED snapshot (its whole state) is parsed in the client's state worker,
 * not on the main thread; the events that arrive meanwhile are held and applied after it, in
 * order, so none is lost or applied to a state that does not exist yet. Its bytes go to the
 * worker as they arrive: the main thread never joins the record or looks for the state in it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMesosClient } from '../../core/mesos/client.js';
import { StateFeed } from '../../core/mesos/state-feed.js';
import { createStateWorker, type StateWorker } from '../../core/mesos/state-worker.js';
import { parseGetState } from '../../core/mesos/state.js';
import { splitSubscribed } from '../../core/mesos/subscribed.js';
import type { MesosState } from '../../core/mesos/types.js';
import { eventBytes, events, frame, subscribedBytes } from './fixtures/mesos-events.js';
import { generateGetState } from './fixtures/mesos-generate.js';
import { masterStateText } from './fixtures/mesos-payloads.js';
import { startLeader, type LeaderRunning } from './fixtures/mesos-servers.js';

const cleanups: (() => Promise<void> | void)[] = [];
/** Waits are bounded only by the test's own timeout: a busy machine parses the big state slower. */
const patiently = { timeout: 18_000, interval: 10 };
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
    await vi.waitFor(() => expect(leader.streams.open).toBeGreaterThan(0), patiently);
    await leader.streams.push(events.taskUpdated(frameworkId, status('TASK_FAILED')));
    await leader.streams.push(events.taskUpdated(frameworkId, status('TASK_KILLED')));

    await vi.waitFor(() => expect(states.at(-1)?.state.tasks.find((x) => x.id === first.id)?.state).toBe('TASK_KILLED'), patiently);
    expect(states[0]!.why).toBe('subscribed');
    expect(states[0]!.state.agents).toHaveLength(300);
    const last = states.at(-1)!.state.tasks.find((x) => x.id === first.id)!;
    expect(last.statuses.map((s) => s.state).slice(-2)).toEqual(['TASK_FAILED', 'TASK_KILLED']);
    expect(sub.status().phase).toBe('live');
  });

  it('goes to the worker as it arrives, never joined here, with its heartbeat interval', async () => {
    const leader: LeaderRunning = await startLeader({ getState: () => big, heartbeatSeconds: 0.5 });
    cleanups.push(() => leader.close());
    const real = createStateWorker();
    cleanups.push(() => real.close());
    const given: { streamed: boolean; bytes: () => number; heartbeat: Promise<number | null> }[] = [];
    const worker: StateWorker = {
      ...real,
      parseSubscribed: (body, url, at) => {
        const parsed = real.parseSubscribed(body, url, at);
        given.push({
          streamed: body instanceof StateFeed,
          bytes: () => (body instanceof StateFeed ? body.bytes : body.length),
          heartbeat: parsed.then((p) => p.heartbeatSeconds),
        });
        return parsed;
      },
    };
    const client = createMesosClient({ masters: [leader.url], timeoutMs: 10_000, state: { worker } });
    cleanups.push(() => client.close());
    const states: MesosState[] = [];
    const sub = client.subscribe({ onState: (state) => states.push(state) });
    cleanups.push(() => sub.close());
    await vi.waitFor(() => expect(states).not.toHaveLength(0), patiently);
    expect({ ...states[0]!, fetchedAt: 0 }).toStrictEqual({ ...parseGetState(big, states[0]!.url, 0) });
    expect(given.map((g) => [g.streamed, g.bytes()])).toEqual([[true, subscribedBytes(big, 0.5).length]]);
    expect(await given[0]!.heartbeat).toBe(0.5);
    expect(sub.status().phase).toBe('live');
  });

  it('cut short by the master, is forgotten by the worker, and the next stream is read whole', async () => {
    const record = frame(subscribedBytes(big, 0.5));
    let streams = 0;
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const p = new URL(req.url ?? '/', 'http://x').pathname;
        const port = (server.address() as AddressInfo).port;
        if (p === '/master/state' || p === '/state') {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          return res.end(masterStateText({ ip: '127.0.0.1', port, hostname: '127.0.0.1' }));
        }
        streams++;
        res.writeHead(200, { 'Content-Type': 'application/json' });
        // The first stream ends two thirds into its SUBSCRIBED; the second is whole, then beats.
        if (streams === 1) return res.write(record.subarray(0, Math.floor(record.length * 0.66)), () => res.socket?.destroy());
        res.write(record);
        res.write(frame(eventBytes(events.heartbeat())));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(
      () =>
        new Promise<void>((r) => {
          server.closeAllConnections();
          server.close(() => r());
        }),
    );
    const client = createMesosClient({ masters: [`http://127.0.0.1:${(server.address() as AddressInfo).port}`], timeoutMs: 10_000 });
    cleanups.push(() => client.close());
    const states: MesosState[] = [];
    const phases: string[] = [];
    const sub = client.subscribe({
      onState: (state) => states.push(state),
      onStatus: (st) => phases.push(st.phase),
      retryMs: { initial: 50 },
    });
    cleanups.push(() => sub.close());
    await vi.waitFor(() => expect(states).not.toHaveLength(0), patiently);
    expect(streams).toBe(2);
    expect(phases).toContain('retrying');
    expect(states).toHaveLength(1);
    expect(states[0]!.tasks).toHaveLength(parseGetState(big, 'u', 0).tasks.length);
  });
});
