/**
 * Events of the master's SUBSCRIBE stream applied to the example cluster's state: each kind
 * changes what it should, through the index, copying on write (an earlier snapshot stays as it
 * was), and the index stays true after many mixed events.
 */
import { describe, expect, it } from 'vitest';
import { applyEvent, decodeEvent, liveStateOf, snapshotOf, type LiveState } from '../../../core/mesos/events.js';
import { ShapeError } from '../../../core/mesos/shape.js';
import { parseGetState } from '../../../core/mesos/state.js';
import { eventBytes, events, subscribedBytes, taskValue, type StatusSpec, type TaskSpec } from '../../integration/fixtures/mesos-events.js';
import { writeMesosJson } from '../../integration/fixtures/mesos-json.js';
import { example, getStateText, oom } from '../../integration/fixtures/mesos-payloads.js';

const url = 'http://10.20.0.5:5050/api/v1';
const fw = example.frameworkId;
const [s0, s1] = example.agents;

const fresh = (): LiveState => liveStateOf(parseGetState(getStateText(), url, 1000));
/** Through the bytes, as the stream delivers them. */
const apply = (live: LiveState, event: Parameters<typeof eventBytes>[0], at = 2000) => applyEvent(live, decodeEvent(eventBytes(event)), at);
const taskById = (live: LiveState, id: string) => live.state.tasks.find((t) => t.id === id);

const newTask: TaskSpec = {
  taskId: 'www-data-prod-hello-1-0b5e',
  frameworkId: fw,
  agentId: s1.id,
  executorId: 'thermos-www-data-prod-hello-1-0b5e',
  name: 'www-data/prod/hello',
  state: 'TASK_STAGING',
  statuses: [
    { taskId: 'www-data-prod-hello-1-0b5e', agentId: s1.id, state: 'TASK_STAGING', timestamp: 1718003401.52118, source: 'SOURCE_MASTER' },
  ],
  labels: { 'org.apache.aurora.tier': 'preferred' },
};
const status = (state: string, extra: Partial<StatusSpec> = {}): StatusSpec => ({
  taskId: newTask.taskId,
  agentId: s1.id,
  executorId: newTask.executorId!,
  state,
  timestamp: 1718003402.25,
  ...extra,
});

/** Every index entry points at the item of that id, and every item is indexed. */
function expectIndexed(live: LiveState): void {
  expect(live.tasks.size).toBe(live.state.tasks.length);
  live.state.tasks.forEach((t, i) => expect(live.tasks.get(`${t.frameworkId}\u0000${t.id}`)).toBe(i));
  expect(live.agents.size).toBe(live.state.agents.length);
  live.state.agents.forEach((a, i) => expect(live.agents.get(a.id)).toBe(i));
  live.state.frameworks.forEach((f, i) => expect(live.frameworks.get(f.id)).toBe(i));
}

