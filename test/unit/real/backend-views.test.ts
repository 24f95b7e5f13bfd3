import { describe, expect, it } from 'vitest';
import type { AuroraTask } from '../../../core/aurora/types.js';
import type { Task } from '../../../core/contract/index.js';
import type { MesosTask } from '../../../core/mesos/types.js';
import { instancesOf, liveTaskOf } from '../../../core/real/backend.js';

const id = (n: number, instance = 0) => `www-data-prod-hello-${instance}-8a1f3e2c-1b2d-4c5e-9f00-00000000000${n}`;
const at = (ms: number) => ({ ms, ns: `${ms}000000` });

function attempt(n: number, o: Partial<Task>): Task {
  return {
    taskId: id(n, o.instance ?? 0),
    jobKey: 'www-data/prod/hello',
    instance: 0,
    state: 'RUNNING',
    agentId: 'a1',
    agentHost: 'h1',
    ancestorId: null,
    failureCount: 0,
    exitCode: null,
    reason: null,
    message: null,
    pendingReason: null,
    sandboxDir: null,
    ports: {},
    createdAt: 0,
    updatedAt: 0,
    startedAt: null,
    endedAt: null,
    ...o,
  };
}

describe("a real job's instances", () => {
  it('makes current the attempt no other one replaced, even when an older attempt looks newer or active', () => {
    // Attempt 2 replaced attempt 1; attempt 1's record says RUNNING still (Aurora had not caught up) and was created later by clock skew.
    const first = attempt(1, { state: 'RUNNING', createdAt: 5000 });
    const second = attempt(2, { state: 'FAILED', createdAt: 4000, ancestorId: first.taskId, endedAt: 6000 });
    const [row] = instancesOf([first, second]);
    expect(row!.current.taskId).toBe(second.taskId);
    expect(row!.history.map((t) => t.taskId)).toEqual([first.taskId]);
  });

  it('groups attempts by instance, in instance order, newest first when nothing links them', () => {
    const rows = instancesOf([
      attempt(1, { instance: 1, createdAt: 10 }),
      attempt(2, { instance: 0, createdAt: 20 }),
      attempt(3, { instance: 1, createdAt: 30 }),
    ]);
    expect(rows.map((r) => [r.instance, r.current.taskId, r.history.length])).toEqual([
      [0, id(2, 0), 0],
      [1, id(3, 1), 1],
    ]);
  });
});

describe('a task as Aurora last had it, with the master newer', () => {
  const aurora: AuroraTask = {
    taskId: id(1),
    jobKey: 'www-data/prod/hello',
    instance: 0,
    status: 'RUNNING',
    agentId: 'a1',
    agentHost: 'h1',
    ancestorId: null,
    failureCount: 0,
    ports: {},
    events: [
      { at: 1000, status: 'PENDING', message: null, scheduler: null },
      { at: 2000, status: 'RUNNING', message: null, scheduler: null },
    ],
    resources: { cpus: 1, ramMb: 128, diskMb: 64 },
    tier: 'preferred',
    priority: 0,
    production: false,
    constraints: [],
    processes: [],
  };
  const mesos = (state: MesosTask['state'], ms: number): MesosTask => ({
    id: id(1),
    name: 'www-data/prod/hello',
    frameworkId: 'fw',
    agentId: 'a1',
    executorId: `thermos-${id(1)}`,
    state,
    statuses: [
      { state: 'TASK_RUNNING', at: at(2000), message: null, reason: null, source: null, healthy: null },
      ...(state === 'TASK_RUNNING' ? [] : [{ state, at: at(ms), message: 'killed', reason: null, source: null, healthy: null }]),
    ],
    resources: { cpus: 1, memMb: 128, diskMb: 64, gpus: 0, ports: '' },
    role: null,
    user: null,
    labels: {},
    list: state === 'TASK_RUNNING' ? 'active' : 'completed',
    sandbox: { agentId: 'a1', frameworkId: 'fw', executorId: `thermos-${id(1)}`, latestPath: '/x/runs/latest', containerId: null },
  });

  it("takes the master's state when it is newer than Aurora's last event (a kill it just carried out)", () => {
    expect(liveTaskOf(aurora, mesos('TASK_KILLED', 9000), null)).toMatchObject({ state: 'KILLED', updatedAt: 9000, endedAt: 9000 });
  });

  it("keeps Aurora's word when the master has nothing newer", () => {
    expect(liveTaskOf(aurora, mesos('TASK_RUNNING', 2000), null)).toMatchObject({ state: 'RUNNING', updatedAt: 2000, endedAt: null });
    const killedByAurora: AuroraTask = {
      ...aurora,
      status: 'KILLED',
      events: [...aurora.events, { at: 9500, status: 'KILLED', message: null, scheduler: null }],
    };
    expect(liveTaskOf(killedByAurora, mesos('TASK_KILLED', 9000), null)).toMatchObject({ state: 'KILLED', updatedAt: 9500 });
  });
});
