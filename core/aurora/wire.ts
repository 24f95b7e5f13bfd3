/**
 * The decoded structs as records.ts reads them: the common form of both protocols (field names,
 * enum names, sets as arrays). Every field is optional because Thrift leaves unset fields out;
 * the decoder has already checked the type of every field that is present.
 */

export interface WireJobKey {
  role?: string;
  environment?: string;
  name?: string;
}

export interface WireConstraint {
  name?: string;
  constraint?: { value?: { negated?: boolean; values?: string[] }; limit?: { limit?: number } };
}

export interface WireResource {
  numCpus?: number;
  ramMb?: number;
  diskMb?: number;
  namedPort?: string;
  numGpus?: number;
}

export interface WireTaskConfig {
  job?: WireJobKey;
  owner?: { user?: string };
  isService?: boolean;
  numCpus?: number;
  ramMb?: number;
  diskMb?: number;
  priority?: number;
  maxTaskFailures?: number;
  production?: boolean;
  tier?: string;
  resources?: WireResource[];
  constraints?: WireConstraint[];
  contactEmail?: string;
  executorConfig?: { name?: string; data?: string };
}

export interface WireTaskEvent {
  timestamp?: number;
  status?: string;
  message?: string;
  scheduler?: string;
}

export interface WireScheduledTask {
  assignedTask?: {
    taskId?: string;
    slaveId?: string;
    slaveHost?: string;
    task?: WireTaskConfig;
    assignedPorts?: Record<string, number>;
    instanceId?: number;
  };
  status?: string;
  failureCount?: number;
  timesPartitioned?: number;
  taskEvents?: WireTaskEvent[];
  ancestorId?: string;
}

export interface WireJobSummary {
  job?: {
    key?: WireJobKey;
    cronSchedule?: string;
    cronCollisionPolicy?: string;
    taskConfig?: WireTaskConfig;
    instanceCount?: number;
  };
  stats?: { activeTaskCount?: number; finishedTaskCount?: number; failedTaskCount?: number; pendingTaskCount?: number };
  nextCronRunMs?: number;
}

export interface WireResult {
  scheduleStatusResult?: { tasks?: WireScheduledTask[] };
  roleSummaryResult?: { summaries?: { role?: string; jobCount?: number; cronJobCount?: number }[] };
  jobSummaryResult?: { summaries?: WireJobSummary[] };
  getPendingReasonResult?: { reasons?: { taskId?: string; reason?: string }[] };
}

export interface WireResponse {
  responseCode?: string;
  serverInfo?: { clusterName?: string; statsUrlPrefix?: string };
  result?: WireResult;
  details?: { message?: string }[];
}
