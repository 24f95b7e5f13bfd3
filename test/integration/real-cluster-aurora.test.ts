/**
 * A real cluster as an on-call engineer meets it, through the console's calls: started from
 * the command line (`--mesos-master … --aurora … --name …`), its jobs read from Aurora (through
 * a non-leading scheduler's 307), a pending task's reason, a failed task's Mesos reason, a
 * task's stderr read from its agent's files API, a kill and a restart journaled and audited
 * with the ~/.netrc credentials, "test connection" line by line, and the last-known state,
 * read-only, once the scheduler and the masters stop answering.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppStatus, ConnectionCheck, JobSummary, LogLine, Profile, SandboxEntry, Task, TaskEvent } from '../../core/contract/index.js';
import { startAurora, startAuroraFollower, type AuroraFollower, type AuroraRunning, type AuroraSeedJob } from './fixtures/aurora-server.js';
import { openConsole, tempDataDir, waitFor, type TestConsole } from './fixtures/embedded-helpers.js';
import { example, oom } from './fixtures/mesos-payloads.js';
import {
  startAgent,
  startLeader,
  startLeaderChange,
  startSilent,
  type AgentRunning,
  type LeaderRunning,
} from './fixtures/mesos-servers.js';
import { events } from './fixtures/mesos-events.js';

const pendingId = 'www-data-prod-hello-1-0b6d2f4e-3c1a-4e5f-8a9b-1c2d3e4f5a6b';
const traceback = 'Traceback (most recent call last):\n  File "hello.py", line 3, in <module>\nMemoryError\n';

const seed: AuroraSeedJob[] = [
  {
    role: 'www-data',
    environment: 'prod',
    name: 'hello',
    resources: { cpus: 1, ramMb: 128, diskMb: 256 },
    constraints: { 'slave-type': 'mesos-fixed' },
    service: true,
    processes: [{ name: 'hello', cmdline: 'python hello.py' }],
    tasks: [
      { instance: 0, status: 'RUNNING', taskId: example.runningTask, slaveId: example.agents[0].id, slaveHost: example.agents[0].hostname },
      { instance: 1, status: 'PENDING', taskId: pendingId, pendingReason: 'Insufficient: RAM' },
    ],
  },
  {
    role: 'www-data',
    environment: 'prod',
    name: 'batch_report',
    instances: 4,
    resources: { cpus: 2, ramMb: 2048, diskMb: 1024 },
    tasks: [
      { instance: 3, status: 'FAILED', taskId: example.failedTask, slaveId: example.agents[1].id, slaveHost: example.agents[1].hostname },
    ],
  },
];

let agent: AgentRunning;
let leader: LeaderRunning;
let aurora: AuroraRunning;
let follower: AuroraFollower;
let netrcFile: string;
const savedNetrc = process.env.NETRC;

beforeAll(async () => {
  agent = await startAgent({
    files: {
      stdout: 'Running task\n',
      stderr: 'I0610 thermos_executor started\n',
      'sandbox/.logs/hello/0/stdout': 'hello\n',
      'sandbox/.logs/hello/0/stderr': traceback,
    },
  });
  leader = await startLeader({ agentPids: [agent.pid] });
  aurora = await startAurora({ jobs: seed, clusterName: 'cantareira-dev', credentials: { user: 'oncall', password: 'p4ss' } });
  follower = await startAuroraFollower(aurora.url);
  netrcFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cantareira-netrc-')), 'netrc');
  fs.writeFileSync(netrcFile, 'machine 127.0.0.1 login oncall password p4ss\n', { mode: 0o600 });
  process.env.NETRC = netrcFile;
});
afterAll(async () => {
  if (savedNetrc === undefined) delete process.env.NETRC;
  else process.env.NETRC = savedNetrc;
  await Promise.all([agent, leader, aurora, follower].map((s) => s.close().catch(() => {})));
});

const dev = { masters: () => [leader.url], aurora: () => follower.url };

describe('a real cluster with Mesos and Aurora', () => {
  let t: TestConsole;
  let dir: string;
  beforeAll(async () => {
    dir = tempDataDir();
    t = openConsole(dir, {
      connect: { masters: dev.masters(), aurora: dev.aurora(), name: 'cantareira-dev' },
      mesosPollMs: 150,
      auroraPollMs: 150,
    });
    await t.console.ready;
    // The whole state (agents alone, marked partial, may come first).
    await waitFor('the first Mesos state', async () => {
      const r = await t.console.dispatch({ name: 'agents.list', input: {} });
      return r.ok && !(r.data as { partial?: boolean }).partial ? true : undefined;
    });
  });
  afterAll(() => t.close());

  it('starts from the command line on the profile it created', async () => {
    const status = await t.call<AppStatus>('app.status');
    expect(status.activeProfile).toMatchObject({ name: 'cantareira-dev', kind: 'mesos' });
    const { profiles } = await t.call<{ profiles: Profile[] }>('profiles.list');
    expect(profiles.find((p) => p.name === 'cantareira-dev')).toMatchObject({
      mesos: { masters: [leader.url] },
      aurora: { url: follower.url },
    });
  });

  it("lists Aurora's jobs, with Mesos' exact states for the active tasks", async () => {
    const jobs = await waitFor('the jobs from Aurora', async () => {
      const r = await t.console.dispatch({ name: 'jobs.list', input: {} });
      return r.ok ? (r.data as { jobs: JobSummary[] }).jobs : undefined;
    });
    // Aurora lists a job while it has active tasks (or a cron template): batch_report only failed.
    expect(jobs.map((j) => j.key)).toEqual(['www-data/prod/hello']);
    expect(jobs.find((j) => j.key === 'www-data/prod/hello')).toMatchObject({
      service: true,
      constraints: ['slave-type: mesos-fixed'],
      taskCounts: { PENDING: 1, RUNNING: 1 },
      createdAt: null,
    });
    // The scheduler was reached through the follower's 307.
    expect(follower.calls.length).toBeGreaterThan(0);
  });

  it("opens a job: each instance's attempt, where it runs, and why the pending one waits", async () => {
    const detail = await t.call<{ job: JobSummary; processes: { name: string }[]; instances: { instance: number; current: Task }[] }>(
      'jobs.get',
      { key: 'www-data/prod/hello' },
    );
    expect(detail.processes.map((p) => p.name)).toEqual(['hello']);
    const [i0, i1] = detail.instances;
    expect(i0!.current).toMatchObject({
      taskId: example.runningTask,
      state: 'RUNNING',
      agentHost: example.agents[0].hostname,
      sandboxDir: expect.stringContaining('/runs/latest'),
    });
    expect(i1!.current).toMatchObject({
      taskId: pendingId,
      state: 'PENDING',
      pendingReason: 'Insufficient: RAM',
      agentId: null,
      sandboxDir: null,
    });
  });

  it("a failed task shows the Mesos reason and message beside Aurora's events", async () => {
    // The Overview's latest failures come from the master, which keeps each reason.
    const overview = await t.call<{ latestFailures: Task[] }>('overview.get');
    expect(overview.latestFailures.map((f) => f.taskId)).toContain(example.failedTask);
    const { task, events, observerUrl } = await t.call<{ task: Task; events: TaskEvent[]; observerUrl?: string }>('tasks.get', {
      taskId: example.failedTask,
    });
    // Its processes on the Thermos observer of its agent, by the IP of the agent's pid (slave(1)@10.20.2.37:5051).
    expect(observerUrl).toBe(`http://10.20.2.37:1338/task/${example.failedTask}`);
    expect(task).toMatchObject({
      state: 'FAILED',
      jobKey: 'www-data/prod/batch_report',
      instance: 3,
      reason: oom.reason,
      message: oom.message,
    });
    expect(events.at(-1)?.state).toBe('FAILED');
    expect(events.length).toBeGreaterThan(1);
  });

  it("reads a task's stderr from its agent's files API, found by the IP in the agent's pid", async () => {
    const listing = await t.call<{ runDir: string; entries: SandboxEntry[] }>('sandbox.list', { taskId: example.runningTask, path: '' });
    expect(listing.entries.map((e) => e.name)).toEqual(expect.arrayContaining(['sandbox', 'stderr', 'stdout']));
    const { lines } = await t.call<{ lines: LogLine[] }>('logs.lines', {
      taskId: example.runningTask,
      path: 'sandbox/.logs/hello/0/stderr',
      at: -1,
      before: 10,
    });
    expect(lines.map((l) => l.text)).toEqual(traceback.trimEnd().split('\n'));
    expect(agent.reads.count).toBeGreaterThan(0);
    // The pending task has no sandbox, and says why.
    const none = await t.console.dispatch({ name: 'sandbox.list', input: { taskId: pendingId, path: '' } });
    expect(none).toMatchObject({ ok: false });
  });

  it('tests each part of the connection on its own line', async () => {
    const { profiles } = await t.call<{ profiles: Profile[] }>('profiles.list');
    const id = profiles.find((p) => p.name === 'cantareira-dev')!.id;
    const { checks } = await t.call<{ checks: ConnectionCheck[] }>('profiles.test', { id });
    const by = Object.fromEntries(checks.map((c) => [c.part, c]));
    expect(by.mesos).toMatchObject({ ok: true, summary: expect.stringContaining(leader.hostname) });
    expect(by.aurora).toMatchObject({ ok: true, summary: expect.stringContaining('cantareira-dev') });
    expect(by.aws).toMatchObject({ ok: null });
    expect(by.agent).toMatchObject({ ok: true, summary: expect.stringContaining(`127.0.0.1:${agent.port}`) });

    // A draft pointing at nothing says so for that part only.
    const broken = await t.call<{ checks: ConnectionCheck[] }>('profiles.test', {
      profile: {
        name: 'broken',
        kind: 'mesos',
        pools: [],
        aws: null,
        mesos: { masters: [leader.url] },
        aurora: { url: 'http://127.0.0.1:1' },
      },
    });
    expect(broken.checks.find((c) => c.part === 'aurora')).toMatchObject({ ok: false, code: 'AURORA_UNREACHABLE' });
    expect(broken.checks.find((c) => c.part === 'mesos')?.ok).toBe(true);
  });

  it('kills and restarts through Aurora with the netrc credentials, journaled and audited', async () => {
    const killed = await t.call<{ killed: string[] }>('jobs.kill', { key: 'www-data/prod/hello', instances: [0] });
    expect(killed.killed).toEqual([example.runningTask]);
    expect(aurora.calls.some((c) => c.includes('killTasks') && c.includes('oncall'))).toBe(true);

    // A FAILED attempt is not active: Aurora would refuse, and the console says so first.
    const notActive = await t.console.dispatch({ name: 'jobs.restart', input: { key: 'www-data/prod/batch_report', instances: [3] } });
    expect(notActive).toMatchObject({ ok: false, error: { code: 'INSTANCE_NOT_FOUND', message: expect.stringContaining('3') } });
    const restarted = await t.call<{ restarted: string[] }>('jobs.restart', { key: 'www-data/prod/hello', instances: [1] });
    expect(restarted.restarted).toEqual([pendingId]);
    const audit = await t.call<{ entries: { kind: string; target: string; outcome?: string; state?: string }[] }>('audit.list', {});
    expect(audit.entries.map((e) => `${e.kind} ${e.target}`)).toEqual(
      expect.arrayContaining(['job.kill www-data/prod/hello', 'job.restart www-data/prod/hello']),
    );

    const after = await waitFor('the killed attempt to be KILLED', async () => {
      const d = await t.call<{ instances: { instance: number; current: Task }[] }>('jobs.get', { key: 'www-data/prod/hello' });
      const i0 = d.instances.find((i) => i.instance === 0)!.current;
      return i0.state === 'KILLED' ? i0 : undefined;
    });
    expect(after.taskId).toBe(example.runningTask);
  });
});

describe('live updates of a real cluster (SUBSCRIBE)', () => {
  it('a task failing reaches the screens from the event stream, before any poll, and across a leader change', async () => {
    const change = await startLeaderChange({ heartbeatSeconds: 0.2 });
    // Polls are an hour apart: only the stream can bring the change.
    const t = openConsole(tempDataDir(), {
      connect: { masters: change.masters, aurora: aurora.url, name: 'streamed' },
      mesosPollMs: 3_600_000,
      auroraPollMs: 3_600_000,
    });
    try {
      // The whole state, from the stream's SUBSCRIBED (the agents alone come first).
      await waitFor('the first state', async () => {
        const r = await t.console.dispatch({ name: 'agents.list', input: {} });
        return r.ok && !(r.data as { partial?: boolean }).partial && change.a.streams.open > 0 ? true : undefined;
      });
      const status = (state: string, extra: Record<string, unknown> = {}) => ({
        taskId: example.runningTask,
        agentId: example.agents[0].id,
        executorId: example.runningExecutor,
        state,
        timestamp: Date.now() / 1000,
        ...extra,
      });
      await change.a.streams.push(events.taskUpdated(example.frameworkId, status('TASK_FAILED', { source: 'SOURCE_AGENT', ...oom })));
      const failed = await waitFor('the failure from the stream', async () => {
        const o = await t.call<{ latestFailures: Task[] }>('overview.get');
        return o.latestFailures.find((f) => f.taskId === example.runningTask);
      });
      expect(failed).toMatchObject({ state: 'FAILED', reason: oom.reason, message: oom.message });

      // B is elected in the middle of the stream; its state (the task running) is what shows next.
      change.change();
      await waitFor('B to be followed', async () => {
        const o = await t.call<{ latestFailures: Task[] }>('overview.get');
        return o.latestFailures.some((f) => f.taskId === example.runningTask) ? undefined : true;
      });
      await waitFor('the stream from B', () => (change.b.streams.open > 0 ? true : undefined));
      await change.b.streams.push(events.taskUpdated(example.frameworkId, status('TASK_KILLED')));
      const killed = await waitFor('the kill from B', async () => {
        const { tasks } = await t.call<{ tasks: Task[] }>('tasks.list', { jobKey: 'www-data/prod/hello' });
        return tasks.length === 0 ? true : undefined;
      });
      expect(killed).toBe(true);
    } finally {
      await t.close();
      await change.close();
    }
  }, 30_000);
});

describe('an agent that never answers', () => {
  it("fails its task's sandbox with AGENT_UNREACHABLE in bounded time, and nothing else waits for it", async () => {
    const silent = await startSilent();
    const ownLeader = await startLeader({ agentPids: [`slave(1)@127.0.0.1:${silent.port}`] });
    const t = openConsole(tempDataDir(), { connect: { masters: [ownLeader.url], name: 'silent-agent' }, mesosPollMs: 100 });
    try {
      await waitFor('the agents', async () => ((await t.console.dispatch({ name: 'agents.list', input: {} })).ok ? true : undefined));
      let settled = false;
      const sandbox = t.console
        .dispatch({ name: 'sandbox.list', input: { taskId: example.runningTask, path: '' } })
        .finally(() => (settled = true));
      // While the agent is being waited for (it has the request), the rest of the console answers.
      await waitFor('the agent to be asked', () => silent.served.length > 0);
      const agents = await t.console.dispatch({ name: 'agents.list', input: {} });
      expect(agents.ok).toBe(true);
      expect(settled).toBe(false);
      // Bounded by the console's agent timeout (10 s), which the error names.
      const r = await sandbox;
      expect(r).toMatchObject({
        ok: false,
        error: {
          code: 'AGENT_UNREACHABLE',
          message: expect.stringMatching(new RegExp(`127\\.0\\.0\\.1:${silent.port}.* did not answer: no complete answer within 10 s`)),
        },
      });
    } finally {
      await t.close();
      await Promise.all([silent.close(), ownLeader.close()]);
    }
  }, 30_000);
});

describe('the last-known state of a real cluster', () => {
  it('answers read-only with why when the scheduler stops, and opens on it after a restart', async () => {
    const own = await startAurora({ jobs: seed, clusterName: 'cantareira-stable' });
    const ownLeader = await startLeader({ agentPids: [agent.pid] });
    const dir = tempDataDir();
    let t = openConsole(dir, {
      connect: { masters: [ownLeader.url], aurora: own.url, name: 'cantareira-stable' },
      mesosPollMs: 100,
      auroraPollMs: 100,
    });
    await t.console.ready;
    await waitFor('the first jobs', async () => ((await t.console.dispatch({ name: 'jobs.list', input: {} })).ok ? true : undefined));
    await waitFor('the whole Mesos state', async () => {
      const r = await t.console.dispatch({ name: 'agents.list', input: {} });
      return r.ok && !(r.data as { partial?: boolean }).partial ? true : undefined;
    });
    await own.close();

    const stale = await waitFor('the jobs to be marked unreachable', async () => {
      const r = await t.call<{ jobs: JobSummary[]; asOf: number; unreachable?: { code: string } }>('jobs.list');
      return r.unreachable ? r : undefined;
    });
    expect(stale.jobs.map((j) => j.key)).toEqual(['www-data/prod/hello']);
    expect(stale.unreachable!.code).toBe('AURORA_UNREACHABLE');
    const refused = await t.console.dispatch({ name: 'jobs.kill', input: { key: 'www-data/prod/hello' } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'CLUSTER_READ_ONLY' } });
    await t.close();

    // Everything is down now: the console opens on what it saved.
    await ownLeader.close();
    t = openConsole(dir, { profileId: 'cantareira-stable', mesosPollMs: 100, auroraPollMs: 100 });
    await t.console.ready;
    const jobs = await waitFor('the last-known jobs', async () => {
      const r = await t.console.dispatch({ name: 'jobs.list', input: {} });
      return r.ok ? (r.data as { jobs: JobSummary[]; unreachable?: { code: string } }) : undefined;
    });
    expect(jobs.jobs.map((j) => j.key)).toEqual(['www-data/prod/hello']);
    expect(jobs.unreachable?.code).toBe('AURORA_UNREACHABLE');
    const agents = await waitFor('the last-known agents', async () => {
      const r = await t.console.dispatch({ name: 'agents.list', input: {} });
      return r.ok ? (r.data as { agents: unknown[]; unreachable?: { code: string } }) : undefined;
    });
    expect(agents.agents).toHaveLength(2);
    expect(agents.unreachable?.code).toMatch(/^MESOS_/);
    await t.close();
  });
});
