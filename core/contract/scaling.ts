import { z } from 'zod';
import { poolKind } from './profiles.js';

/**
 * Scaling, holds, instances and the audit log. Every change to machines goes through one path:
 * `scaling.plan` says exactly what a request would do, `scaling.run` re-plans it on the server,
 * checks the confirmations the plan asked for, journals it and starts it after a short cancel
 * window. Progress and history are `operations.*`; the audit log is the same journal.
 */

const poolName = z.string().min(1).max(64);
const instanceId = z.string().min(1).max(128);

/** What the user asks for. One variant per way a pool kind scales. */
export const scaleRequest = z.discriminatedUnion('kind', [
  /** An on-demand (Auto Scaling) pool: set N nodes; down means choosing which ones go. */
  z.object({ kind: z.literal('set-desired'), pool: poolName, count: z.number().int().min(0).max(1000) }).strict(),
  /** A spot pool: a new group of `count` nodes of compatible types, one group per run. */
  z
    .object({
      kind: z.literal('create-spot-group'),
      pool: poolName,
      count: z.number().int().min(1).max(1000),
      instanceTypes: z.array(z.string().min(1)).min(1).max(20).optional(),
    })
    .strict(),
  /** A specific pool: one instance of a chosen type and name. */
  z
    .object({
      kind: z.literal('launch-specific'),
      pool: poolName,
      instanceType: z.string().min(1).optional(),
      name: z
        .string()
        .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'letters, digits, ".", "_" and "-" only, at most 63 characters')
        .optional(),
    })
    .strict(),
  /** Any scalable pool: remove exactly these instances. */
  z.object({ kind: z.literal('remove'), pool: poolName, instanceIds: z.array(instanceId).min(1).max(1000) }).strict(),
  /** A spot pool: delete one group and terminate its instances. */
  z.object({ kind: z.literal('delete-spot-group'), pool: poolName, groupId: z.string().min(1) }).strict(),
]);
export type ScaleRequest = z.infer<typeof scaleRequest>;

export const lostTask = z.object({ taskId: z.string(), jobKey: z.string(), instance: z.number().int(), state: z.string() });
export type LostTaskView = z.infer<typeof lostTask>;

export const plannedRemoval = z.object({
  instanceId: z.string(),
  name: z.string().nullable(),
  instanceType: z.string(),
  agentId: z.string().nullable(),
  hostname: z.string().nullable(),
  /** Tasks running there now, which become LOST. */
  tasks: z.array(lostTask),
});
export type PlannedRemoval = z.infer<typeof plannedRemoval>;

export const scalePlan = z.object({
  request: scaleRequest,
  pool: z.string(),
  poolKind,
  /** One sentence: "Add 2 mesos-on-demand nodes (2 → 4)". */
  summary: z.string(),
  current: z.number().int(),
  target: z.number().int(),
  add: z.array(z.object({ instanceType: z.string(), name: z.string().nullable() })),
  remove: z.array(plannedRemoval),
  /** Why the request cannot run as asked (held machines, limits, a fixed pool); empty when it can. */
  refusals: z.array(z.string()),
  /** Confirmations `scaling.run` will insist on. */
  requires: z.object({
    /** Running tasks would be lost: the caller must pass `acceptTaskLoss: true`. */
    acceptTaskLoss: z.boolean(),
    /** The pool goes to 0: the caller must type this name. */
    typedName: z.string().nullable(),
  }),
  /** How long `run` waits for added nodes to be ready before reporting a timeout. */
  timeoutMs: z.number().int(),
});
export type ScalePlan = z.infer<typeof scalePlan>;

export const operationState = z.enum(['pending', 'running', 'succeeded', 'failed', 'cancelled']);
export type OperationState = z.infer<typeof operationState>;

export const operationStep = z.object({ seq: z.number().int(), at: z.number().int(), call: z.string(), result: z.string().nullable() });
export type OperationStep = z.infer<typeof operationStep>;

export const operation = z.object({
  id: z.string(),
  kind: z.string(),
  target: z.string(),
  summary: z.string(),
  /** The OS user, and for AWS the principal the call ran as. */
  actor: z.string(),
  state: operationState,
  /** While it runs: "2 of 4 nodes ready"; null when there is nothing to count. */
  progress: z.object({ done: z.number().int(), total: z.number().int(), message: z.string() }).nullable(),
  /** For pending operations: when the first external call happens unless cancelled. */
  startsAt: z.number().int().nullable(),
  result: z.unknown(),
  error: z.string().nullable(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type Operation = z.infer<typeof operation>;

export const holdTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('pool'), pool: poolName }).strict(),
  z.object({ kind: z.literal('instance'), instanceId }).strict(),
]);
export type HoldTarget = z.infer<typeof holdTarget>;

export const hold = z.object({
  id: z.string(),
  target: holdTarget,
  /** The pool the held target is in (the pool itself for a pool hold). */
  pool: z.string(),
  until: z.number().int(),
  reason: z.string(),
  actor: z.string(),
  createdAt: z.number().int(),
});
export type HoldView = z.infer<typeof hold>;

const action = z.object({ allowed: z.boolean(), why: z.string().nullable() });

