/**
 * The master's state over HTTP from loopback masters: v1 GET_STATE, the 307 of a follower
 * (re-POSTed to the leader), the /master/state fallback, and the answers that are not a state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMesosClient } from '../../core/mesos/client.js';
import { createTransport, type Transport } from '../../core/mesos/http.js';
import { fetchAgents, fetchAllTasks, fetchState, fetchTask, parseGetState, parseMasterState } from '../../core/mesos/state.js';
import { fakeDns } from './fixtures/mesos-dns.js';
import { example, getStateText, masterStateText, oom, preciseNs } from './fixtures/mesos-payloads.js';
import {
  startFollower,
  startLeader,
  startLeaderless,
  startSilent,
  startTruncatedLeader,
  type LeaderRunning,
  type Running,
} from './fixtures/mesos-servers.js';

const leaderHost = 'ip-127-0-0-1.ec2.internal';
let leader: LeaderRunning;
let v0Leader: LeaderRunning;
let follower: Running;
let leaderless: Running;
let silent: Running;
let cutJson: Running;
let cutConnection: Running;
let cutStateOnly: Running;
let cutV0StateOnly: Running;
let transport: Transport;

beforeAll(async () => {
  leader = await startLeader({ hostname: leaderHost });
  v0Leader = await startLeader({ hostname: leaderHost, noV1: true });
  follower = await startFollower({ hostname: leaderHost, port: leader.port });
  leaderless = await startLeaderless();
  silent = await startSilent();
  cutJson = await startTruncatedLeader('declared');
  cutConnection = await startTruncatedLeader('connection');
  cutStateOnly = await startTruncatedLeader('connection', 'served');
  cutV0StateOnly = await startTruncatedLeader('declared', 'served', { noV1: true });
  transport = createTransport({ timeoutMs: 2000, lookup: fakeDns({ [leaderHost]: '127.0.0.1' }) });
});

afterAll(async () => {
  transport.close();
  await Promise.all(
    [leader, v0Leader, follower, leaderless, silent, cutJson, cutConnection, cutStateOnly, cutV0StateOnly].map((s) => s.close()),
  );
});

describe('the state of the cluster', () => {
  it('comes from the v1 operator API: POST /api/v1 GET_STATE, JSON both ways, gzipped on the wire', async () => {
    const state = await fetchState(leader.url, transport);
    const asked = leader.served.at(-1)!;
    expect(asked).toMatchObject({ method: 'POST', url: '/api/v1', body: '{"type":"GET_STATE"}' });
    expect(asked.headers).toMatchObject({ 'content-type': 'application/json', accept: 'application/json', 'accept-encoding': 'gzip' });
    expect(state.source).toBe('v1');
    expect(state.url).toBe(`${leader.url}/api/v1`);
    expect({ ...state, fetchedAt: 0 }).toEqual({ ...parseGetState(getStateText(), state.url), fetchedAt: 0 });
    expect(state.agents[1]!.registeredAt!.ns).toBe(preciseNs.toString());
    expect(state.tasks.flatMap((t) => t.statuses).find((s) => s.reason !== null)).toMatchObject(oom);
  });

  it('is re-POSTed to the leader when a follower answers 307, with the same body', async () => {
    const before = leader.served.length;
    const state = await fetchState(follower.url, transport);
    expect(follower.served.at(-1)).toMatchObject({ method: 'POST', url: '/api/v1' });
    expect(leader.served.slice(before)).toEqual([
      expect.objectContaining({ method: 'POST', url: '/api/v1', body: '{"type":"GET_STATE"}' }),
    ]);
    expect(state.url).toBe(`http://${leaderHost}:${leader.port}/api/v1`);
    expect(state.agents).toHaveLength(2);
  });

  it('falls back to GET /master/state where /api/v1 is not there (404)', async () => {
    const state = await fetchState(v0Leader.url, transport);
    expect(v0Leader.served.map((s) => `${s.method} ${s.url}`).slice(-2)).toEqual(['POST /api/v1', 'GET /master/state']);
    expect(state.source).toBe('v0');
    expect(state.agents.map((a) => a.ip)).toEqual(['10.20.1.11', '10.20.2.37']);
    expect(state.tasks).toHaveLength(2);
  });

  it('is MESOS_NO_LEADER when the master answers 503 "No leader elected"', async () => {
    await expect(fetchState(leaderless.url, transport)).rejects.toMatchObject({
      code: 'MESOS_NO_LEADER',
      message: `${leaderless.url}/api/v1 answered 503 "No leader elected".`,
    });
  });

  it('is MESOS_BAD_RESPONSE for truncated JSON, naming the URL and where it broke', async () => {
    const error = (await fetchState(cutJson.url, transport).catch((e: unknown) => e)) as { code: string; message: string };
    expect(error.code).toBe('MESOS_BAD_RESPONSE');
    expect(error.message).toContain(`${cutJson.url}/api/v1`);
    // Node 22's JSON.parse adds "(line 1 column N)" after the position.
    expect(error.message).toMatch(/not valid JSON \(.+ at position \d+( \(line \d+ column \d+\))?; \d+ bytes, ending "/);
  });

  it('is MESOS_BAD_RESPONSE when the connection closes in the middle of the answer', async () => {
    const error = (await fetchState(cutConnection.url, transport).catch((e: unknown) => e)) as { code: string; message: string };
    expect(error.code).toBe('MESOS_BAD_RESPONSE');
    expect(error.message).toMatch(
      new RegExp(`${cutConnection.url}/api/v1 could not be read: the connection closed after \\d+ of the \\d+ bytes announced`),
    );
  });

  it('is MESOS_UNREACHABLE when the leader does not answer in time', async () => {
    // The request's own 300 ms, not the transport's 2 s, is what gave up: the message names it.
    await expect(fetchState(silent.url, transport, { timeoutMs: 300 })).rejects.toMatchObject({
      code: 'MESOS_UNREACHABLE',
      message: `The Mesos master at ${silent.url}/api/v1 did not answer: no complete answer within 300 ms.`,
    });
  });
});

describe('a state that cannot be read whole', () => {
  it('degrades to GET_AGENTS and the paged /master/tasks, saying what was cut and what answered', async () => {
    const before = cutStateOnly.served.length;
    const state = await fetchState(cutStateOnly.url, transport);
    const whole = parseGetState(getStateText(), 'x');
    expect(state.agents.map((a) => a.id)).toEqual(whole.agents.map((a) => a.id));
    expect(new Set(state.tasks.map((t) => t.id))).toEqual(new Set(whole.tasks.map((t) => t.id)));
    expect(state.degraded).toMatch(
      new RegExp(
        `^The full state \\(GET_STATE\\) could not be read: The answer of ${cutStateOnly.url}/api/v1 could not be read: the connection closed after \\d+ of the \\d+ bytes announced\\. ` +
          `Agents are from GET_AGENTS and ${state.tasks.length} tasks from /master/tasks`,
      ),
    );
    expect(state.frameworks).toEqual([]);
    const asked = cutStateOnly.served.slice(before).map((s) => `${s.method} ${s.url}${s.body ? ` ${s.body}` : ''}`);
    expect(asked).toEqual(
      expect.arrayContaining([
        'POST /api/v1 {"type":"GET_STATE"}',
        'POST /api/v1 {"type":"GET_AGENTS"}',
        'GET /master/tasks?limit=2000&offset=0&order=asc',
      ]),
    );
  });

  it('on a master without the v1 API, degrades to /master/slaves and /master/tasks', async () => {
    const state = await fetchState(cutV0StateOnly.url, transport);
    expect(state.source).toBe('v0');
    expect(state.agents.map((a) => a.hostname)).toEqual(['ip-10-20-1-11.ec2.internal', 'ip-10-20-2-37.ec2.internal']);
    expect(state.tasks.map((t) => t.id)).toContain(example.runningTask);
    expect(state.degraded).toMatch(
      /^The full state \(\/master\/state\) could not be read: The answer of .*\/master\/state could not be read: it is not valid JSON .*Agents are from \/master\/slaves and \d+ tasks from \/master\/tasks/,
    );
  });

  it('reads every page of /master/tasks, oldest first, each task once', async () => {
    const before = leader.served.length;
    const paged = await fetchAllTasks(leader.url, transport, {}, 2);
    const one = await fetchAllTasks(leader.url, transport, {}, 100);
    expect(paged.map((t) => t.id)).toEqual(one.map((t) => t.id));
    expect(new Set(paged.map((t) => t.id)).size).toBe(paged.length);
    const pages = leader.served.slice(before, -1).map((s) => s.url);
    expect(pages).toEqual(
      Array.from({ length: Math.floor(one.length / 2) + 1 }, (_, i) => `/master/tasks?limit=2&offset=${i * 2}&order=asc`),
    );
  });

  it('stays MESOS_BAD_RESPONSE when the smaller endpoints are cut as well, naming each', async () => {
    const error = (await fetchState(cutConnection.url, transport).catch((e: unknown) => e)) as { code: string; details: string[] };
    expect(error.code).toBe('MESOS_BAD_RESPONSE');
    expect(error.details).toEqual([
      expect.stringMatching(/^the agents alone failed too \(The answer of .*\/api\/v1 could not be read: the connection closed/),
      expect.stringMatching(
        /^\/master\/tasks failed too \(The answer of .*\/master\/tasks\?limit=2000&offset=0&order=asc could not be read/,
      ),
    ]);
  });
});

describe('the agents alone', () => {
  it('come from v1 GET_AGENTS, and from /master/slaves on a master without the v1 API', async () => {
    const v1 = await fetchAgents(leader.url, transport);
    expect(v1).toMatchObject({ source: 'v1', url: `${leader.url}/api/v1`, tasks: [] });
    const v0 = await fetchAgents(v0Leader.url, transport);
    expect(v0Leader.served.map((s) => `${s.method} ${s.url}`).slice(-2)).toEqual(['POST /api/v1', 'GET /master/slaves']);
    const full = parseMasterState(Buffer.from(masterStateText({ ip: '127.0.0.1', port: v0Leader.port, hostname: leaderHost })), 'x');
    expect(v0).toMatchObject({ source: 'v0', url: `${v0Leader.url}/master/slaves`, tasks: [], frameworks: [] });
    expect(v0!.agents).toEqual(full.agents);
  });
});

describe('one task, asked of the master by id', () => {
  it('is GET /master/tasks?task_id=, followed through a 307, with where it runs', async () => {
    const task = await fetchTask(follower.url, transport, example.runningTask);
    expect(leader.served.at(-1)).toMatchObject({ method: 'GET', url: `/master/tasks?task_id=${example.runningTask}` });
    expect(task).toMatchObject({
      id: example.runningTask,
      agentId: example.agents[0].id,
      frameworkId: example.frameworkId,
      state: 'TASK_RUNNING',
      list: 'active',
    });
    expect(task!.sandbox.executorId).toBe(example.runningExecutor);
    const failed = await fetchTask(leader.url, transport, example.failedTask);
    expect(failed).toMatchObject({ state: 'TASK_FAILED', list: 'completed', agentId: example.agents[1].id });
  });

  it('is null for a task the master does not list, and MESOS_NO_LEADER without a leader', async () => {
    expect(await fetchTask(leader.url, transport, 'no-such-task')).toBeNull();
    await expect(fetchTask(leaderless.url, transport, example.runningTask)).rejects.toMatchObject({ code: 'MESOS_NO_LEADER' });
  });
});

describe('a client of one cluster', () => {
  it('finds the leader again when the one it knew stops answering', async () => {
    const first = await startLeader({ hostname: leaderHost });
    const second = await startLeader({ hostname: leaderHost });
    const client = createMesosClient({ masters: [first.url, second.url], timeoutMs: 1000 });
    try {
      expect((await client.state()).url).toBe(`http://127.0.0.1:${first.port}/api/v1`);
      await first.close();
      expect((await client.state()).url).toBe(`http://127.0.0.1:${second.port}/api/v1`);
      expect((await client.leader()).port).toBe(second.port);
    } finally {
      client.close();
      await second.close();
    }
  });
});
