import { afterEach, describe, expect, it } from 'vitest';
import type { ClusterChange, ServerStreamMessage } from '../../core/contract/index.js';
import { clusterChange } from '../../core/contract/index.js';
import { events } from './fixtures/mesos-events.js';
import { example } from './fixtures/mesos-payloads.js';
import { startLeader, startTruncatedLeader } from './fixtures/mesos-servers.js';
import { job, jobFile, keyOf, openConsole, tempDataDir, waitFor, type TestConsole } from './fixtures/embedded-helpers.js';

/**
 * `cluster.changes` on the embedded cluster: what a screen holds is updated by pushed changes
 * (an attempt, the agent it holds resources on, the overview), never by refetching everything.
 */

const consoles: TestConsole[] = [];
afterEach(async () => {
  for (const c of consoles.splice(0)) await c.close();
});

function subscribe(t: TestConsole) {
  const items: ClusterChange[] = [];
  const errors: unknown[] = [];
  const session = t.console.openStreamSession(
    (m: ServerStreamMessage) => {
      if (m.t === 'batch') {
        items.push(...(m.batch.items as ClusterChange[]));
        session.handle({ t: 'ack', id: 1 });
      } else errors.push(m);
    },
    { flushMs: 10 },
  );
  session.handle({ t: 'sub', id: 1, name: 'cluster.changes', input: {} });
  return { items, errors, close: () => session.handle({ t: 'unsub', id: 1 }) };
}

describe('cluster.changes on the embedded cluster', () => {
  it('says first that the cluster is live, then pushes each attempt as it moves, its agent and the overview', async () => {
    const t = openConsole(tempDataDir());
    consoles.push(t);
    await t.console.ready;
    const s = subscribe(t);
    await waitFor('the first item', () => s.items.length > 0);
    expect(s.items[0]).toEqual({
      kind: 'freshness',
      freshness: { live: true, sources: [{ name: 'embedded', live: true, asOf: expect.any(Number), error: null }] },
    });

    const spec = { name: 'changes', cmdline: 'sleep 30', cpu: 0.5, ramMb: 96 };
    const [key] = await t.create(jobFile(job(spec)));
    expect(key).toBe(keyOf(spec));
    const running = await waitFor('the attempt to be pushed RUNNING', () =>
      s.items.find(
        (c): c is Extract<ClusterChange, { kind: 'task' }> => c.kind === 'task' && c.task.jobKey === key && c.task.state === 'RUNNING',
      ),
    );
    // The attempt pushed is the one the Task screen reads.
    const { task } = await t.call<{ task: unknown }>('tasks.get', { taskId: running.task.taskId });
    expect(running.task).toEqual({ ...(task as object), updatedAt: running.task.updatedAt });
    // Its states arrived in order, each once it happened.
    const states = s.items
      .filter((c) => c.kind === 'task' && c.task.taskId === running.task.taskId)
      .map((c) => (c as { task: { state: string } }).task.state);
    expect(states.at(-1)).toBe('RUNNING');
    expect(states.indexOf('PENDING')).toBeLessThan(states.indexOf('RUNNING'));

    // The agent it runs on is pushed with what the task holds, as agents.list has it.
    const agent = await waitFor('its agent with the task on it', () =>
      s.items.findLast(
        (c): c is Extract<ClusterChange, { kind: 'agent' }> =>
          c.kind === 'agent' && c.agent.id === running.task.agentId && c.agent.activeTasks > 0,
      ),
    );
    const listed = (await t.agents()).find((a) => a.id === running.task.agentId)!;
    expect(agent.agent.used).toEqual(listed.used);
    expect(agent.agent.used.cpus).toBeGreaterThanOrEqual(0.5);

    const overview = await waitFor('an overview with the task running', () =>
      s.items.findLast(
        (c): c is Extract<ClusterChange, { kind: 'overview' }> => c.kind === 'overview' && (c.overview.tasksByState.RUNNING ?? 0) > 0,
      ),
    );
    expect(overview.overview.agentsByType.length).toBeGreaterThan(0);

    // A kill is pushed too: the open Task screen turns KILLED without asking.
    await t.call('jobs.kill', { key });
    await waitFor('the kill to be pushed', () =>
      s.items.some((c) => c.kind === 'task' && c.task.taskId === running.task.taskId && c.task.state === 'KILLED'),
    );

    // Every item is what the contract says an item is.
    for (const item of s.items) expect(clusterChange.safeParse(item).success).toBe(true);
    expect(s.errors).toEqual([]);
    s.close();
  });
});

