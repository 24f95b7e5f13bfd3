import { describe, expect, it } from 'vitest';
import type { AuroraTask } from '../../../core/aurora/types.js';
import type { MesosTask } from '../../../core/mesos/types.js';
import { instanceOfTaskId, taskOfAurora, taskOfMesos } from '../../../core/real/tasks.js';

const id = 'www-data-prod-hello-3-8a1f3e2c-1b2d-4c5e-9f00-0123456789ab';
const at = (ms: number) => ({ ms, ns: `${ms}000000` });

const mesosTask: MesosTask = {
  id,
  name: 'www-data/prod/hello',
  frameworkId: 'fw-aurora',
  agentId: 'agent-1',
  executorId: `thermos-${id}`,
  state: 'TASK_FAILED',
  statuses: [
    { state: 'TASK_STARTING', at: at(1000), message: null, reason: null, source: null, healthy: null },
    { state: 'TASK_RUNNING', at: at(2000), message: null, reason: null, source: null, healthy: null },
    {
      state: 'TASK_FAILED',
      at: at(5000),
      message: 'Memory limit exceeded: Requested: 128MB Maximum Used: 128MB',
      reason: 'REASON_CONTAINER_LIMITATION_MEMORY',
      source: 'SOURCE_AGENT',
      healthy: null,
    },
  ],
  resources: { cpus: 1, memMb: 128, diskMb: 64, gpus: 0, ports: '' },
  role: 'www-data',
  user: 'www-data',
  labels: {},
  list: 'completed',
  sandbox: {
    agentId: 'agent-1',
    frameworkId: 'fw-aurora',
    executorId: `thermos-${id}`,
    latestPath: `/frameworks/fw-aurora/executors/thermos-${id}/runs/latest`,
    containerId: null,
  },
};

describe("a real cluster's tasks in the console's terms", () => {
  it("reads the instance from Aurora's task id, whatever dashes the job name has", () => {
    expect(instanceOfTaskId(id)).toBe(3);
    expect(instanceOfTaskId('a-b-c-d-12-8a1f3e2c-1b2d-4c5e-9f00-0123456789ab')).toBe(12);
    expect(instanceOfTaskId('not-an-aurora-task')).toBeNull();
  });

  it("keeps the Mesos reason and message of a failure, in Aurora's state words", () => {
    const t = taskOfMesos(mesosTask, undefined);
    expect(t).toMatchObject({
      jobKey: 'www-data/prod/hello',
      instance: 3,
      state: 'FAILED',
      reason: 'REASON_CONTAINER_LIMITATION_MEMORY',
      startedAt: 2000,
      endedAt: 5000,
    });
    expect(t.message).toContain('Memory limit exceeded');
    expect(t.sandboxDir).toBe(mesosTask.sandbox.latestPath);
  });

  it("lays Mesos' reason over Aurora's attempt, and shows a pending task's reason only while it is pending", () => {
    const aurora: AuroraTask = {
      taskId: id,
      jobKey: 'www-data/prod/hello',
      instance: 3,
      status: 'FAILED',
      agentId: 'agent-1',
      agentHost: 'ip-10-0-0-1',
      ancestorId: 'www-data-prod-hello-3-00000000-1b2d-4c5e-9f00-0123456789ab',
      failureCount: 2,
      ports: { http: 31001 },
      events: [
        { at: 900, status: 'PENDING', message: null, scheduler: null },
        { at: 2000, status: 'RUNNING', message: null, scheduler: null },
        { at: 5000, status: 'FAILED', message: 'Task exited with status 137', scheduler: null },
      ],
      resources: { cpus: 1, ramMb: 128, diskMb: 64 },
      tier: 'preferred',
      priority: 0,
      production: false,
      constraints: [],
      processes: [],
    };
    const t = taskOfAurora(aurora, mesosTask, 'Insufficient: RAM');
    expect(t).toMatchObject({
      state: 'FAILED',
      failureCount: 2,
      ancestorId: aurora.ancestorId,
      reason: 'REASON_CONTAINER_LIMITATION_MEMORY',
      exitCode: 137,
      pendingReason: null,
      createdAt: 900,
      endedAt: 5000,
    });
    expect(taskOfAurora({ ...aurora, status: 'PENDING', events: aurora.events.slice(0, 1) }, undefined, 'Insufficient: RAM')).toMatchObject(
      { pendingReason: 'Insufficient: RAM', sandboxDir: null, endedAt: null },
    );
  });
});
