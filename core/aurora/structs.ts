import type { EnumDef, FieldDef, StructDef, ThriftType } from './schema.js';

/**
 * Field ids and names of the api.thrift structs the console reads and writes (Aurora 0.22,
 * api/src/main/thrift/org/apache/aurora/gen/api.thrift), and no others: unknown fields of an
 * answer are skipped, so a newer scheduler still reads.
 */

const f = (id: number, name: string, type: ThriftType): FieldDef => ({ id, name, type });
const struct = (name: string, fields: FieldDef[]): { struct: StructDef } => ({ struct: { name, fields } });
const union = (name: string, fields: FieldDef[]): { struct: StructDef } => ({ struct: { name, union: true, fields } });
const setOf = (t: ThriftType): ThriftType => ({ set: t });
const listOf = (t: ThriftType): ThriftType => ({ list: t });

export const ResponseCode: EnumDef = {
  name: 'ResponseCode',
  values: { INVALID_REQUEST: 0, OK: 1, ERROR: 2, WARNING: 3, AUTH_FAILED: 4, JOB_UPDATING_ERROR: 5, ERROR_TRANSIENT: 6 },
};

export const ScheduleStatus: EnumDef = {
  name: 'ScheduleStatus',
  values: {
    INIT: 11,
    THROTTLED: 16,
    PENDING: 0,
    ASSIGNED: 9,
    STARTING: 1,
    RUNNING: 2,
    FINISHED: 3,
    PREEMPTING: 13,
    RESTARTING: 12,
    DRAINING: 17,
    FAILED: 4,
    KILLED: 5,
    KILLING: 6,
    LOST: 7,
    PARTITIONED: 18,
  },
};

export const CronCollisionPolicy: EnumDef = {
  name: 'CronCollisionPolicy',
  values: { KILL_EXISTING: 0, CANCEL_NEW: 1, RUN_OVERLAP: 2 },
};

const status = { enum: ScheduleStatus };

export const JobKey = struct('JobKey', [f(1, 'role', 'string'), f(2, 'environment', 'string'), f(3, 'name', 'string')]);
const Identity = struct('Identity', [f(2, 'user', 'string')]);

const ValueConstraint = struct('ValueConstraint', [f(1, 'negated', 'bool'), f(2, 'values', setOf('string'))]);
const LimitConstraint = struct('LimitConstraint', [f(1, 'limit', 'i32')]);
const TaskConstraint = union('TaskConstraint', [f(1, 'value', ValueConstraint), f(2, 'limit', LimitConstraint)]);
const Constraint = struct('Constraint', [f(1, 'name', 'string'), f(2, 'constraint', TaskConstraint)]);

const Resource = union('Resource', [
  f(1, 'numCpus', 'double'),
  f(2, 'ramMb', 'i64'),
  f(3, 'diskMb', 'i64'),
  f(4, 'namedPort', 'string'),
  f(5, 'numGpus', 'i64'),
]);

const ExecutorConfig = struct('ExecutorConfig', [f(1, 'name', 'string'), f(2, 'data', 'string')]);

export const TaskConfig = struct('TaskConfig', [
  f(28, 'job', JobKey),
  f(17, 'owner', Identity),
  f(7, 'isService', 'bool'),
  // Removed in 0.19 (AURORA-1707); older schedulers send only these.
  f(8, 'numCpus', 'double'),
  f(9, 'ramMb', 'i64'),
  f(10, 'diskMb', 'i64'),
  f(11, 'priority', 'i32'),
  f(13, 'maxTaskFailures', 'i32'),
  f(18, 'production', 'bool'),
  f(30, 'tier', 'string'),
  f(32, 'resources', setOf(Resource)),
  f(20, 'constraints', setOf(Constraint)),
  f(23, 'contactEmail', 'string'),
  f(25, 'executorConfig', ExecutorConfig),
]);

const TaskEvent = struct('TaskEvent', [
  f(1, 'timestamp', 'i64'),
  f(2, 'status', status),
  f(3, 'message', 'string'),
  f(4, 'scheduler', 'string'),
]);

const AssignedTask = struct('AssignedTask', [
  f(1, 'taskId', 'string'),
  f(2, 'slaveId', 'string'),
  f(3, 'slaveHost', 'string'),
  f(4, 'task', TaskConfig),
  f(5, 'assignedPorts', { map: ['string', 'i32'] }),
  f(6, 'instanceId', 'i32'),
]);