describe('cluster.changes on a real cluster', () => {
  it('pushes a task the master kills, its agent, and an outage the moment the stream drops; recovery clears it', async () => {
    const leader = await startLeader({ heartbeatSeconds: 1 });
    const t = openConsole(tempDataDir(), { mesosPollMs: 200 });
    consoles.push(t);
    try {
      await t.console.ready;
      const { profile } = await t.call<{ profile: { id: string } }>('profiles.import', {
        text: JSON.stringify({ name: 'moving', kind: 'mesos', aws: null, mesos: { masters: [leader.url] }, pools: [] }),
      });
      await t.call('profiles.open', { id: profile.id });
      const s = subscribe(t);
      await waitFor(
        'the stream to be live',
        () => leader.streams.open > 0 && s.items.some((c) => c.kind === 'freshness' && c.freshness.live),
      );
      const before = (await t.agents()).find((a) => a.id === example.agents[0].id)!;
      expect(before.activeTasks).toBeGreaterThan(0);

      await leader.streams.push(
        events.taskUpdated(example.frameworkId, {
          taskId: example.runningTask,
          agentId: example.agents[0].id,
          state: 'TASK_KILLED',
          timestamp: Date.now() / 1000,
          source: 'SOURCE_EXECUTOR',
          message: 'Killed by the test',
        }),
      );
      const killed = await waitFor('the kill to be pushed', () =>
        s.items.find((c) => c.kind === 'task' && c.task.taskId === example.runningTask && c.task.state === 'KILLED'),
      );
      expect(killed).toMatchObject({ task: { agentId: example.agents[0].id, endedAt: expect.any(Number) } });
      // The agent it ran on gives back what it held: pushed, recomputed from its live tasks.
      const freed = await waitFor('its agent to be pushed without it', () =>
        s.items.findLast(
          (c): c is Extract<ClusterChange, { kind: 'agent' }> =>
            c.kind === 'agent' && c.agent.id === before.id && c.agent.activeTasks === before.activeTasks - 1,
        ),
      );
      expect(freed.agent.used.cpus).toBeLessThan(before.used.cpus);
      expect((await t.agents()).find((a) => a.id === before.id)!.used).toEqual(freed.agent.used);
      // What the Task screen reads says the same.
      expect((await t.call<{ task: { state: string } }>('tasks.get', { taskId: example.runningTask })).task.state).toBe('KILLED');

      // The master goes away: every open screen hears it, without polling.
      const seen = s.items.length;
      await leader.close();
      const down = await waitFor('the outage to be pushed', () =>
        s.items.slice(seen).find((c): c is Extract<ClusterChange, { kind: 'freshness' }> => c.kind === 'freshness' && !c.freshness.live),
      );
      const mesos = down.freshness.sources.find((x) => x.name === 'mesos')!;
      expect(mesos.live).toBe(false);
      expect(mesos.error?.code).toMatch(/^MESOS_/);
      expect(mesos.asOf).toEqual(expect.any(Number));

      // It comes back on its address: live again.
      const back = await startLeader({ port: leader.port, heartbeatSeconds: 1 });
      try {
        const at = s.items.length;
        await waitFor('recovery to be pushed', () => s.items.slice(at).some((c) => c.kind === 'freshness' && c.freshness.live), 60_000);
      } finally {
        await back.close();
      }
      for (const item of s.items) expect(clusterChange.safeParse(item).success).toBe(true);
      s.close();
    } finally {
      await leader.close().catch(() => {});
    }
  });
});

describe('a master whose full state cannot be read', () => {
  it('still shows its agents and tasks from the smaller endpoints, and says what answered and what did not', async () => {
    const cut = await startTruncatedLeader('declared', 'served');
    const t = openConsole(tempDataDir(), { mesosPollMs: 200 });
    consoles.push(t);
    try {
      await t.console.ready;
      const { profile } = await t.call<{ profile: { id: string } }>('profiles.import', {
        text: JSON.stringify({ name: 'cut', kind: 'mesos', aws: null, mesos: { masters: [cut.url] }, pools: [] }),
      });
      await t.call('profiles.open', { id: profile.id });
      const s = subscribe(t);
      const agents = await waitFor('the agents', async () => {
        const r = await t.call<{ agents: { hostname: string }[]; partial?: boolean }>('agents.list');
        return r.partial ? undefined : r.agents;
      });
      expect(agents.map((a) => a.hostname)).toEqual(['ip-10-20-1-11.ec2.internal', 'ip-10-20-2-37.ec2.internal']);
      const { tasks } = await t.call<{ tasks: { taskId: string }[] }>('tasks.list', {});
      expect(tasks.map((x) => x.taskId)).toContain(example.runningTask);
      const note = await waitFor('the note on what answered', () =>
        s.items
          .flatMap((c) => (c.kind === 'freshness' ? c.freshness.sources : []))
          .find((x) => x.name === 'mesos' && !x.live && x.error?.message.includes('GET_AGENTS')),
      );
      expect(note.error?.message).toMatch(
        /The full state \(GET_STATE\) could not be read.*Agents are from GET_AGENTS and \d+ tasks from \/master\/tasks/,
      );
      s.close();
    } finally {
      await cut.close();
    }
  });
});
