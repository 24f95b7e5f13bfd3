/**
 * The live model against a moving cluster (fixtures/mesos-moving.ts): a loopback master that
 * launches and ends tasks, adds and removes agents, drains and deactivates them, at a fixed
 * rate for a fixed count of changes, and keeps its own truth. At the end, every agent's used
 * resources and state and every task's state in the watch are compared with the master's own
 * GET_AGENTS and GET_TASKS: no difference. Then the stream drops (no leader): the watch says so
 * at once, and recovers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { stateOfGetAgents } from '../../core/mesos/state-v1.js';
import { quoteNanoseconds } from '../../core/mesos/time.js';
import { watchMesos, type MesosChanges, type MesosWatch } from '../../core/real/mesos-watch.js';
import { movingFramework, startMovingMaster, type MovingMaster } from './fixtures/mesos-moving.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function moving(seed: number): Promise<MovingMaster> {
  const m = await startMovingMaster({ seed, agents: 30, tasks: 150, heartbeatSeconds: 0.5 });
  cleanups.push(() => m.close());
  return m;
}

function watch(m: MovingMaster): { w: MesosWatch; changes: MesosChanges[] } {
  const w = watchMesos({ masters: [m.url], pollMs: 60_000, agentsPollMs: 100, changeFlushMs: 50, log: () => {} });
  cleanups.push(() => w.close());
  const changes: MesosChanges[] = [];
  w.onChange((c) => changes.push(c));
  return { w, changes };
}

interface Row {
  cpus: number;
  memMb: number;
  diskMb: number;
  activeTasks: number;
  deactivated: boolean;
  drain: string | null;
}

/** Every difference between the master's GET_AGENTS / GET_TASKS and the watch, in words. */
function differences(m: MovingMaster, w: MesosWatch): string[] {
  const out: string[] = [];
  const live = w.live();
  if (!live) return ['the watch has no model'];
  const truthAgents = stateOfGetAgents(JSON.parse(quoteNanoseconds(m.getAgents()).toString('utf8')), m.url, 0).agents;
  const tasks = JSON.parse(m.getTasks().toString('utf8')) as {
    get_tasks: {
      tasks?: { task_id: { value: string }; state: string; agent_id: { value: string } }[];
      completed_tasks?: { task_id: { value: string }; state: string }[];
    };
  };
  const active = tasks.get_tasks.tasks ?? [];
  const rows = new Map(w.agents().agents.map((a) => [a.id, a] as const));
  for (const a of truthAgents) {
    const row = rows.get(a.id);
    rows.delete(a.id);
    if (!row) {
      out.push(`agent ${a.id}: missing in the watch`);
      continue;
    }
    const model = live.index.agentById.get(a.id)!;
    const want: Row = {
      cpus: a.used.cpus,
      memMb: Math.round(a.used.memMb),
      diskMb: Math.round(a.used.diskMb),
      activeTasks: active.filter(
        (t) => t.agent_id.value === a.id && ['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING'].includes(t.state),
      ).length,
      deactivated: a.deactivated,
      drain: a.drain,
    };
    const got: Row = { ...row.used, activeTasks: row.activeTasks, deactivated: model.deactivated, drain: model.drain };
    if (JSON.stringify(want) !== JSON.stringify(got))
      out.push(`agent ${a.id}: master ${JSON.stringify(want)}, watch ${JSON.stringify(got)}`);
  }
  for (const id of rows.keys()) out.push(`agent ${id}: in the watch, not on the master`);
  for (const t of [...active, ...(tasks.get_tasks.completed_tasks ?? [])]) {
    const got = live.index.taskById.get(t.task_id.value);
    if (got?.state !== t.state) out.push(`task ${t.task_id.value}: master ${t.state}, watch ${got?.state ?? 'missing'}`);
  }
  const listed = new Set(active.map((t) => t.task_id.value));
  for (const list of live.index.activeByAgent.values())
    for (const t of list) if (!listed.has(t.id)) out.push(`task ${t.id}: active in the watch, not on the master`);
  return out;
}

