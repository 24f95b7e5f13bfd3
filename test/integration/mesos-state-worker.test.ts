/**
 * Parsing the master's state in a worker thread (core/mesos/state-worker.ts): the same state as
 * the parse on the main thread, for the example payloads and a generated big cluster; the same
 * errors for bytes that are not a state; a crashed thread falls back to the main thread; and a
 * closed client leaves no thread behind. A download goes to the thread chunk by chunk as it
 * arrives (StateFeed): the same state, and a body cut short fails as it does parsed inline.
 */
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createMesosClient } from '../../core/mesos/client.js';
import { createTransport, type HttpAnswer, type Transport } from '../../core/mesos/http.js';
import { fetchState, parseGetState, parseMasterState } from '../../core/mesos/state.js';
import { StateFeed } from '../../core/mesos/state-feed.js';
import { createStateWorker, liveStateThreads, StateWorkerCrashed, type StateWorker } from '../../core/mesos/state-worker.js';
import { isConsoleError } from '../../core/errors.js';
import { subscribedBytes } from './fixtures/mesos-events.js';
import { generateGetState } from './fixtures/mesos-generate.js';
import { startStateLeader, type StateLeader } from './fixtures/mesos-big-cluster.js';
import { getStateText, masterStateText } from './fixtures/mesos-payloads.js';
import { startLeader, startTruncatedLeader, type LeaderRunning, type Running } from './fixtures/mesos-servers.js';

const url = 'http://10.20.0.5:5050/api/v1';
const v0Url = 'http://10.20.0.5:5050/master/state';
const fetchedAt = 1_717_900_123_456;
/** ~30 MB: 2,000 agents, 10,000 tasks. */
const big = generateGetState({ agents: 2_000, tasks: 10_000 });

let worker: StateWorker;
let transport: Transport;
let bigLeader: StateLeader;
let leader: LeaderRunning;
let v0Leader: LeaderRunning;
let cutJson: Running;

beforeAll(async () => {
  worker = createStateWorker();
  transport = createTransport({ timeoutMs: 30_000 });
  bigLeader = await startStateLeader({ getState: big, gzip: true });
  leader = await startLeader();
  v0Leader = await startLeader({ noV1: true });
  cutJson = await startTruncatedLeader('declared');
});
afterAll(async () => {
  await worker.close();
  transport.close();
  await Promise.all([bigLeader, leader, v0Leader, cutJson].map((s) => s.close()));
});

/** The error a parse throws, as the contract carries it. */
async function errorOf(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (e) {
    return isConsoleError(e) ? { ...e.toContract(), name: e.name } : e;
  }
  throw new Error('it parsed');
}

