/**
 * A real Aurora scheduler in the console's terms (reference/aurora.md §4). Plain data only:
 * what the client returns can be kept as the last-known state.
 */

/** Aurora's ScheduleStatus names (api.thrift), as the console's task states spell them. */
export type AuroraStatus =
  | 'INIT'
  | 'THROTTLED'
  | 'PENDING'
  | 'ASSIGNED'
  | 'STARTING'
  | 'RUNNING'
  | 'FINISHED'
  | 'PREEMPTING'
  | 'RESTARTING'
  | 'DRAINING'
  | 'FAILED'
  | 'KILLED'
  | 'KILLING'
  | 'LOST'
  | 'PARTITIONED';

export interface AuroraJobKey {
  role: string;
  environment: string;
  name: string;
}

export interface AuroraTaskEvent {
  /** ms since the epoch (TaskEvent.timestamp). */
  at: number;
  status: AuroraStatus;
  message: string | null;
  /** The scheduler host that wrote the event. */
  scheduler: string | null;
}

export interface AuroraTask {
  taskId: string;
  /** `role/environment/name`. */
  jobKey: string;
  instance: number;
  status: AuroraStatus;
  /** The Mesos agent id (assignedTask.slaveId); null while PENDING. */
  agentId: string | null;
  agentHost: string | null;
  ancestorId: string | null;
  failureCount: number;
  ports: Record<string, number>;
  /** Oldest first. */
  events: AuroraTaskEvent[];
  resources: { cpus: number; ramMb: number; diskMb: number };
  tier: string | null;
  priority: number;
  production: boolean;
  /** As a job file writes them: `slave-type: mesos-fixed`, `host: limit:1`. */
  constraints: string[];
  /** Thermos processes, when the call returned the executor config (getTasksStatus); [] otherwise. */
  processes: { name: string; cmdline: string }[];
}

export interface AuroraJob {
  key: string;
  role: string;
  environment: string;
  name: string;
  instances: number;
  service: boolean;
  cron: { schedule: string; collisionPolicy: string; nextRun: number | null } | null;
  tier: string | null;
  priority: number;
  maxTaskFailures: number;
  constraints: string[];
  resources: { cpus: number; ramMb: number; diskMb: number };
  /** JobStats of getJobSummary. */
  stats: { active: number; finished: number; failed: number; pending: number };
}

/** TaskQuery (api.thrift): every field given is ANDed. */
export interface AuroraTaskQuery {
  role?: string;
  environment?: string;
  jobName?: string;
  taskIds?: string[];
  statuses?: AuroraStatus[];
  instanceIds?: number[];
  slaveHosts?: string[];
  limit?: number;
  offset?: number;
}

export interface AuroraClientOptions {
  /** The scheduler, e.g. `http://aurora.example:8081`; a non-leader answers 307 to the leader. */
  url: string;
  /** `apibeta` (POST /apibeta/<method>, plain JSON), `thrift` (TJSON at /api), or `auto` (apibeta, falling back to TJSON on 404). Default auto. */
  protocol?: 'apibeta' | 'thrift' | 'auto';
  /** HTTP Basic credentials, sent on writes (and reads when given). */
  credentials?: { user: string; password: string } | null;
  timeoutMs?: number;
}

export interface AuroraClient {
  /** getRoleSummary: proves the scheduler answers; `url` is the one that answered after redirects. */
  ping(): Promise<{ url: string; clusterName: string | null; roles: number }>;
  roles(): Promise<{ role: string; jobCount: number; cronJobCount: number }[]>;
  /** getJobSummary of one role, or of every role when none is given. */
  jobs(role?: string): Promise<AuroraJob[]>;
  /** getTasksWithoutConfigs (no processes), or getTasksStatus with `withConfigs`. */
  tasks(query: AuroraTaskQuery, options?: { withConfigs?: boolean }): Promise<AuroraTask[]>;
  /** getPendingReason: taskId → reason ("Insufficient: ram"). */
  pendingReasons(query: AuroraTaskQuery): Promise<Map<string, string>>;
  /** killTasks(job, instances, message): none or [] kills every active instance. The scheduler's message (e.g. "No tasks to kill."). */
  kill(job: AuroraJobKey, instances: number[] | undefined, message: string): Promise<{ message: string | null }>;
  /** restartShards(job, instances). */
  restart(job: AuroraJobKey, instances: number[]): Promise<{ message: string | null }>;
  close(): void;
}