export const ScheduledTask = struct('ScheduledTask', [
  f(1, 'assignedTask', AssignedTask),
  f(2, 'status', status),
  f(3, 'failureCount', 'i32'),
  f(6, 'timesPartitioned', 'i32'),
  f(4, 'taskEvents', listOf(TaskEvent)),
  f(5, 'ancestorId', 'string'),
]);

export const TaskQuery = struct('TaskQuery', [
  f(14, 'role', 'string'),
  f(9, 'environment', 'string'),
  f(2, 'jobName', 'string'),
  f(4, 'taskIds', setOf('string')),
  f(5, 'statuses', setOf(status)),
  f(7, 'instanceIds', setOf('i32')),
  f(10, 'slaveHosts', setOf('string')),
  f(11, 'jobKeys', setOf(JobKey)),
  f(12, 'offset', 'i32'),
  f(13, 'limit', 'i32'),
]);

const JobConfiguration = struct('JobConfiguration', [
  f(9, 'key', JobKey),
  f(7, 'owner', Identity),
  f(4, 'cronSchedule', 'string'),
  f(5, 'cronCollisionPolicy', { enum: CronCollisionPolicy }),
  f(6, 'taskConfig', TaskConfig),
  f(8, 'instanceCount', 'i32'),
]);

const JobStats = struct('JobStats', [
  f(1, 'activeTaskCount', 'i32'),
  f(2, 'finishedTaskCount', 'i32'),
  f(3, 'failedTaskCount', 'i32'),
  f(4, 'pendingTaskCount', 'i32'),
]);

const JobSummary = struct('JobSummary', [f(1, 'job', JobConfiguration), f(2, 'stats', JobStats), f(3, 'nextCronRunMs', 'i64')]);
const RoleSummary = struct('RoleSummary', [f(1, 'role', 'string'), f(2, 'jobCount', 'i32'), f(3, 'cronJobCount', 'i32')]);
const PendingReason = struct('PendingReason', [f(1, 'taskId', 'string'), f(2, 'reason', 'string')]);

/** Only the members the console's calls return; a scheduler answering another one is answering something else. */
const Result = union('Result', [
  f(3, 'scheduleStatusResult', struct('ScheduleStatusResult', [f(1, 'tasks', listOf(ScheduledTask))])),
  f(17, 'roleSummaryResult', struct('RoleSummaryResult', [f(1, 'summaries', setOf(RoleSummary))])),
  f(18, 'jobSummaryResult', struct('JobSummaryResult', [f(1, 'summaries', setOf(JobSummary))])),
  f(21, 'getPendingReasonResult', struct('GetPendingReasonResult', [f(1, 'reasons', setOf(PendingReason))])),
]);

const ServerInfo = struct('ServerInfo', [f(1, 'clusterName', 'string'), f(3, 'statsUrlPrefix', 'string')]);
const ResponseDetail = struct('ResponseDetail', [f(1, 'message', 'string')]);

export const Response = struct('Response', [
  f(1, 'responseCode', { enum: ResponseCode }),
  f(5, 'serverInfo', ServerInfo),
  f(3, 'result', Result),
  f(6, 'details', listOf(ResponseDetail)),
]);

/** A service method: its arguments as the IDL numbers and names them, and the Result member it answers with. */
export interface MethodDef {
  name: string;
  args: readonly FieldDef[];
  result: 'scheduleStatusResult' | 'roleSummaryResult' | 'jobSummaryResult' | 'getPendingReasonResult' | null;
  /** Writes carry credentials, are never retried on a transient answer, and are not re-sent after an ambiguous failure. */
  write: boolean;
}

const instances = setOf('i32');

export const methods = {
  getRoleSummary: { name: 'getRoleSummary', args: [], result: 'roleSummaryResult', write: false },
  getJobSummary: { name: 'getJobSummary', args: [f(1, 'role', 'string')], result: 'jobSummaryResult', write: false },
  getTasksStatus: { name: 'getTasksStatus', args: [f(1, 'query', TaskQuery)], result: 'scheduleStatusResult', write: false },
  getTasksWithoutConfigs: {
    name: 'getTasksWithoutConfigs',
    args: [f(1, 'query', TaskQuery)],
    result: 'scheduleStatusResult',
    write: false,
  },
  getPendingReason: { name: 'getPendingReason', args: [f(1, 'query', TaskQuery)], result: 'getPendingReasonResult', write: false },
  killTasks: {
    name: 'killTasks',
    args: [f(4, 'job', JobKey), f(5, 'instances', instances), f(6, 'message', 'string')],
    result: null,
    write: true,
  },
  restartShards: { name: 'restartShards', args: [f(5, 'job', JobKey), f(3, 'shardIds', instances)], result: null, write: true },
} satisfies Record<string, MethodDef>;