describe('the state parsed in a worker thread', () => {
  it('is the state parsed on the main thread: the example v1 and v0 payloads', async () => {
    const v1 = getStateText(['slave(1)@127.0.0.1:5051']);
    const inline = parseGetState(Buffer.from(v1), url, fetchedAt);
    expect(inline.tasks.length).toBeGreaterThan(0);
    expect(await worker.parse('v1', Buffer.from(v1), url, fetchedAt)).toStrictEqual(inline);

    const v0 = Buffer.from(masterStateText({ ip: '10.20.0.5', port: 5050, hostname: 'ip-10-20-0-5.ec2.internal' }));
    const inlineV0 = parseMasterState(Buffer.from(v0), v0Url, fetchedAt);
    expect(inlineV0.source).toBe('v0');
    expect(await worker.parse('v0', v0, v0Url, fetchedAt)).toStrictEqual(inlineV0);
  });

  it('is the state parsed on the main thread: a generated cluster of 2,000 agents and 10,000 tasks; the bytes are handed over, not copied', async () => {
    const inline = parseGetState(Buffer.from(big), url, fetchedAt);
    expect(inline.agents).toHaveLength(2_000);
    expect(inline.tasks).toHaveLength(10_000);
    const bytes = Buffer.from(big);
    const inWorker = await worker.parse('v1', bytes, url, fetchedAt);
    expect(bytes.length).toBe(0); // transferred: detached here
    expect(inWorker).toStrictEqual(inline);
  }, 60_000);

  it('is what fetchState gives over HTTP, gzipped, with either parse; big bodies go to the worker by default', async () => {
    const viaWorker = await fetchState(bigLeader.url, transport, { parse: 'worker', worker });
    const viaInline = await fetchState(bigLeader.url, transport, { parse: 'inline' });
    expect(viaWorker).toStrictEqual({ ...viaInline, fetchedAt: viaWorker.fetchedAt });
    // The example states are small (inline by default), but can be sent to the worker too, v0 included.
    const small = await fetchState(leader.url, transport, { parse: 'worker', worker });
    expect(small).toStrictEqual({ ...(await fetchState(leader.url, transport)), fetchedAt: small.fetchedAt });
    const v0 = await fetchState(v0Leader.url, transport, { parse: 'worker', worker });
    expect(v0.source).toBe('v0');
    expect(v0).toStrictEqual({ ...(await fetchState(v0Leader.url, transport, { parse: 'inline' })), fetchedAt: v0.fetchedAt });
  }, 60_000);

  it('fails on bytes that are not a state with the same error as the main thread', async () => {
    const cases: [string, Buffer][] = [
      ['empty', Buffer.alloc(0)],
      ['truncated', big.subarray(0, Math.floor(big.length / 2))],
      ['not JSON', Buffer.from('<html><body>502 Bad Gateway</body></html>')],
      ['JSON, not a GET_STATE', Buffer.from('{"type":"GET_HEALTH","get_health":{"healthy":true}}')],
      ['a GET_STATE with a broken task', Buffer.from('{"type":"GET_STATE","get_state":{"get_tasks":{"tasks":[{"name":"x"}]}}}')],
    ];
    for (const [what, bytes] of cases) {
      const inline = await errorOf(() => parseGetState(Buffer.from(bytes), url, fetchedAt));
      expect(inline, what).toMatchObject({ code: 'MESOS_BAD_RESPONSE', name: 'ConsoleError' });
      expect(await errorOf(() => worker.parse('v1', Buffer.from(bytes), url, fetchedAt)), what).toStrictEqual(inline);
    }
    const v0Inline = await errorOf(() => parseMasterState(Buffer.from('{"slaves": 3}'), v0Url, fetchedAt));
    expect(await errorOf(() => worker.parse('v0', Buffer.from('{"slaves": 3}'), v0Url, fetchedAt))).toStrictEqual(v0Inline);
    // And through fetchState, from a master whose answer is cut in half.
    const viaWorker = await errorOf(() => fetchState(cutJson.url, transport, { parse: 'worker', worker }));
    expect(viaWorker).toMatchObject({ code: 'MESOS_BAD_RESPONSE' });
    expect(viaWorker).toStrictEqual(await errorOf(() => fetchState(cutJson.url, transport, { parse: 'inline' })));
    // The thread is still the one it was: an error is an answer, not a crash.
    expect(worker.threads()).toBe(1);
  });

  it('survives the thread crashing: the state is read again and parsed on the main thread, with a log line', async () => {
    const crashing = createStateWorker();
    try {
      const parsing = crashing.parse('v1', Buffer.from(big), url, fetchedAt);
      await crashing.restart(); // ended mid-parse, as a crash ends it
      await expect(parsing).rejects.toBeInstanceOf(StateWorkerCrashed);
      expect(crashing.threads()).toBe(0);
      // The next parse starts a fresh thread.
      expect((await crashing.parse('v1', Buffer.from(big), url, fetchedAt)).tasks).toHaveLength(10_000);
      expect(crashing.threads()).toBe(1);

      // fetchState with a thread that dies under it: read again, parsed here, said in the log.
      const dying: StateWorker = {
        ...crashing,
        parse: (...args) => {
          const p = crashing.parse(...args);
          void crashing.restart();
          return p;
        },
      };
      const logged: string[] = [];
      const before = bigLeader.stateAnswers();
      const state = await fetchState(bigLeader.url, transport, { parse: 'worker', worker: dying, log: (m) => logged.push(m) });
      expect(state).toStrictEqual({ ...parseGetState(Buffer.from(big), `${bigLeader.url}/api/v1`), fetchedAt: state.fetchedAt });
      expect(bigLeader.stateAnswers() - before).toBe(2);
      expect(logged).toEqual([
        expect.stringMatching(
          /^The state parsing thread ended .*Reading the state of http:\/\/127\.0\.0\.1:\d+\/api\/v1 again and parsing it on the main thread\.$/,
        ),
      ]);
    } finally {
      await crashing.close();
    }
  }, 60_000);

  it('ends with its client: close() ends the thread, and a process that used one exits by itself', async () => {
    // Threads other than the shared worker's, whose own idle timer may end it at any moment
    // (on a busy machine, in the middle of this test).
    const others = () => liveStateThreads() - worker.threads();
    const base = others();
    const client = createMesosClient({ masters: [bigLeader.url], timeoutMs: 30_000 });
    const state = await client.state();
    expect(state.tasks).toHaveLength(10_000);
    expect(others()).toBe(base + 1); // a 30 MB state: parsed in the client's thread
    client.close();
    await expect.poll(others, { timeout: 60_000 }).toBe(base);
    await expect(client.state()).rejects.toMatchObject({ code: 'MESOS_UNREACHABLE' });

    const child = path.join(import.meta.dirname, 'fixtures', 'state-worker-child.ts');
    // Asynchronously: the master it reads is served by this process.
    const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const p = execFile(
        process.execPath,
        ['--import', 'tsx', child, bigLeader.url],
        { encoding: 'utf8', timeout: 60_000 },
        (_e, stdout, stderr) => resolve({ code: p.exitCode, stdout, stderr }),
      );
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout.trim())).toEqual({ tasks: 10_000, threadsWhileOpen: 1, threadsAfterClose: 0 });
  }, 90_000);

  it('takes the body as it downloads: chunk by chunk, the same state as the inline parse; fetchState never holds the body here', async () => {
    const inline = parseGetState(Buffer.from(big), url, fetchedAt);
    // Chunks of every kind: small views into one buffer (copied into the feed's batches), big
    // Buffers that own their memory (handed over as they are), pushed before and after the parse takes the feed.
    const feed = new StateFeed();
    const sizes = [1, 7, 16 * 1024, 300 * 1024, 3 * 1024 * 1024, 65_537];
    let at = 0;
    for (let i = 0; at < 2 * 1024 * 1024; i++) {
      const n = sizes[i % sizes.length]!;
      feed.push(big.subarray(at, at + n));
      at += n;
    }
    const parsing = worker.parse('v1', feed, url, 0);
    const owned: Buffer[] = [];
    for (let i = 0; at < big.length; i++) {
      const n = sizes[i % sizes.length]!;
      const chunk = i % 3 === 0 ? Buffer.from(big.subarray(at, at + n)) : big.subarray(at, at + n);
      if (chunk.byteOffset === 0 && chunk.buffer.byteLength === chunk.length && chunk.length >= 256 * 1024) owned.push(chunk);
      feed.push(chunk);
      at += n;
    }
    feed.end(fetchedAt);
    expect(feed.bytes).toBe(big.length);
    expect(owned.length).toBeGreaterThan(0);
    expect(owned.every((c) => c.length === 0)).toBe(true); // transferred: detached here
    expect(await parsing).toStrictEqual(inline);

    // fetchState: the 200 JSON answer's body goes to the thread, not into the answer.
    const answers: HttpAnswer[] = [];
    const watching: Transport = {
      ...transport,
      send: async (r) => {
        const a = await transport.send(r);
        answers.push(a);
        return a;
      },
    };
    for (const parse of ['worker', undefined] as const) {
      answers.length = 0;
      const state = await fetchState(bigLeader.url, watching, { ...(parse ? { parse } : {}), worker });
      expect(state).toStrictEqual({ ...parseGetState(Buffer.from(big), `${bigLeader.url}/api/v1`), fetchedAt: state.fetchedAt });
      expect(answers.map((a) => [a.status, a.body.length])).toEqual([[200, 0]]);
    }
  }, 60_000);

  it('ends its thread once idle (its heap with it), and starts a fresh one for the next parse', async () => {
    const quick = createStateWorker({ idleMs: 100 });
    try {
      const payload = getStateText();
      expect(await quick.parse('v1', Buffer.from(payload), url, fetchedAt)).toStrictEqual(parseGetState(payload, url, fetchedAt));
      expect(quick.threads()).toBe(1);
      await vi.waitFor(() => expect(quick.threads()).toBe(0), { timeout: 15_000, interval: 20 });
      expect(await quick.parse('v1', Buffer.from(payload), url, fetchedAt)).toStrictEqual(parseGetState(payload, url, fetchedAt));
      expect(quick.threads()).toBe(1);
    } finally {
      await quick.close();
    }
  });

  it('parses a SUBSCRIBED record: its state and heartbeat interval; any other record is MESOS_BAD_RESPONSE', async () => {
    const feed = new StateFeed();
    const record = subscribedBytes(big, 7.5);
    for (let at = 0; at < record.length; at += 65_536) feed.push(record.subarray(at, at + 65_536));
    feed.end(fetchedAt);
    const { state, heartbeatSeconds } = await worker.parseSubscribed(feed, url, 0);
    expect(heartbeatSeconds).toBe(7.5);
    expect(state).toStrictEqual(parseGetState(Buffer.from(big), url, fetchedAt));
    expect(await errorOf(() => worker.parseSubscribed(Buffer.from('{"type":"HEARTBEAT"}'), url, fetchedAt))).toMatchObject({
      code: 'MESOS_BAD_RESPONSE',
      message: `The answer of ${url} could not be read: its first event is not a SUBSCRIBED with the state in it.`,
    });
  });

  it('fails a body cut short in the middle of the download as the inline parse does, and forgets its bytes', async () => {
    const gz = zlib.gzipSync(big, { level: 1 });
    const sockets = new Set<Socket>();
    // Announces the whole body, sends 60% of it (well past the first MiB: the thread has it), closes.
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const gzip = req.url === '/gzip/api/v1';
        const body = gzip ? gz : big;
        res.writeHead(200, {
          'Content-Type': 'application/json',
          'Content-Length': String(body.length),
          ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
        });
        res.write(body.subarray(0, Math.floor(body.length * 0.6)), () => res.socket?.destroy());
      });
    });
    server.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const viaWorker = await errorOf(() => fetchState(base, transport, { parse: 'worker', worker }));
      expect(viaWorker).toMatchObject({
        code: 'MESOS_BAD_RESPONSE',
        message: `The answer of ${base}/api/v1 could not be read: the connection closed after ${Math.floor(big.length * 0.6)} of the ${big.length} bytes announced.`,
      });
      expect(viaWorker).toStrictEqual(await errorOf(() => fetchState(base, transport, { parse: 'inline' })));
      expect(await errorOf(() => fetchState(base, transport, { worker }))).toStrictEqual(viaWorker);
      // Gzipped: cut in the compressed bytes.
      const gzipped = await errorOf(() => fetchState(`${base}/gzip`, transport, { parse: 'worker', worker }));
      expect(gzipped).toMatchObject({
        code: 'MESOS_BAD_RESPONSE',
        message: expect.stringMatching(
          /^The answer of http:\/\/127\.0\.0\.1:\d+\/gzip\/api\/v1 could not be read: .*the connection closed/,
        ),
      });
      // The thread is the one it was and parses the next state.
      expect(worker.threads()).toBe(1);
      expect((await fetchState(bigLeader.url, transport, { parse: 'worker', worker })).tasks).toHaveLength(10_000);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    }

    // A feed given up on: its parse fails, and later chunks go nowhere.
    const feed = new StateFeed();
    const parsing = worker.parse('v1', feed, url, fetchedAt);
    feed.push(Buffer.from(big.subarray(0, 2 * 1024 * 1024)));
    feed.abort();
    await expect(parsing).rejects.toThrow(/abandoned/);
    feed.push(Buffer.from('{}'));
    feed.end();
    expect((await worker.parse('v1', Buffer.from(big), url, fetchedAt)).tasks).toHaveLength(10_000);
  }, 60_000);
});
