/** Aurora's structs (decoded from either protocol) in the console's terms. */
import { describe, expect, it } from 'vitest';
import { structFromGson } from '../../../core/aurora/gson.js';
import { constraintsText, processesOf, resourcesOf, toJob, toTask } from '../../../core/aurora/records.js';
import { ShapeError } from '../../../core/aurora/schema.js';
import { Response } from '../../../core/aurora/structs.js';
import { decodeReply } from '../../../core/aurora/tjson.js';
import type { WireResponse, WireScheduledTask } from '../../../core/aurora/wire.js';

const thermos = JSON.stringify({
  name: 'web',
  task: {
    name: 'web',
    processes: [
      { name: 'stage', cmdline: 'cp /opt/pkgs/web.py .', max_failures: 1 },
      { name: 'serve', cmdline: 'python -u web.py --http {{thermos.ports[http]}}' },
    ],
  },
});

const running: WireScheduledTask = {
  assignedTask: {
    taskId: 'www-data-prod-web-0-9f1c',
    slaveId: 'agent-1-S3',
    slaveHost: 'ip-10-0-0-7',
    instanceId: 0,
    assignedPorts: { http: 31337 },
    task: {
      job: { role: 'www-data', environment: 'prod', name: 'web' },
      isService: true,
      tier: 'preferred',
      priority: 5,
      production: true,
      resources: [{ numCpus: 0.5 }, { ramMb: 256 }, { diskMb: 512 }, { namedPort: 'http' }, { namedPort: 'health' }],
      constraints: [
        { name: 'rack', constraint: { value: { negated: true, values: ['r13', 'r14'] } } },
        { name: 'host', constraint: { limit: { limit: 1 } } },
        { name: 'slave-type', constraint: { value: { negated: false, values: ['mesos-fixed'] } } },
      ],
      executorConfig: { name: 'AuroraExecutor', data: thermos },
    },
  },
  status: 'RUNNING',
  failureCount: 2,
  ancestorId: 'www-data-prod-web-0-11aa',
  // Out of order on purpose: the console shows them oldest first.
  taskEvents: [
    { timestamp: 3000, status: 'RUNNING', scheduler: 's1' },
    { timestamp: 1000, status: 'PENDING', message: 'Rescheduled', scheduler: 's1' },
    { timestamp: 2000, status: 'ASSIGNED', scheduler: 's1' },
  ],
};

describe('tasks', () => {
  it('maps a running ScheduledTask', () => {
    expect(toTask(running, 't')).toEqual({
      taskId: 'www-data-prod-web-0-9f1c',
      jobKey: 'www-data/prod/web',
      instance: 0,
      status: 'RUNNING',
      agentId: 'agent-1-S3',
      agentHost: 'ip-10-0-0-7',
      ancestorId: 'www-data-prod-web-0-11aa',
      failureCount: 2,
      ports: { http: 31337 },
      events: [
        { at: 1000, status: 'PENDING', message: 'Rescheduled', scheduler: 's1' },
        { at: 2000, status: 'ASSIGNED', message: null, scheduler: 's1' },
        { at: 3000, status: 'RUNNING', message: null, scheduler: 's1' },
      ],
      resources: { cpus: 0.5, ramMb: 256, diskMb: 512 },
      tier: 'preferred',
      priority: 5,
      production: true,
      constraints: ['host: limit:1', 'rack: !r13,r14', 'slave-type: mesos-fixed'],
      processes: [
        { name: 'stage', cmdline: 'cp /opt/pkgs/web.py .' },
        { name: 'serve', cmdline: 'python -u web.py --http {{thermos.ports[http]}}' },
      ],
    });
  });

  it('maps a PENDING task without an agent, and without configs (no processes)', () => {
    const pending: WireScheduledTask = {
      assignedTask: {
        taskId: 'p-1',
        instanceId: 3,
        slaveId: '',
        task: { job: { role: 'r', environment: 'e', name: 'n' }, executorConfig: { name: 'AuroraExecutor' } },
      },
      status: 'PENDING',
    };
    const t = toTask(pending, 't');
    expect([t.agentId, t.agentHost, t.ancestorId, t.tier, t.processes, t.failureCount, t.instance]).toEqual([
      null,
      null,
      null,
      null,
      [],
      0,
      3,
    ]);
  });

  it('refuses a task without an id, a config or a job key', () => {
    expect(() => toTask({ status: 'RUNNING', assignedTask: { task: {} } }, 'tasks[0]')).toThrow(ShapeError);
    expect(() => toTask({ status: 'RUNNING', assignedTask: { taskId: 'x', task: { job: { role: 'r' } } } }, 'tasks[0]')).toThrow(
      /tasks\[0\]\.assignedTask\.task\.job/,
    );
  });

  it('reads the same task the same way from TJSON and from Gson', () => {
    const tjson = JSON.stringify([
      1,
      'getTasksStatus',
      2,
      0,
      {
        0: {
          rec: {
            1: { i32: 1 },
            3: {
              rec: {
                3: {
                  rec: {
                    1: {
                      lst: [
                        'rec',
                        1,
                        {
                          1: {
                            rec: {
                              1: { str: 'x-1' },
                              4: {
                                rec: {
                                  28: { rec: { 1: { str: 'r' }, 2: { str: 'e' }, 3: { str: 'n' } } },
                                  20: { set: ['rec', 1, { 1: { str: 'host' }, 2: { rec: { 2: { rec: { 1: { i32: 1 } } } } } }] },
                                  32: { set: ['rec', 2, { 1: { dbl: 1.5 } }, { 2: { i64: 1024 } }] },
                                },
                              },
                              6: { i32: 2 },
                            },
                          },
                          2: { i32: 0 },
                          4: { lst: ['rec', 1, { 1: { i64: 5 }, 2: { i32: 0 } }] },
                        },
                      ],
                    },
                  },
                },
              },
            },
          },
        },
      },
    ]);
    const gson = {
      responseCode: 'OK',
      result: {
        scheduleStatusResult: {
          tasks: [
            {
              assignedTask: {
                taskId: 'x-1',
                task: {
                  job: { role: 'r', environment: 'e', name: 'n' },
                  constraints: [{ name: 'host', constraint: { limit: { limit: 1 } } }],
                  resources: [{ numCpus: 1.5 }, { ramMb: 1024 }],
                },
                instanceId: 2,
              },
              status: 'PENDING',
              taskEvents: [{ timestamp: 5, status: 'PENDING' }],
            },
          ],
        },
      },
    };
    const a = decodeReply(tjson, 'getTasksStatus', 0, Response) as WireResponse;
    const b = structFromGson(Response.struct, gson) as WireResponse;
    const fromA = toTask(a.result!.scheduleStatusResult!.tasks![0]!, 't');
    expect(fromA).toEqual(toTask(b.result!.scheduleStatusResult!.tasks![0]!, 't'));
    expect(fromA.resources).toEqual({ cpus: 1.5, ramMb: 1024, diskMb: 0 });
    expect(fromA.constraints).toEqual(['host: limit:1']);
  });
});

