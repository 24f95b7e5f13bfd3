/**
 * A real-cluster profile that names its Mesos masters: the console finds the leader among
 * them (a master with no leader, a follower's 307), and the Agents and Overview screens read
 * the master's state; the Jobs screen, without a scheduler in the profile, says so. When the master stops answering, the last
 * state read keeps answering.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent, ContractError, Overview, Profile } from '../../core/contract/index.js';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { openConsole, tempDataDir, waitFor } from './fixtures/embedded-helpers.js';
import { getAgentsOf } from './fixtures/mesos-get-agents.js';
import { example, getStateText, masterStateText, masterTasksText } from './fixtures/mesos-payloads.js';
import { startAgent, startFollower, startLeader, startLeaderless, type LeaderRunning, type Running } from './fixtures/mesos-servers.js';

let leader: LeaderRunning;
let follower: Running;
let leaderless: Running;
beforeAll(async () => {
  leader = await startLeader();
  follower = await startFollower({ hostname: leader.hostname, port: leader.port });
  leaderless = await startLeaderless();
});
afterAll(async () => {
  await Promise.all([follower, leaderless].map((s) => s.close()));
});

const profileWith = (masters: string[]) => ({
  name: 'cantareira-stable',
  kind: 'mesos',
  aws: null,
  mesos: { masters },
  pools: [{ name: 'mesos-fixed', kind: 'fixed', instanceTypes: ['m5.2xlarge'], count: 0 }],
});

describe('a real cluster profile with its masters', () => {
  it('reads the agents and the overview from the leader, and says what needs Aurora', async () => {
    const t = openConsole(tempDataDir(), { mesosPollMs: 100 });
    try {
      await t.console.ready;
      const { profile } = await t.call<{ profile: Profile }>('profiles.import', {
        text: JSON.stringify(profileWith([leaderless.url, follower.url])),
      });
      expect(profile.mesos).toEqual({ masters: [leaderless.url, follower.url] });
      await t.call('profiles.open', { id: profile.id });

      // The agents come first (GET_AGENTS, marked partial), then the whole state.
      const agents = await waitFor('the agents to be read', async () => {
        const r = await t.call<{ agents: Agent[]; partial?: boolean }>('agents.list');
        return r.partial ? undefined : r.agents;
      });
      expect(agents.map((a) => [a.hostname, a.ip, a.slaveType])).toEqual([
        ['ip-10-20-1-11.ec2.internal', '10.20.1.11', 'mesos-fixed'],
        ['ip-10-20-2-37.ec2.internal', '10.20.2.37', 'mesos-fixed'],
      ]);
      expect(agents[0]!.resources.cpus).toBeGreaterThan(0);
      const overview = await t.call<Overview>('overview.get');
      expect(overview.agentsByType).toEqual([expect.objectContaining({ slaveType: 'mesos-fixed', agents: 2 })]);
      expect(Object.values(overview.tasksByState).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
      // The leader was asked, not the master without one.
      expect(leader.served.some((r) => r.url.startsWith('/master/state') || r.url.startsWith('/api/v1'))).toBe(true);

      const jobs = await t.fail('jobs.list', {});
      expect(jobs).toMatchObject({ code: 'AURORA_NOT_CONFIGURED', message: expect.stringContaining('names no Aurora scheduler') });

      // The leader goes away: once a read has failed, the last state read keeps answering, with its time.
      const asOf = (await t.call<{ asOf: number }>('agents.list')).asOf;
      await leader.close();
      const after = await waitFor('a read of the state to fail', async () => {
        const r = await t.call<{ agents: Agent[]; asOf: number; unreachable?: ContractError }>('agents.list');
        return r.unreachable ? r : undefined;
      });
      expect(after.agents).toHaveLength(2);
      expect(after.asOf).toBeGreaterThanOrEqual(asOf);
      // Its time is when it was read, not when it was asked for: asked again later, it is the same.
      const answeredAt = Date.now();
      await waitFor('the clock to move on', () => Date.now() > answeredAt);
      const again = await t.call<{ asOf: number; unreachable?: ContractError }>('agents.list');
      expect(again.asOf).toBe(after.asOf);
    } finally {
      await t.close();
    }
  });

  it('opens on the last-known state when the masters are out of reach, saying as of when and why, and goes live again', async () => {
    const own = await startLeader();
    const dir = tempDataDir();
    let t = openConsole(dir, { mesosPollMs: 100 });
    let id: string;
    let readAt: number;
    try {
      await t.console.ready;
      const { profile } = await t.call<{ profile: Profile }>('profiles.import', { text: JSON.stringify(profileWith([own.url])) });
      id = profile.id;
      await t.call('profiles.open', { id });
      readAt = (
        await waitFor('the agents to be read', async () => {
          const r = await t.call<{ agents: Agent[]; asOf: number; partial?: boolean }>('agents.list');
          return r.partial ? undefined : r;
        })
      ).asOf;
    } finally {
      await t.close();
    }
    const port = own.port;
    await own.close();

    t = openConsole(dir, { mesosPollMs: 100 });
    try {
      await t.console.ready;
      const stale = await waitFor('the last-known agents', async () => {
        const r = await t.call<{ agents: Agent[]; asOf: number; unreachable?: ContractError }>('agents.list').catch(() => undefined);
        return r?.unreachable ? r : undefined;
      });
      expect(stale.agents.map((a) => a.hostname)).toEqual(['ip-10-20-1-11.ec2.internal', 'ip-10-20-2-37.ec2.internal']);
      expect(stale.asOf).toBe(readAt);
      expect(stale.unreachable).toMatchObject({ code: 'MESOS_UNREACHABLE', hint: expect.stringContaining('last-known state') });
      const overview = await t.call<Overview>('overview.get');
      expect(overview).toMatchObject({ asOf: readAt, unreachable: { code: 'MESOS_UNREACHABLE' } });
      expect(overview.agentsByType[0]).toMatchObject({ slaveType: 'mesos-fixed', agents: 2 });

      // The master answers again on its address: the screens go live by themselves.
      const back = await startLeader({ port });
      try {
        const live = await waitFor('the agents to be live again', async () => {
          const r = await t.call<{ agents: Agent[]; asOf: number; unreachable?: ContractError }>('agents.list');
          return r.unreachable === undefined && r.asOf > readAt ? r : undefined;
        });
        expect(live.agents).toHaveLength(2);
      } finally {
        await back.close();
      }
    } finally {
      await t.close();
    }
  });

  it('with no leader anywhere, the Agents screen names each master and what it answered', async () => {
    const t = openConsole(tempDataDir(), { mesosPollMs: 100 });
    try {
      await t.console.ready;
      const { profile } = await t.call<{ profile: Profile }>('profiles.import', { text: JSON.stringify(profileWith([leaderless.url])) });
      await t.call('profiles.open', { id: profile.id });
      const error = await waitFor('the discovery to fail', async () => {
        const e: ContractError = await t.fail('agents.list', {});
        return e.code === 'MESOS_NO_LEADER' ? e : undefined;
      });
      expect(error.message).toContain(leaderless.url.replace('http://', ''));
    } finally {
      await t.close();
    }
  });
});

describe('a big cluster whose full state is slow to arrive', () => {
  it('shows its agents from GET_AGENTS first, marked partial, then the full state', async () => {
    const slow = await startSlowState({ state: getStateText(), masterTasks: false });
    const t = openConsole(tempDataDir(), { connect: { masters: [slow.url], name: 'slow-state' }, mesosPollMs: 100 });
    try {
      const first = await waitFor('the agents alone', async () => {
        const r = await t.call<{ agents: Agent[]; partial?: boolean }>('agents.list').catch(() => undefined);
        return r?.partial ? r : undefined;
      });
      expect(first.agents.map((a) => a.hostname)).toEqual(['ip-10-20-1-11.ec2.internal', 'ip-10-20-2-37.ec2.internal']);
      expect(first.agents.every((a) => a.activeTasks === 0)).toBe(true);
      // A master without /master/tasks: a sandbox asked for now waits for the tasks rather than failing for want of them.
      let settled = false;
      const sandbox = t.console
        .dispatch({ name: 'sandbox.list', input: { taskId: example.runningTask, path: '' } })
        .finally(() => (settled = true));
      await waitFor('the sandbox to wait for the full state', () =>
        t.logged.some((l) => l.startsWith(`asking the master for task ${example.runningTask} failed; waiting for the full state`)),
      );
      expect(settled).toBe(false);
      slow.release();
      const whole = await waitFor('the full state', async () => {
        const r = await t.call<{ agents: Agent[]; partial?: boolean }>('agents.list');
        return r.partial ? undefined : r;
      });
      expect(whole.agents.reduce((n, a) => n + a.activeTasks, 0)).toBeGreaterThan(0);
      // Its agent (10.20.1.11 in the example) is not on this network: the answer is about it, not about the state.
      const answer = await sandbox;
      expect(answer.ok).toBe(false);
      if (!answer.ok) {
        expect(answer.error.code).not.toBe('MESOS_NOT_CONNECTED');
        expect(answer.error.message).toContain('10.20.1.11');
      }
    } finally {
      await t.close();
      await slow.close();
    }
  });

  it("opens a task's sandbox while the full state is still on its way, found through /master/tasks", async () => {
    const agent = await startAgent({ files: { stdout: 'Running task\n', stderr: '', 'sandbox/.logs/hello/0/stderr': 'MemoryError\n' } });
    const slow = await startSlowState({ state: getStateText([agent.pid]), masterTasks: true });
    const t = openConsole(tempDataDir(), { connect: { masters: [slow.url], name: 'slow-state' }, mesosPollMs: 100 });
    try {
      await waitFor('the agents alone', async () => (await t.call<{ partial?: boolean }>('agents.list').catch(() => undefined))?.partial);
      const listing = await t.call<{ entries: { path: string }[] }>('sandbox.list', {
        taskId: example.runningTask,
        path: 'sandbox/.logs/hello/0',
      });
      expect(listing.entries.map((e) => e.path)).toEqual(['sandbox/.logs/hello/0/stderr']);
      // Found without the full state: the master was asked for this one task, and is still holding the state back.
      expect(slow.asked('/master/tasks')).toEqual([`/master/tasks?task_id=${example.runningTask}`]);
      expect((await t.call<{ partial?: boolean }>('agents.list')).partial).toBe(true);
      // A task the master does not list waits for the full state, then says so.
      const unknown = t.console.dispatch({ name: 'sandbox.list', input: { taskId: 'no-such-task', path: '' } });
      slow.release();
      const answer = await unknown;
      expect(answer.ok ? null : answer.error.code).toBe('TASK_NOT_FOUND');
    } finally {
      await t.close();
      await slow.close();
      await agent.close();
    }
  });
});

/**
 * A leading master whose GET_STATE (and so the SUBSCRIBE snapshot, which it does not serve:
 * the console polls) is held back until `release()`, while GET_AGENTS answers at once, as a big
 * cluster's does; `/master/tasks` answers the example's tasks when `masterTasks` is set, 404 else.
 */
async function startSlowState(o: { state: Buffer; masterTasks: boolean }) {
  let release: () => void = () => {};
  const full = new Promise<void>((r) => (release = r));
  const paths: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      paths.push(req.url ?? '');
      const port = (server.address() as AddressInfo).port;
      if (req.url?.startsWith('/master/state'))
        return res.end(masterStateText({ ip: '127.0.0.1', port, hostname: 'ip-127-0-0-1.ec2.internal' }));
      res.setHeader('Content-Type', 'application/json');
      if (req.url?.startsWith('/master/tasks') && o.masterTasks) return res.end(masterTasksText(new URL(req.url, 'http://x').searchParams));
      const type = (JSON.parse(Buffer.concat(chunks).toString() || '{}') as { type?: string }).type;
      if (type === 'GET_AGENTS') return res.end(getAgentsOf(o.state));
      if (type === 'GET_STATE') return void full.then(() => res.end(o.state));
      res.statusCode = 404;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    release: () => release(),
    asked: (prefix: string) => paths.filter((p) => p.startsWith(prefix)),
    close: async () => {
      release();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
