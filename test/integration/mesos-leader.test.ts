/**
 * Finding the leading Mesos master over loopback masters that answer as real ones do: the
 * leader (200), a follower (307 with a scheme-less Location naming the leader's hostname), a
 * master without a leader (503 "No leader elected"), one that refuses connections, one that
 * never answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTransport, type Transport } from '../../core/mesos/http.js';
import { discoverLeader } from '../../core/mesos/leader.js';
import { fakeDns } from './fixtures/mesos-dns.js';
import { example } from './fixtures/mesos-payloads.js';
import {
  refusedPort,
  startAuthenticating,
  startFollower,
  startLeader,
  startLeaderless,
  startSilent,
  startSlowLeader,
  type LeaderRunning,
  type Running,
} from './fixtures/mesos-servers.js';

let leader: LeaderRunning;
let follower: Running;
let leaderless: Running;
let silent: Running;
let slow: Running;
let authenticating: Running;
let deadFollower: Running;
let refused: string;
/** Where the dead follower's redirects point: nothing listens there. */
let deadPort: number;
const leaderHost = 'ip-127-0-0-1.ec2.internal';
const transports: Transport[] = [];

beforeAll(async () => {
  leader = await startLeader({ hostname: leaderHost });
  follower = await startFollower({ hostname: leaderHost, port: leader.port });
  leaderless = await startLeaderless();
  silent = await startSilent();
  slow = await startSlowLeader();
  authenticating = await startAuthenticating();
  deadPort = await refusedPort();
  deadFollower = await startFollower({ hostname: leaderHost, port: deadPort });
  refused = `http://127.0.0.1:${await refusedPort()}`;
});

afterAll(async () => {
  for (const t of transports) t.close();
  await Promise.all([leader, follower, leaderless, silent, slow, authenticating, deadFollower].map((s) => s.close()));
});

/** DNS resolves the leader's EC2 hostname unless told otherwise. */
function transport(options: { dns?: Record<string, string>; timeoutMs?: number } = {}): Transport {
  const t = createTransport({ timeoutMs: options.timeoutMs ?? 2000, lookup: fakeDns(options.dns ?? { [leaderHost]: '127.0.0.1' }) });
  transports.push(t);
  return t;
}

describe('leader discovery', () => {
  it('takes the leader that answers for itself, addressed by the IP and port of its pid', async () => {
    const found = await discoverLeader([leader.url], transport());
    expect(found).toMatchObject({
      url: `http://127.0.0.1:${leader.port}`,
      ip: '127.0.0.1',
      port: leader.port,
      hostname: leaderHost,
      id: example.masterId,
      pid: `master@127.0.0.1:${leader.port}`,
      via: `${leader.url}/master/state`,
    });
    expect(found.attempts).toEqual([{ url: `${leader.url}/master/state`, outcome: `200: the leader is master@127.0.0.1:${leader.port}` }]);
    expect(leader.served.at(-1)).toMatchObject({ method: 'GET', url: '/master/state' });
  });

  it('accepts master addresses without a scheme or with a trailing slash', async () => {
    const found = await discoverLeader([`127.0.0.1:${leader.port}/`], transport());
    expect(found.url).toBe(`http://127.0.0.1:${leader.port}`);
  });

  it('reads only the head of the state: a leader whose agents never arrive is still found', async () => {
    // The rest of the state never comes: a client that waited for it would fail on its timeout instead.
    const found = await discoverLeader([slow.url], transport({ timeoutMs: 5000 }));
    expect(found.pid).toBe(`master@127.0.0.1:${slow.port}`);
    expect(found.attempts).toEqual([{ url: `${slow.url}/master/state`, outcome: `200: the leader is master@127.0.0.1:${slow.port}` }]);
  });

  it("follows a follower's 307 to the leader's hostname, giving the scheme-less Location the scheme it was asked with", async () => {
    const found = await discoverLeader([follower.url], transport());
    expect(follower.served.at(-1)).toMatchObject({ method: 'GET', url: '/master/state' });
    expect(found.attempts).toEqual([
      {
        url: `${follower.url}/master/state`,
        outcome: `307: not the leader, redirects to http://${leaderHost}:${leader.port}/master/state`,
      },
      { url: `http://${leaderHost}:${leader.port}/master/state`, outcome: `200: the leader is master@127.0.0.1:${leader.port}` },
    ]);
    // Afterwards the leader is talked to by IP, not by the name that may not resolve.
    expect(found.url).toBe(`http://127.0.0.1:${leader.port}`);
  });

  it('when the redirect names a hostname that does not resolve, tries the IP its EC2 name spells', async () => {
    const found = await discoverLeader([follower.url], transport({ dns: {} }));
    expect(found.url).toBe(`http://127.0.0.1:${leader.port}`);
    expect(found.attempts.map((a) => a.outcome)).toEqual([
      expect.stringMatching(/^307/),
      expect.stringMatching(/does not resolve \(ENOTFOUND\); trying the IP its name spells/),
      expect.stringMatching(/^200/),
    ]);
    expect(found.attempts[2]!.url).toBe(`http://127.0.0.1:${leader.port}/master/state`);
  });

  it('moves on past no leader (503), a refused connection and silence, to the leader', async () => {
    const found = await discoverLeader([leaderless.url, refused, silent.url, leader.url], transport({ timeoutMs: 300 }));
    expect(found.url).toBe(`http://127.0.0.1:${leader.port}`);
    expect(found.attempts.map((a) => a.outcome)).toEqual([
      '503 "No leader elected"',
      'connection refused',
      'no complete answer within 300 ms',
      `200: the leader is master@127.0.0.1:${leader.port}`,
    ]);
  });

  it('fails with MESOS_NO_LEADER naming every master and what it answered, in bounded time', async () => {
    // Bounded by the 300 ms per request: the silent master's line names that timeout.
    const error = await discoverLeader([leaderless.url, refused, silent.url, deadFollower.url], transport({ timeoutMs: 300 })).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'MESOS_NO_LEADER' });
    const { message, details, hint } = error as { message: string; details: string[]; hint: string };
    expect(details).toEqual([
      `${leaderless.url}/master/state: 503 "No leader elected"`,
      `${refused}/master/state: connection refused`,
      `${silent.url}/master/state: no complete answer within 300 ms`,
      `${deadFollower.url}/master/state: 307: not the leader, redirects to http://${leaderHost}:${deadPort}/master/state`,
      `http://${leaderHost}:${deadPort}/master/state: connection refused`,
    ]);
    for (const d of details) expect(message).toContain(d);
    expect(hint).toMatch(/No leader elected/);
  });

  it('is MESOS_UNREACHABLE, pointing at the address and port, when no master accepts a connection', async () => {
    const error = await discoverLeader([refused, `http://127.0.0.1:${deadPort}`], transport({ timeoutMs: 300 })).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'MESOS_UNREACHABLE',
      message: `No Mesos master could be reached: ${refused}/master/state: connection refused; http://127.0.0.1:${deadPort}/master/state: connection refused.`,
      hint: expect.stringMatching(/addresses and ports in the cluster profile/),
    });
    expect((error as { hint: string }).hint).not.toMatch(/ZooKeeper/);
  });

  it('says MESOS_UNAUTHORIZED when a master wants credentials', async () => {
    await expect(discoverLeader([authenticating.url], transport())).rejects.toMatchObject({
      code: 'MESOS_UNAUTHORIZED',
      hint: expect.stringMatching(/credentials/),
    });
  });

  it('needs at least one master', async () => {
    await expect(discoverLeader([], transport())).rejects.toMatchObject({ code: 'MESOS_NO_LEADER' });
  });
});