describe('resources, constraints, processes', () => {
  it('prefers the resources set and falls back to the task-level fields of schedulers before 0.19', () => {
    expect(resourcesOf({ numCpus: 9, resources: [{ numCpus: 1 }, { ramMb: 128 }, { diskMb: 64 }] })).toEqual({
      cpus: 1,
      ramMb: 128,
      diskMb: 64,
    });
    expect(resourcesOf({ numCpus: 2, ramMb: 2048, diskMb: 4096 })).toEqual({ cpus: 2, ramMb: 2048, diskMb: 4096 });
    // A set with only some kinds: each missing kind from the legacy field.
    expect(resourcesOf({ ramMb: 512, resources: [{ numCpus: 0.25 }, { namedPort: 'http' }] })).toEqual({
      cpus: 0.25,
      ramMb: 512,
      diskMb: 0,
    });
  });

  it('writes constraints as a job file does', () => {
    expect(
      constraintsText([
        { name: 'slave-type', constraint: { value: { negated: false, values: ['mesos-on-demand', 'mesos-spot'] } } },
        { name: 'dedicated', constraint: { value: { negated: true, values: ['gpu/*'] } } },
        { name: 'zone', constraint: { limit: { limit: 2 } } },
      ]),
    ).toEqual(['dedicated: !gpu/*', 'slave-type: mesos-on-demand,mesos-spot', 'zone: limit:2']);
    expect(constraintsText(undefined)).toEqual([]);
  });

  it('reads Thermos processes and nothing from other executors or broken data', () => {
    expect(processesOf(thermos).map((p) => p.name)).toEqual(['stage', 'serve']);
    expect(processesOf('{"task": {"processes": "none"}}')).toEqual([]);
    expect(processesOf('{"task": {"processes": [{"name": "a"}, {"cmdline": "b"}, 7]}}')).toEqual([{ name: 'a', cmdline: '' }]);
    expect(processesOf('docker run nginx')).toEqual([]);
    expect(processesOf(undefined)).toEqual([]);
  });
});

describe('jobs', () => {
  it('maps a cron JobSummary', () => {
    const job = toJob(
      {
        job: {
          key: { role: 'www-data', environment: 'prod', name: 'nightly_report' },
          cronSchedule: '30 2 * * *',
          cronCollisionPolicy: 'CANCEL_NEW',
          instanceCount: 1,
          taskConfig: { isService: false, maxTaskFailures: -1, resources: [{ numCpus: 1 }, { ramMb: 1024 }, { diskMb: 1024 }] },
        },
        stats: { activeTaskCount: 0, finishedTaskCount: 12, failedTaskCount: 1, pendingTaskCount: 0 },
        nextCronRunMs: 1580524200000,
      },
      's',
    );
    expect(job).toEqual({
      key: 'www-data/prod/nightly_report',
      role: 'www-data',
      environment: 'prod',
      name: 'nightly_report',
      instances: 1,
      service: false,
      cron: { schedule: '30 2 * * *', collisionPolicy: 'CANCEL_NEW', nextRun: 1580524200000 },
      tier: null,
      priority: 0,
      maxTaskFailures: -1,
      constraints: [],
      resources: { cpus: 1, ramMb: 1024, diskMb: 1024 },
      stats: { active: 0, finished: 12, failed: 1, pending: 0 },
    });
  });

  it('maps a service without cron, defaulting the collision policy only for crons', () => {
    const job = toJob(
      { job: { key: { role: 'r', environment: 'e', name: 'n' }, instanceCount: 4, taskConfig: { isService: true, tier: 'preferred' } } },
      's',
    );
    expect([job.service, job.cron, job.instances, job.tier, job.stats]).toEqual([
      true,
      null,
      4,
      'preferred',
      { active: 0, finished: 0, failed: 0, pending: 0 },
    ]);
    const cron = toJob({ job: { key: { role: 'r', environment: 'e', name: 'c' }, cronSchedule: '*/5 * * * *' } }, 's');
    expect(cron.cron).toEqual({ schedule: '*/5 * * * *', collisionPolicy: 'KILL_EXISTING', nextRun: null });
    expect(() => toJob({ stats: {} }, 'summaries[2]')).toThrow(/summaries\[2\]/);
  });
});
