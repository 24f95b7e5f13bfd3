import { z } from 'zod';
import { contractError } from './errors.js';

export const taskStateName = z.enum([
  'INIT',
  'PENDING',
  'THROTTLED',
  'ASSIGNED',
  'STARTING',
  'RUNNING',
  'FINISHED',
  'PREEMPTING',
  'RESTARTING',
  'DRAINING',
  'FAILED',
  'KILLED',
  'KILLING',
  'LOST',
  'PARTITIONED',
]);

const jobKeyString = z.string().regex(/^[\w\-.]+\/[\w\-.]+\/[\w\-.]+$/, 'must be role/environment/name');

/** One attempt of one instance. */
export const task = z.object({
  taskId: z.string(),
  jobKey: z.string(),
  instance: z.number().int(),
  state: taskStateName,
  agentId: z.string().nullable(),
  agentHost: z.string().nullable(),
  /** The attempt this one replaced. */
  ancestorId: z.string().nullable(),
  failureCount: z.number().int(),
  exitCode: z.number().int().nullable(),
  /** Mesos reason name, e.g. REASON_CONTAINER_LIMITATION_MEMORY. */
  reason: z.string().nullable(),
  message: z.string().nullable(),
  /** Why a PENDING task is not placed, Aurora's words ("Insufficient: RAM"). */
  pendingReason: z.string().nullable(),
  sandboxDir: z.string().nullable(),
  ports: z.record(z.string(), z.number().int()),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  startedAt: z.number().int().nullable(),
  endedAt: z.number().int().nullable(),
});
export type Task = z.infer<typeof task>;

export const taskEvent = z.object({ at: z.number().int(), state: taskStateName, message: z.string().nullable() });
export type TaskEvent = z.infer<typeof taskEvent>;

export const jobSummary = z.object({
  key: z.string(),
  role: z.string(),
  environment: z.string(),
  name: z.string(),
  instances: z.number().int(),
  service: z.boolean(),
  cron: z.object({ schedule: z.string(), collisionPolicy: z.string(), nextRun: z.number().int().nullable() }).nullable(),
  tier: z.string(),
  priority: z.number().int(),
  maxTaskFailures: z.number().int(),
  /** As written in the job file: `slave-type: mesos-fixed`, `host: limit:1`. */
  constraints: z.array(z.string()),
  resources: z.object({ cpus: z.number(), ramMb: z.number(), diskMb: z.number() }),
  state: z.enum(['active', 'killed']),
  /** Current attempts by state. */
  taskCounts: z.record(z.string(), z.number().int()),
  source: z.string().nullable(),
  /** Null for a real Aurora job: the scheduler does not say when a job was created. */
  createdAt: z.number().int().nullable(),
});
export type JobSummary = z.infer<typeof jobSummary>;

export const jobInstance = z.object({
  instance: z.number().int(),
  current: task,
  /** Earlier attempts, newest first. */
  history: z.array(task),
});

export const jobCalls = {
  'jobs.list': {
    summary: 'Jobs of the active profile with task counts by state.',
    input: z.object({}).strict(),
    output: z.object({
      jobs: z.array(jobSummary),
      /** When a real cluster's jobs were read (absent for the embedded cluster, which is always current). */
      asOf: z.number().int().optional(),
      /** Set when these are the last-known jobs of a scheduler that does not answer now: why. */
      unreachable: contractError.optional(),
    }),
  },
  'jobs.get': {
    summary: 'One job: its config, and each instance with its current attempt and the attempts before it.',
    input: z.object({ key: jobKeyString }).strict(),
    output: z.object({
      job: jobSummary,
      processes: z.array(z.object({ name: z.string(), cmdline: z.string() })),
      instances: z.array(jobInstance),
      /** When a real cluster's job was read (absent for the embedded cluster, which is always current). */
      asOf: z.number().int().optional(),
      /** Set when this is the last-known detail of a scheduler that does not answer now: why. */
      unreachable: contractError.optional(),
    }),
  },
  'jobs.create': {
    summary: 'Submits the jobs of an Aurora JSON job file ({"jobs": [...]}).',
    input: z
      .object({
        text: z.string().max(1024 * 1024, 'a job file may be at most 1 MiB'),
        fileName: z.string().max(500).optional(),
      })
      .strict(),
    output: z.object({ created: z.array(z.string()) }),
  },
  'jobs.kill': {
    summary: 'Kills every active instance of a job, or the listed ones.',
    input: z.object({ key: jobKeyString, instances: z.array(z.number().int().min(0)).max(10_000).optional() }).strict(),
    output: z.object({ killed: z.array(z.string()) }),
  },
  'jobs.restart': {
    summary: 'Restarts the listed instances (kill, then a new attempt).',
    input: z.object({ key: jobKeyString, instances: z.array(z.number().int().min(0)).min(1).max(10_000) }).strict(),
    output: z.object({ restarted: z.array(z.string()) }),
  },
  'tasks.get': {
    summary: 'One attempt: its state timeline, agent and sandbox.',
    input: z.object({ taskId: z.string().min(1).max(500) }).strict(),
    output: z.object({
      task,
      events: z.array(taskEvent),
      /** A real cluster's task: its page on the agent's Thermos observer (`http://<agent ip>:1338/task/<id>`). */
      observerUrl: z.string().optional(),
      /** When a real cluster's task was read (absent for the embedded cluster). */
      asOf: z.number().int().optional(),
      /** Set when this is the last-known state of a task whose scheduler or master does not answer now: why. */
      unreachable: contractError.optional(),
    }),
  },
  'tasks.list': {
    summary: 'Active attempts, by agent, job or state, newest first.',
    input: z
      .object({
        agentId: z.string().optional(),
        jobKey: jobKeyString.optional(),
        states: z.array(taskStateName).optional(),
        limit: z.number().int().min(1).max(1000).default(200),
      })
      .strict(),
    output: z.object({ tasks: z.array(task) }),
  },
} as const;
