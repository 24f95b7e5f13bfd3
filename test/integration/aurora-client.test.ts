/**
 * The Aurora client against a loopback scheduler that speaks /apibeta (Gson JSON) and /api
 * (TJSON) as Aurora 0.22 does, over each protocol: views (roles, jobs, tasks, pending reasons),
 * commands (kill, restart) changing what the views return, and every way a scheduler fails:
 * followers, no leader, refused and silent ports, broken bodies, refusals, authentication.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createAuroraClient } from '../../core/aurora/client.js';
import type { AuroraClient, AuroraClientOptions, AuroraTask } from '../../core/aurora/types.js';
import { ConsoleError } from '../../core/errors.js';
import {
  auroraTaskId,
  refusedPort,
  startAurora,
  startAuroraFollower,
  startAuroraLeaderless,
  startAuroraSilent,
  type AuroraOptions,
  type AuroraRunning,
  type AuroraSeedJob,
} from './fixtures/aurora-server.js';

const web = { role: 'www-data', environment: 'prod', name: 'web' };
const crunch = { role: 'analytics', environment: 'test', name: 'crunch' };
const nightly = { role: 'www-data', environment: 'prod', name: 'nightly_report' };
const train = { role: 'ml', environment: 'devel', name: 'train' };
const t0 = Date.UTC(2020, 1, 1, 12, 0, 0);

function seed(): AuroraSeedJob[] {
  return [
    {
      ...web,
      instances: 3,
      service: true,
      tier: 'preferred',
      priority: 10,
      resources: { cpus: 0.5, ramMb: 256, diskMb: 512, ports: ['http'] },
      constraints: { host: 'limit:1', 'slave-type': 'mesos-fixed', rack: '!r13,r14' },
      processes: [
        { name: 'stage', cmdline: 'cp /opt/pkgs/web.py .' },
        { name: 'serve', cmdline: 'python -u web.py --http {{thermos.ports[http]}}' },
      ],
      tasks: [
        { instance: 0, generation: 0, status: 'FAILED', slaveHost: 'agent-2.example', slaveId: 'S2' },
        {
          instance: 0,
          generation: 1,
          status: 'RUNNING',
          slaveHost: 'agent-1.example',
          slaveId: 'S1',
          ancestorId: auroraTaskId(web, 0, 0),
          failureCount: 1,
          ports: { http: 31001 },
          // Written newest first: the console shows them oldest first.
          events: [
            { at: t0 + 3000, status: 'RUNNING' },
            { at: t0 + 2000, status: 'ASSIGNED' },
            { at: t0, status: 'PENDING', message: 'Rescheduled' },
          ],
        },
        { instance: 1, status: 'RUNNING', slaveHost: 'agent-3.example', slaveId: 'S3', ports: { http: 31002 } },
        { instance: 2, status: 'PENDING', pendingReason: 'Insufficient: RAM' },
      ],
    },
    {
      ...crunch,
      resources: { cpus: 2, ramMb: 4096, diskMb: 10240 },
      constraints: { 'slave-type': 'mesos-on-demand' },
      maxTaskFailures: 3,
      tasks: [
        { instance: 0, status: 'RUNNING' },
        { instance: 1, status: 'PENDING', pendingReason: 'Constraint not satisfied: slave-type' },
      ],
    },
    {
      ...nightly,
      resources: { cpus: 1, ramMb: 1024, diskMb: 1024 },
      cron: { schedule: '30 2 * * *', collisionPolicy: 'CANCEL_NEW', nextRunMs: t0 + 86_400_000 },
      maxTaskFailures: -1,
      tasks: [{ instance: 0, status: 'FINISHED' }],
    },
    {
      ...train,
      legacyResources: true,
      resources: { cpus: 8, ramMb: 65536, diskMb: 204800 },
      updating: true,
      tasks: [{ instance: 0, status: 'RUNNING' }],
    },
  ];
}

const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function aurora(options: Partial<AuroraOptions> = {}): Promise<AuroraRunning> {
  const s = await startAurora({ jobs: seed(), ...options });
  open.push(s);
  return s;
}

async function failure(p: Promise<unknown>): Promise<ConsoleError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ConsoleError) return e;
    throw e;
  }
  throw new Error('expected a ConsoleError');
}

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
}

const byInstance = (tasks: AuroraTask[], instance: number) => tasks.filter((t) => t.instance === instance);

const variants = [
  { name: 'apibeta', protocol: 'apibeta', apibeta: true, wire: 'apibeta' },
  { name: 'thrift', protocol: 'thrift', apibeta: true, wire: 'thrift' },
  { name: 'auto, falling back when /apibeta is 404', protocol: 'auto', apibeta: false, wire: 'thrift' },
] as const;

describe.each(variants)('over $name', (v) => {
  function client(url: string, options: Partial<AuroraClientOptions> = {}): AuroraClient {
    const c = createAuroraClient({ url, protocol: v.protocol, timeoutMs: 2000, transientPauseMs: 20, ...options });
    open.push(c);
    return c;
  }
  const start = (options: Partial<AuroraOptions> = {}) => aurora({ apibeta: v.apibeta, ...options });

  it('pings, and speaks the protocol it should', async () => {
    const s = await start();
    const c = client(s.url);
    expect(await c.ping()).toEqual({ url: s.url, clusterName: 'devcluster', roles: 3 });
    await c.ping();
    expect(s.calls).toEqual([`${v.wire}:getRoleSummary`, `${v.wire}:getRoleSummary`]);
    // auto asks /apibeta once, then stays on /api for the life of the client.
    const apibetaTries = s.requests.filter((r) => r.startsWith('POST /apibeta/')).length;
    expect(apibetaTries).toBe(v.protocol === 'auto' ? 1 : v.wire === 'apibeta' ? 2 : 0);
  });

  it('lists roles with job and cron counts', async () => {
    const s = await start();
    expect(await client(s.url).roles()).toEqual([
      { role: 'analytics', jobCount: 1, cronJobCount: 0 },
      { role: 'ml', jobCount: 1, cronJobCount: 0 },
      { role: 'www-data', jobCount: 2, cronJobCount: 1 },
    ]);
  });

  it('lists the jobs of one role', async () => {
    const s = await start();
    const jobs = await client(s.url).jobs('www-data');
    expect(jobs.map((j) => j.key)).toEqual(['www-data/prod/nightly_report', 'www-data/prod/web']);
    expect(jobs[1]).toEqual({
      key: 'www-data/prod/web',
      ...web,
      instances: 3,
      service: true,
      cron: null,
      tier: 'preferred',
      priority: 10,
      maxTaskFailures: 1,
      constraints: ['host: limit:1', 'rack: !r13,r14', 'slave-type: mesos-fixed'],
      resources: { cpus: 0.5, ramMb: 256, diskMb: 512 },
      stats: { active: 2, finished: 0, failed: 1, pending: 1 },
    });
    expect(jobs[0]).toMatchObject({
      service: false,
      maxTaskFailures: -1,
      cron: { schedule: '30 2 * * *', collisionPolicy: 'CANCEL_NEW', nextRun: t0 + 86_400_000 },
      stats: { active: 0, finished: 1, failed: 0, pending: 0 },
    });
  });

  it('lists the jobs of every role, one getJobSummary per role', async () => {
    const s = await start();
    const jobs = await client(s.url).jobs();
    expect(jobs.map((j) => j.key)).toEqual([
      'analytics/test/crunch',
      'ml/devel/train',
      'www-data/prod/nightly_report',
      'www-data/prod/web',
    ]);
    // A scheduler before 0.19 sends task-level resources only.
    expect(jobs[1]!.resources).toEqual({ cpus: 8, ramMb: 65536, diskMb: 204800 });
    expect(s.calls.filter((c) => c.endsWith('getJobSummary'))).toHaveLength(3);
    expect(s.calls[0]).toBe(`${v.wire}:getRoleSummary`);
  });

  it('lists tasks with statuses, events oldest first, ancestors and agents', async () => {
    const s = await start();
    const tasks = await client(s.url).tasks({ role: 'www-data', environment: 'prod', jobName: 'web' });
    expect(tasks.map((t) => [t.instance, t.status])).toEqual([
      [0, 'FAILED'],
      [0, 'RUNNING'],
      [1, 'RUNNING'],
      [2, 'PENDING'],
    ]);
    const current = tasks[1]!;
    expect(current).toMatchObject({
      taskId: auroraTaskId(web, 0, 1),
      jobKey: 'www-data/prod/web',
      agentId: 'S1',
      agentHost: 'agent-1.example',
      ancestorId: auroraTaskId(web, 0, 0),
      failureCount: 1,
      ports: { http: 31001 },
      tier: 'preferred',
      priority: 10,
      constraints: ['host: limit:1', 'rack: !r13,r14', 'slave-type: mesos-fixed'],
      resources: { cpus: 0.5, ramMb: 256, diskMb: 512 },
      processes: [], // getTasksWithoutConfigs strips executorConfig.data
    });
    expect(current.events.map((e) => [e.at - t0, e.status, e.message])).toEqual([
      [0, 'PENDING', 'Rescheduled'],
      [2000, 'ASSIGNED', null],
      [3000, 'RUNNING', null],
    ]);
    expect(tasks[3]).toMatchObject({ agentId: null, agentHost: null, ancestorId: null, ports: {} });
    expect(s.calls).toEqual([`${v.wire}:getTasksWithoutConfigs`]);
  });

  it('reads processes with getTasksStatus, and filters by status, instance and host', async () => {
    const s = await start();
    const c = client(s.url);
    const [withConfigs] = await c.tasks({ taskIds: [auroraTaskId(web, 1)] }, { withConfigs: true });
    expect(withConfigs!.processes).toEqual([
      { name: 'stage', cmdline: 'cp /opt/pkgs/web.py .' },
      { name: 'serve', cmdline: 'python -u web.py --http {{thermos.ports[http]}}' },
    ]);
    expect((await c.tasks({ statuses: ['PENDING'] })).map((t) => t.jobKey)).toEqual(['www-data/prod/web', 'analytics/test/crunch']);
    expect((await c.tasks({ role: 'www-data', jobName: 'web', instanceIds: [0] })).map((t) => t.status)).toEqual(['FAILED', 'RUNNING']);
    expect((await c.tasks({ slaveHosts: ['agent-3.example'] })).map((t) => t.taskId)).toEqual([auroraTaskId(web, 1)]);
    expect((await c.tasks({ statuses: ['RUNNING'], limit: 1, offset: 1 })).map((t) => t.taskId)).toEqual([auroraTaskId(web, 1)]);
    const before = s.calls.length;
    expect(await c.tasks({ taskIds: [] })).toEqual([]);
    expect(s.calls.length).toBe(before);
  });

  it('gives pending reasons of PENDING tasks', async () => {
    const s = await start();
    const c = client(s.url);
    expect(await c.pendingReasons({ role: 'www-data' })).toEqual(new Map([[auroraTaskId(web, 2), 'Insufficient: RAM']]));
    const all = await c.pendingReasons({ statuses: ['PENDING'] });
    expect(all.get(auroraTaskId(crunch, 1))).toBe('Constraint not satisfied: slave-type');
    expect(all.size).toBe(2);
    expect(await c.pendingReasons({ statuses: ['RUNNING'] })).toEqual(new Map());
  });

  it('kills instances: KILLING then KILLED with the message, PENDING ones deleted', async () => {
    const s = await start();
    const c = client(s.url);
    expect(await c.kill(web, [1, 2], 'bad deploy')).toEqual({ message: null });
    const right = byInstance(await c.tasks({ jobName: 'web' }), 1);
    expect(['KILLING', 'KILLED']).toContain(right[0]!.status);
    const after = await eventually(
      () => c.tasks({ jobName: 'web' }),
      (ts) => byInstance(ts, 1)[0]!.status === 'KILLED',
    );
    const killed = byInstance(after, 1)[0]!;
    expect(killed.status).toBe('KILLED');
    expect(killed.events.map((e) => e.status).slice(-2)).toEqual(['KILLING', 'KILLED']);
    expect(killed.events.at(-2)!.message).toBe('Killed by UNSECURE.\nbad deploy');
    expect(byInstance(after, 2)).toEqual([]); // the pending one never ran: deleted
    expect(byInstance(after, 0).map((t) => t.status)).toEqual(['FAILED', 'RUNNING']);
    expect(s.calls).toContain(`${v.wire}:killTasks`);
  });

  it('kills every active instance with no instances, and says so when nothing matched', async () => {
    const s = await start();
    const c = client(s.url);
    await c.kill(crunch, undefined, 'done');
    await eventually(
      () => c.tasks({ role: 'analytics' }),
      (ts) => ts.every((t) => t.status === 'KILLED'),
    );
    expect((await c.tasks({ role: 'analytics' })).map((t) => t.status)).toEqual(['KILLED']);
    expect(await c.kill(crunch, [], 'again')).toEqual({ message: 'No tasks to kill.' });
  });

  it('restarts instances: RESTARTING, KILLED, and a new PENDING generation', async () => {
    const s = await start();
    const c = client(s.url);
    expect(await c.restart(web, [0, 1])).toEqual({ message: null });
    const tasks = await eventually(
      () => c.tasks({ jobName: 'web', statuses: ['PENDING'] }),
      (ts) => ts.length === 3,
    );
    const fresh = tasks.filter((t) => t.ancestorId !== null).sort((a, b) => a.instance - b.instance);
    expect(fresh.map((t) => [t.instance, t.ancestorId])).toEqual([
      [0, auroraTaskId(web, 0, 1)],
      [1, auroraTaskId(web, 1, 0)],
    ]);
    const old = await c.tasks({ taskIds: [auroraTaskId(web, 0, 1)] });
    expect(old[0]!.events.map((e) => e.status).slice(-2)).toEqual(['RESTARTING', 'KILLED']);
    expect(old[0]!.events.at(-2)!.message).toBe('Restarted by UNSECURE');
  });

  it("reports a refusal with the scheduler's message", async () => {
    const s = await start();
    const c = client(s.url);
    const notActive = await failure(c.restart(crunch, [0, 5]));
    expect(notActive.code).toBe('AURORA_REFUSED');
    expect(notActive.message).toContain('Not all requested shards are active.');
    expect(notActive.message).toContain(s.url);
    const updating = await failure(c.kill(train, [0], 'x'));
    expect(updating.code).toBe('AURORA_REFUSED');
    expect(updating.message).toContain('JOB_UPDATING_ERROR');
    expect(updating.hint).toMatch(/update/);
    s.faults.getJobSummary = { kind: 'code', code: 'ERROR', message: 'Storage is not READY' };
    const error = await failure(c.jobs('www-data'));
    expect([error.code, error.message]).toEqual(['AURORA_REFUSED', expect.stringContaining('Storage is not READY')]);
    s.faults.getRoleSummary = { kind: 'code', code: 'INVALID_REQUEST', message: 'bad query' };
    expect((await failure(c.roles())).code).toBe('AURORA_REFUSED');
  });

  it("keeps a WARNING's message and answers it", async () => {
    const s = await start({ faults: { killTasks: { kind: 'code', code: 'WARNING', message: 'Deprecated: use the updater.' } } });
    expect(await client(s.url).kill(web, [1], 'x')).toEqual({ message: 'Deprecated: use the updater.' });
  });

  it('retries a read once after ERROR_TRANSIENT, then gives up; never retries a write', async () => {
    const s = await start({
      faults: { getRoleSummary: { kind: 'code', code: 'ERROR_TRANSIENT', message: 'Storage is starting', times: 1 } },
    });
    const c = client(s.url);
    expect((await c.roles()).length).toBe(3);
    expect(s.calls.filter((x) => x.endsWith('getRoleSummary'))).toHaveLength(2);

    s.faults.getJobSummary = { kind: 'code', code: 'ERROR_TRANSIENT', message: 'Storage is starting' };
    const read = await failure(c.jobs('www-data'));
    expect(read.code).toBe('AURORA_UNREACHABLE');
    expect(read.message).toContain('Storage is starting');
    expect(s.calls.filter((x) => x.endsWith('getJobSummary'))).toHaveLength(2);

    s.faults.killTasks = { kind: 'code', code: 'ERROR_TRANSIENT', message: 'busy' };
    expect((await failure(c.kill(web, [1], 'x'))).code).toBe('AURORA_UNREACHABLE');
    expect(s.calls.filter((x) => x.endsWith('killTasks'))).toHaveLength(1);
  });

  it.each(['malformed', 'truncated', 'wrong-shape', 'html'] as const)('reports a %s answer as AURORA_BAD_RESPONSE', async (kind) => {
    const s = await start({ faults: { getTasksWithoutConfigs: { kind } } });
    const e = await failure(client(s.url).tasks({ role: 'www-data' }));
    expect(e.code).toBe('AURORA_BAD_RESPONSE');
    expect(e.message).toContain(s.url);
    expect(e.message).toContain('getTasksWithoutConfigs');
    expect(e.hint).toBeTruthy();
  });

  it("follows a follower's 307 to the leader, re-POSTing the body, and remembers the leader", async () => {
    const leader = await start();
    const follower = await startAuroraFollower(leader.url);
    open.push(follower);
    const c = client(follower.url);
    // The first call is a write: the leader can only kill instance 1 if the body came along.
    await c.kill(web, [1], 'via follower');
    expect(follower.calls).toHaveLength(1);
    expect(follower.calls[0]).toMatch(/^POST \/(api|apibeta\/killTasks) [1-9]\d*$/);
    expect(leader.calls).toEqual([`${v.wire}:killTasks`]);
    expect((await c.tasks({ taskIds: [auroraTaskId(web, 1)] }))[0]!.status).toMatch(/KILL/);
    expect((await c.ping()).url).toBe(leader.url);
    // Only the first call went through the follower; the rest went straight to the leader.
    expect(follower.calls).toHaveLength(1);
  });

  it('follows a scheme-relative Location, and finds the new leader after a failover', async () => {
    const a = await start();
    const b = await start();
    const follower = await startAuroraFollower(a.url, { location: 'scheme-relative' });
    open.push(follower);
    const c = client(follower.url);
    expect((await c.ping()).url).toBe(a.url);
    a.state.leader = false; // a loses leadership and answers 503; the follower now points at b
    follower.leaderUrl = b.url;
    expect((await c.ping()).url).toBe(b.url);
    expect(b.calls).toEqual([`${v.wire}:getRoleSummary`]);
  });

  it('stops after 3 redirects', async () => {
    const loop = await startAuroraFollower('http://127.0.0.1:1');
    open.push(loop);
    loop.leaderUrl = loop.url;
    const e = await failure(client(loop.url).ping());
    expect(e.code).toBe('AURORA_BAD_RESPONSE');
    expect(e.message).toMatch(/redirected more than 3 times/);
  });

  it('reports 503 as AURORA_NO_LEADER', async () => {
    const s = await startAuroraLeaderless();
    open.push(s);
    const e = await failure(client(s.url).jobs());
    expect(e.code).toBe('AURORA_NO_LEADER');
    expect(e.message).toContain(s.url);
    expect(e.message).toContain('No Leader Found');
  });

  it('reports a refused port and a silent scheduler as AURORA_UNREACHABLE, within the timeout', async () => {
    const url = `http://127.0.0.1:${await refusedPort()}`;
    const refused = await failure(client(url).roles());
    expect(refused.code).toBe('AURORA_UNREACHABLE');
    expect(refused.message).toContain(url);
    expect(refused.message).toContain('connection refused');

    const silent = await startAuroraSilent();
    open.push(silent);
    // What ended the call is the client's own 300 ms timer: the message names it.
    const e = await failure(client(silent.url, { timeoutMs: 300 }).tasks({ role: 'www-data' }));
    expect(e.code).toBe('AURORA_UNREACHABLE');
    expect(e.message).toContain('no complete answer within 300 ms');

    const s = await start({ faults: { getRoleSummary: { kind: 'hang' } } });
    const hung = await failure(client(s.url, { timeoutMs: 300 }).ping());
    expect(hung.code).toBe('AURORA_UNREACHABLE');
    expect(hung.message).toContain('no complete answer within 300 ms');
  });

  describe('with authentication on', () => {
    const credentials = { user: 'alice', password: 'apple' };

    it('reads without credentials, but a write without them is AURORA_AUTH_FAILED with a hint', async () => {
      const s = await start({ credentials });
      const c = client(s.url);
      expect((await c.roles()).length).toBe(3);
      const e = await failure(c.kill(web, [1], 'x'));
      expect(e.code).toBe('AURORA_AUTH_FAILED');
      expect(e.message).toContain('401');
      expect(e.hint).toMatch(/credentials.*profile/);
      expect((await c.tasks({ taskIds: [auroraTaskId(web, 1)] }))[0]!.status).toBe('RUNNING');
    });

    it('sends the credentials on reads and writes', async () => {
      const s = await start({ credentials });
      const c = client(s.url, { credentials });
      await c.roles();
      await c.restart(web, [1]);
      expect(s.calls).toEqual([`${v.wire}:getRoleSummary as alice`, `${v.wire}:restartShards as alice`]);
    });

    it('reports a user without permission (AUTH_FAILED) and a wrong password (401)', async () => {
      const s = await start({ credentials });
      const bob = await failure(client(s.url, { credentials: { user: 'bob', password: 'x' } }).kill(web, [1], 'x'));
      expect(bob.code).toBe('AURORA_AUTH_FAILED');
      expect(bob.message).toContain('AUTH_FAILED');
      expect(bob.message).toContain('not permitted');
      expect(bob.hint).toMatch(/user and password/);
      const wrong = await failure(client(s.url, { credentials: { ...credentials, password: 'pear' } }).roles());
      expect(wrong.code).toBe('AURORA_AUTH_FAILED');
      expect(wrong.message).toContain('401');
    });
  });
});

describe('protocol choice', () => {
  it('apibeta against a scheduler without /apibeta is AURORA_BAD_RESPONSE, not a silent switch', async () => {
    const s = await aurora({ apibeta: false });
    const c = createAuroraClient({ url: s.url, protocol: 'apibeta', timeoutMs: 2000 });
    open.push(c);
    const e = await failure(c.roles());
    expect(e.code).toBe('AURORA_BAD_RESPONSE');
    expect(e.message).toContain('404');
  });

  it('auto stays on /apibeta when the scheduler has it', async () => {
    const s = await aurora();
    const c = createAuroraClient({ url: `${s.url}/`, timeoutMs: 2000 });
    open.push(c);
    expect((await c.jobs()).length).toBe(4);
    expect(s.calls.every((x) => x.startsWith('apibeta:'))).toBe(true);
  });
});