export const poolView = z.object({
  name: z.string(),
  kind: poolKind,
  instanceTypes: z.array(z.string()),
  /** Machines up or coming up (pending + running). */
  instances: z.number().int(),
  pending: z.number().int(),
  /** Agents of this slave type registered with the cluster. */
  agents: z.number().int(),
  /** Auto Scaling desired capacity (on-demand pools); null for the others. */
  desired: z.number().int().nullable(),
  min: z.number().int().nullable(),
  max: z.number().int().nullable(),
  /** Spot groups of this pool, with their instance counts. */
  groups: z.array(z.object({ id: z.string(), instances: z.number().int(), instanceTypes: z.array(z.string()) })),
  runningTasks: z.number().int(),
  holds: z.array(hold),
  scaleUp: action,
  scaleDown: action,
});
export type PoolView = z.infer<typeof poolView>;

export const instanceView = z.object({
  id: z.string(),
  pool: z.string().nullable(),
  name: z.string().nullable(),
  type: z.string(),
  state: z.string(),
  lifecycle: z.enum(['spot', 'on-demand']),
  autoScalingGroup: z.string().nullable(),
  spotGroup: z.string().nullable(),
  launchTime: z.number().int().nullable(),
  privateIp: z.string().nullable(),
  operationId: z.string().nullable(),
  /** The hold in force on it; `id` is null for a hold known only from the machine's tag (set elsewhere). */
  hold: z.object({ id: z.string().nullable(), until: z.number().int(), reason: z.string(), via: z.enum(['instance', 'pool']) }).nullable(),
  /** The agent registered from this machine (matched by private IP), if any. */
  agent: z.object({ id: z.string(), hostname: z.string(), activeTasks: z.number().int() }).nullable(),
});
export type InstanceView = z.infer<typeof instanceView>;

export const auditEntry = z.object({
  id: z.string(),
  at: z.number().int(),
  kind: z.string(),
  target: z.string(),
  summary: z.string(),
  actor: z.string(),
  state: operationState,
  /** What it did, in short (JSON of the result); null while it runs or when it failed. */
  result: z.string().nullable(),
  /** Why it failed or was cancelled. */
  error: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof auditEntry>;

export const scalingCalls = {
  'pools.list': {
    summary: 'The pools of the open profile: kind, types, current and desired counts, holds, and which buttons apply.',
    input: z.object({}).strict(),
    output: z.object({ pools: z.array(poolView), cloud: z.enum(['local', 'aws']), asOf: z.number().int() }),
  },
  'scaling.plan': {
    summary: 'What a scaling request would do, changing nothing: what is added, what is removed, which tasks are lost.',
    input: z.object({ request: scaleRequest }).strict(),
    output: z.object({ plan: scalePlan }),
  },
  'scaling.run': {
    summary: 'Plans the request again, checks the confirmations, journals it and starts it after the cancel window.',
    input: z
      .object({
        request: scaleRequest,
        /** Set by the caller once per press: a second press with the same key starts nothing new. */
        idempotencyKey: z.string().min(8).max(100),
        acceptTaskLoss: z.boolean().default(false),
        typedName: z.string().max(100).optional(),
        timeoutMs: z.number().int().min(1000).max(3_600_000).optional(),
      })
      .strict(),
    output: z.object({ operation }),
  },
  'operations.list': {
    summary: 'Scaling and hold operations, newest first; `active` for those pending or running.',
    input: z.object({ active: z.boolean().default(false), limit: z.number().int().min(1).max(500).default(50) }).strict(),
    output: z.object({ operations: z.array(operation) }),
  },
  'operations.get': {
    summary: 'One operation with every external call it made and its result.',
    input: z.object({ id: z.string().min(1) }).strict(),
    output: z.object({ operation, steps: z.array(operationStep) }),
  },
  'operations.cancel': {
    summary: 'Cancels an operation still in its cancel window; nothing has been called yet.',
    input: z.object({ id: z.string().min(1) }).strict(),
    output: z.object({ operation }),
  },
  'holds.list': {
    summary: 'Holds in force ("keep machines up"), soonest to expire first.',
    input: z.object({}).strict(),
    output: z.object({ holds: z.array(hold) }),
  },
  'holds.set': {
    summary: 'Keeps a pool or an instance up until a time, with a reason; every downscale path refuses it.',
    input: z
      .object({
        target: holdTarget,
        until: z.number().int().positive(),
        reason: z.string().trim().min(3, 'say why, so a colleague knows whether to release it').max(500),
      })
      .strict(),
    output: z.object({ hold }),
  },
  'holds.release': {
    summary: 'Ends a hold before its time.',
    input: z.object({ id: z.string().min(1) }).strict(),
    output: z.object({ released: z.boolean() }),
  },
  'instances.list': {
    summary: "The cluster's machines by pool, each matched to its agent by private IP.",
    input: z.object({ pool: z.string().min(1).optional() }).strict(),
    output: z.object({
      instances: z.array(instanceView),
      /** Registered agents that no machine accounts for. */
      agentsWithoutInstance: z.array(z.object({ id: z.string(), hostname: z.string(), slaveType: z.string(), ip: z.string().nullable() })),
      asOf: z.number().int(),
    }),
  },
  'audit.list': {
    summary: 'Every mutating command (scaling, holds, kills, job changes): who, what, when, the result. Newest first.',
    input: z
      .object({
        limit: z.number().int().min(1).max(1000).default(200),
        /** Entries before this time (epoch ms), for paging. */
        before: z.number().int().optional(),
        kind: z.string().min(1).optional(),
      })
      .strict(),
    output: z.object({ entries: z.array(auditEntry) }),
  },
} as const;