describe('SUBSCRIBE events applied to a state', () => {
  it('adds a TASK_ADDED task exactly as GET_STATE would have listed it', () => {
    const live = fresh();
    expect(apply(live, events.taskAdded(newTask))).toEqual({ type: 'TASK_ADDED', changed: true });
    const viaGetState = parseGetState(writeMesosJson({ type: 'GET_STATE', get_state: { get_tasks: { tasks: [taskValue(newTask)] } } }), url)
      .tasks[0];
    expect(taskById(live, newTask.taskId)).toEqual(viaGetState);
    expect(live.changedAt).toBe(2000);
    expectIndexed(live);
  });

  it('updates a task on TASK_UPDATED (ids inside status): state, one status per new state, completed when terminal, reason and message kept', () => {
    const live = fresh();
    apply(live, events.taskAdded(newTask));
    const before = snapshotOf(live);
    apply(live, events.taskUpdated(fw, status('TASK_RUNNING', { containerId: 'c0ffee' })));
    let t = taskById(live, newTask.taskId)!;
    expect(t.state).toBe('TASK_RUNNING');
    expect(t.list).toBe('active');
    expect(t.statuses.map((s) => s.state)).toEqual(['TASK_STAGING', 'TASK_RUNNING']);
    expect(t.sandbox.containerId).toBe('c0ffee');

    // A repeat of the same state (a health update) replaces the last status, as the master keeps them.
    apply(live, events.taskUpdated(fw, status('TASK_RUNNING', { healthy: true, timestamp: 1718003500.5 })));
    t = taskById(live, newTask.taskId)!;
    expect(t.statuses.map((s) => [s.state, s.healthy])).toEqual([
      ['TASK_STAGING', null],
      ['TASK_RUNNING', true],
    ]);

    apply(live, events.taskUpdated(fw, status('TASK_FAILED', { ...oom, source: 'SOURCE_AGENT', timestamp: 1718003999.123456 })));
    t = taskById(live, newTask.taskId)!;
    expect(t.state).toBe('TASK_FAILED');
    expect(t.list).toBe('completed');
    expect(t.statuses.at(-1)).toEqual({
      state: 'TASK_FAILED',
      at: { ms: 1718003999123, ns: '1718003999123456000' },
      ...oom,
      source: 'SOURCE_AGENT',
      healthy: null,
    });

    // The snapshot taken before the updates did not move.
    expect(before.tasks.find((x) => x.id === newTask.taskId)!.state).toBe('TASK_STAGING');
    expect(before.tasks.find((x) => x.id === newTask.taskId)!.statuses).toHaveLength(1);
    expectIndexed(live);
  });

  it("takes the task's state from `state` (the agent's latest), not the acknowledged status", () => {
    const live = fresh();
    apply(live, events.taskAdded(newTask));
    apply(live, events.taskUpdated(fw, status('TASK_RUNNING'), 'TASK_KILLED'));
    const t = taskById(live, newTask.taskId)!;
    expect(t.state).toBe('TASK_KILLED');
    expect(t.list).toBe('completed');
    expect(t.statuses.at(-1)!.state).toBe('TASK_RUNNING');
  });

  it('counts an update of a task it does not hold, and changes nothing', () => {
    const live = fresh();
    const tasks = live.state.tasks.slice();
    expect(apply(live, events.taskUpdated(fw, status('TASK_RUNNING')))).toEqual({ type: 'TASK_UPDATED', changed: false });
    expect(apply(live, events.taskUpdated('other-framework', { ...status('TASK_RUNNING'), taskId: example.runningTask }))).toEqual({
      type: 'TASK_UPDATED',
      changed: false,
    });
    expect(live.missed).toBe(2);
    expect(live.state.tasks).toEqual(tasks);
    expect(live.changedAt).toBe(1000);
  });

  it('adds an agent on AGENT_ADDED with its nanosecond registration time exact, and replaces one that re-registers', () => {
    const live = fresh();
    const agent = {
      id: `${example.masterId}-S7`,
      hostname: 'ip-10-20-3-4.ec2.internal',
      ip: '10.20.3.4',
      slaveType: 'spot-itaipu-1',
      registeredNs: 1718000000123456789n,
    };
    apply(live, events.agentAdded(agent));
    expect(live.state.agents).toHaveLength(3);
    const added = live.state.agents.find((a) => a.id === agent.id)!;
    expect(added).toMatchObject({
      hostname: agent.hostname,
      ip: '10.20.3.4',
      port: 5051,
      slaveType: 'spot-itaipu-1',
      registeredAt: { ns: '1718000000123456789', ms: 1718000000123 },
    });
    apply(live, events.agentAdded({ ...agent, ip: '10.20.3.5', registeredNs: 1718000999000000001n }));
    expect(live.state.agents).toHaveLength(3);
    expect(live.state.agents.find((a) => a.id === agent.id)).toMatchObject({
      ip: '10.20.3.5',
      registeredAt: { ns: '1718000999000000001' },
    });
    expectIndexed(live);
  });

  it('removes an agent on AGENT_REMOVED, with its executors, keeping the index true', () => {
    const live = fresh();
    expect(live.state.executors.some((e) => e.agentId === s0.id)).toBe(true);
    apply(live, events.agentRemoved(s0.id));
    expect(live.state.agents.map((a) => a.id)).toEqual([s1.id]);
    expect(snapshotOf(live).executors.some((e) => e.agentId === s0.id)).toBe(false);
    expectIndexed(live);
    expect(apply(live, events.agentRemoved(s0.id)).changed).toBe(false);
    // The agent moved into the hole is still found.
    apply(live, events.agentAdded({ id: s1.id, hostname: 'moved', ip: '10.0.0.1', slaveType: 'x', registeredNs: 1n }));
    expect(live.state.agents).toHaveLength(1);
    expect(live.state.agents[0]!.hostname).toBe('moved');
  });

  it('adds, updates and marks removed frameworks', () => {
    const live = fresh();
    const f = { id: `${example.masterId}-0001`, name: 'marathon', role: 'ops', user: 'ops', registeredNs: 1718000000000000001n };
    apply(live, events.frameworkAdded(f));
    expect(live.state.frameworks.find((x) => x.id === f.id)).toMatchObject({
      name: 'marathon',
      role: 'ops',
      active: true,
      connected: true,
      completed: false,
      registeredAt: { ns: '1718000000000000001' },
    });
    apply(live, events.frameworkUpdated({ ...f, connected: false }));
    expect(live.state.frameworks.filter((x) => x.id === f.id)).toEqual([expect.objectContaining({ connected: false })]);
    apply(live, events.frameworkRemoved(f));
    expect(live.state.frameworks.find((x) => x.id === f.id)).toMatchObject({ completed: true, active: false, connected: false });
    expectIndexed(live);
  });

  it('ignores HEARTBEAT and event types it does not know', () => {
    const live = fresh();
    const state = snapshotOf(live);
    expect(apply(live, events.heartbeat())).toEqual({ type: 'HEARTBEAT', changed: false });
    expect(apply(live, { type: 'OPERATION_UPDATED', operation_updated: { x: 1 } })).toEqual({ type: 'OPERATION_UPDATED', changed: false });
    expect(snapshotOf(live)).toEqual(state);
  });

  it('replaces the whole state on SUBSCRIBED and takes its heartbeat interval', () => {
    const live = fresh();
    apply(live, events.taskAdded(newTask));
    apply(live, subscribedBytes(getStateText(), 0.5), 5000);
    expect(live.heartbeatSeconds).toBe(0.5);
    expect(taskById(live, newTask.taskId)).toBeUndefined();
    expect({ ...live.state, fetchedAt: 0 }).toEqual({ ...parseGetState(getStateText(), url), fetchedAt: 0 });
    expectIndexed(live);
  });

  it('refuses an event missing what master.proto requires, naming the field, and leaves the state as it was', () => {
    const live = fresh();
    const before = snapshotOf(live);
    expect(() =>
      applyEvent(live, { type: 'TASK_UPDATED', task_updated: { framework_id: { value: fw }, status: { state: 'TASK_RUNNING' } } }),
    ).toThrow(new ShapeError('task_updated.status.task_id', 'is missing'));
    expect(() => applyEvent(live, { type: 'TASK_ADDED', task_added: { task: { name: 'x' } } })).toThrow(/task_added: .*task_id is missing/);
    expect(() => applyEvent(live, { type: 'AGENT_REMOVED' })).toThrow(/agent_removed is missing/);
    expect(snapshotOf(live)).toEqual(before);
  });

  it('keeps at most the cap of completed tasks per framework, dropping the oldest', () => {
    const live = liveStateOf(parseGetState(getStateText(), url, 1000), { maxCompletedPerFramework: 3 });
    const id = (n: number) => `batch-${n}`;
    for (let n = 0; n < 6; n++) {
      apply(live, events.taskAdded({ ...newTask, taskId: id(n), statuses: [] }));
      apply(live, events.taskUpdated(fw, { ...status('TASK_FINISHED'), taskId: id(n) }));
    }
    const completed = live.state.tasks.filter((t) => t.list === 'completed').map((t) => t.id);
    // The example's failed task was the oldest completed; then batch-0..2.
    expect(completed.sort()).toEqual([id(3), id(4), id(5)]);
    expect(live.state.tasks.find((t) => t.id === example.runningTask)?.list).toBe('active');
    expectIndexed(live);
  });

  it('keeps its index true through thousands of mixed events', () => {
    const live = liveStateOf(parseGetState(getStateText(), url, 1000), { maxCompletedPerFramework: 50 });
    let seed = 3;
    const r = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const states = ['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED', 'TASK_FAILED', 'TASK_LOST', 'TASK_UNREACHABLE'];
    for (let k = 0; k < 3000; k++) {
      const n = Math.floor(r() * 300);
      const agentId = `${example.masterId}-S${100 + Math.floor(r() * 20)}`;
      const x = r();
      if (x < 0.3) apply(live, events.taskAdded({ ...newTask, taskId: id(n), agentId, statuses: [] }));
      else if (x < 0.9)
        apply(live, events.taskUpdated(fw, { ...status(states[Math.floor(r() * states.length)]!), taskId: id(n), agentId }));
      else if (x < 0.95) apply(live, events.agentAdded({ id: agentId, hostname: 'h', ip: '10.0.0.1', slaveType: 't', registeredNs: 1n }));
      else apply(live, events.agentRemoved(agentId));
    }
    expectIndexed(live);
    for (const q of live.completed.values())
      expect(live.state.tasks.filter((t) => t.list === 'completed').length).toBeLessThanOrEqual(q.cap);
    function id(n: number) {
      return `t-${n}`;
    }
  });
});