describe('the live model of a moving cluster', () => {
  it('after 1,500 changes at 300 a second (tasks launched and ended, agents joining, leaving, drained), agrees with GET_AGENTS and GET_TASKS exactly', async () => {
    const m = await moving(7);
    const { w, changes } = watch(m);
    await expect.poll(() => w.streaming(), { timeout: 15_000, interval: 20 }).toBe(true);
    expect(differences(m, w)).toEqual([]);

    await m.run(1500, 300);
    // Event-driven: the events are in flight and the GET_AGENTS polls settle what has no event.
    await expect.poll(() => differences(m, w), { timeout: 15_000, interval: 50 }).toEqual([]);

    // It moved, through events, over one stream, with no full state read.
    expect(m.subscribes).toBe(1);
    expect(m.sent.get('TASK_ADDED')).toBeGreaterThan(100);
    expect(m.sent.get('AGENT_REMOVED')).toBeGreaterThan(5);
    expect(m.sent.get('AGENT_ADDED')).toBeGreaterThan(5);
    // Executors still running after their task: counted by the master, settled from GET_AGENTS.
    expect(m.lingering).toBeGreaterThan(0);
    // The feed said which agents and tasks changed, batched.
    const tasksSaid = new Set(changes.flatMap((c) => c.tasks));
    const agentsSaid = new Set(changes.flatMap((c) => c.agents));
    expect(tasksSaid.size).toBeGreaterThan(100);
    expect(agentsSaid.size).toBeGreaterThan(20);
    expect(changes.length).toBeLessThan(1500 / 3);
    // Used resources of an agent are never below what its live tasks hold.
    for (const a of w.agents().agents) {
      const held = (w.live()!.index.activeByAgent.get(a.id) ?? []).reduce((n, t) => n + t.resources.cpus, 0);
      expect(a.used.cpus).toBeGreaterThanOrEqual(Math.round(held * 1000) / 1000);
    }
  }, 60_000);

  it('a task the stream added gets its run directory on the agent once its container and the work_dir are known, as a snapshot task does', async () => {
    const m = await moving(11);
    const { w } = watch(m);
    await expect.poll(() => w.streaming(), { timeout: 15_000, interval: 20 }).toBe(true);
    const before = new Set(w.live()!.index.taskById.keys());
    await m.run(300, 300);
    await expect.poll(() => differences(m, w), { timeout: 15_000, interval: 50 }).toEqual([]);
    const ix = w.live()!.index;
    const added = [...ix.taskById.values()].find(
      (t) => !before.has(t.id) && t.sandbox.containerId !== null && ix.agentById.has(t.agentId),
    )!;
    const old = [...ix.taskById.values()].find((t) => before.has(t.id) && t.agentId === added.agentId) ?? ix.taskById.get([...before][0]!)!;
    // Until the agent's work_dir is known, the virtual path of the latest run.
    expect(w.task(added.id)!.sandboxDir).toBe(`/frameworks/${movingFramework.id}/executors/thermos-${added.id}/runs/latest`);
    for (const t of [added, old]) w.learnWorkDir(t.agentId, '/var/lib/mesos');
    for (const t of [added, old]) {
      expect(w.task(t.id)!.sandboxDir).toBe(
        `/var/lib/mesos/slaves/${t.agentId}/frameworks/${movingFramework.id}/executors/thermos-${t.id}/runs/${t.sandbox.containerId}`,
      );
    }
    expect(w.agents().agents.find((a) => a.id === added.agentId)!.sandboxRoot).toBe('/var/lib/mesos');
  });

  it('says the stream dropped at once when the leader goes, and is live again when it is back', async () => {
    const m = await moving(3);
    const { w, changes } = watch(m);
    await expect.poll(() => w.freshness().live, { timeout: 15_000, interval: 20 }).toBe(true);
    const asOf = w.freshness().asOf!;
    const mark = changes.length;
    m.leaderless();
    await expect
      .poll(() => changes.slice(mark).find((c) => c.freshness && !c.freshness.live)?.freshness, { timeout: 3_000, interval: 10 })
      .toMatchObject({ live: false, error: { code: 'MESOS_STREAM_LOST', message: expect.stringContaining('dropped, reconnecting') } });
    expect(w.freshness().asOf).toBeGreaterThanOrEqual(asOf);
    expect(w.agents().unreachable).toMatchObject({ code: expect.stringMatching(/^MESOS_/) });
    // The last-known model keeps answering meanwhile.
    expect(w.agents().agents.length).toBeGreaterThan(0);
    m.lead();
    await expect.poll(() => w.freshness(), { timeout: 15_000, interval: 20 }).toMatchObject({ live: true, error: null });
    expect(changes.at(-1)?.freshness?.live ?? changes.findLast((c) => c.freshness)?.freshness?.live).toBe(true);
    expect(w.agents().unreachable).toBeUndefined();
  });
});
