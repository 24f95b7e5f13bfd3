/**
 * A Mesos master's state in the console's terms, whichever endpoint it came from (v1
 * `GET_STATE` or v0 `/master/state`). Plain data only (strings, numbers, booleans, arrays,
 * objects): it crosses a worker boundary and is kept as the last-known state.
 */

/**
 * A point in time. `ms` is what screens sort and show; `ns` is the exact value Mesos sent,
 * in nanoseconds since the epoch, as decimal digits: v1 `TimeInfo.nanoseconds` (~1.7e18)
 * does not fit a double, and two events 100 ns apart must not collapse into one.
 */
export interface MesosTime {
  /** Milliseconds since the epoch, rounded down. */
  ms: number;
  ns: string;
}

/** What an agent offers or a task holds. `mem` and `disk` are MB, as Mesos counts them. */
export interface MesosResources {
  cpus: number;
  memMb: number;
  diskMb: number;
  gpus: number;
  /** Mesos range syntax as `/master/state` prints it: "[31000-32000]", "[21000-24000, 30000-34000]"; "" when none. */
  ports: string;
}

export interface MesosAgent {
  id: string;
  hostname: string;
  /** The IP in the agent's pid (`slave(1)@10.20.1.11:5051`): how the console reaches it. Null when the master has no pid for it. */
  ip: string | null;
  /** The port from the pid, else the registered one (5051 by default). */
  port: number;
  /** The libprocess pid as sent, e.g. `slave(1)@10.20.1.11:5051`. */
  pid: string | null;
  /** Every attribute as text, the way `/master/state` renders it: "mesos-fixed", "10", "[1000-1500]", "{a, b}". */
  attributes: Record<string, string>;
  /** The `slave-type` attribute: the pool the agent belongs to. */
  slaveType: string | null;
  resources: MesosResources;
  /** Allocated to frameworks (tasks and executors). */
  used: MesosResources;
  registeredAt: MesosTime | null;
  reregisteredAt: MesosTime | null;
  /** False while disconnected, deactivated or drained: it gets no offers. */
  active: boolean;
  /** Deactivated by an operator (DEACTIVATE_AGENT or a drain). */
  deactivated: boolean;
  drain: 'DRAINING' | 'DRAINED' | null;
  version: string | null;
  /**
   * Known from the registry after a master failover but not re-registered yet: only id,
   * hostname, port and attributes are known, and it may be gone for good.
   */
  recovered: boolean;
}

export interface MesosFramework {
  id: string;
  name: string;
  /** `role`, or the `roles` of a multi-role framework, joined with ", ". */
  role: string;
  user: string;
  principal: string | null;
  hostname: string | null;
  webuiUrl: string | null;
  active: boolean;
  connected: boolean;
  recovered: boolean;
  /** Torn down (`completed_frameworks`). */
  completed: boolean;
  registeredAt: MesosTime | null;
}

/** Mesos' task states (mesos.proto TaskState). */
export const mesosTaskStates = [
  'TASK_STAGING',
  'TASK_STARTING',
  'TASK_RUNNING',
  'TASK_KILLING',
  'TASK_FINISHED',
  'TASK_FAILED',
  'TASK_KILLED',
  'TASK_ERROR',
  'TASK_LOST',
  'TASK_DROPPED',
  'TASK_UNREACHABLE',
  'TASK_GONE',
  'TASK_GONE_BY_OPERATOR',
  'TASK_UNKNOWN',
] as const;
export type MesosTaskState = (typeof mesosTaskStates)[number];

export interface MesosTaskStatus {
  state: MesosTaskState;
  at: MesosTime | null;
  /** v1 only: `/master/state` drops message, reason and source (reference/mesos.md §1). */
  message: string | null;
  /** e.g. REASON_CONTAINER_LIMITATION_MEMORY. */
  reason: string | null;
  source: string | null;
  healthy: boolean | null;
}

/**
 * Where a task's files are on its agent. The agent's files API serves the latest run of an
 * executor at a virtual path; the exact run directory is on the agent's `/state`
 * (`sandboxOf` in files.ts reads it).
 */
export interface SandboxHint {
  agentId: string;
  frameworkId: string;
  /** The executor's id; for a command-executor task (no executor id) it is the task id. */
  executorId: string;
  /** `/frameworks/<fw>/executors/<executor>/runs/latest`. */
  latestPath: string;
  /** The container of the run, when a status named it: the run directory is `runs/<containerId>`. */
  containerId: string | null;
}

export interface MesosTask {
  id: string;
  name: string;
  frameworkId: string;
  agentId: string;
  /** As sent; null for a command-executor task (`executor_id` "" or absent). */
  executorId: string | null;
  state: MesosTaskState;
  /** Oldest first, one per consecutive distinct state (the master keeps no more). */
  statuses: MesosTaskStatus[];
  resources: MesosResources;
  role: string | null;
  user: string | null;
  /** Task labels, e.g. `org.apache.aurora.tier`. */
  labels: Record<string, string>;
  /** Which list of the master it was in. */
  list: 'active' | 'unreachable' | 'completed';
  sandbox: SandboxHint;
}

export interface MesosExecutor {
  id: string;
  frameworkId: string;
  agentId: string;
  name: string | null;
  /** DEFAULT (task groups: each task under `tasks/<taskId>`) or CUSTOM (Thermos); null when not sent. */
  type: string | null;
  /**
   * What the executor itself holds (ExecutorInfo.resources, e.g. Thermos' overhead): the master
   * counts it in the agent's used resources beside its tasks' (master.cpp `Slave::addExecutor`).
   * Absent from states parsed before it was read.
   */
  resources?: MesosResources;
}

export interface MesosState {
  /** Which endpoint answered: v1 `GET_STATE`, or `/master/state` on a master without `/api/v1`. */
  source: 'v1' | 'v0';
  /** The URL that answered. */
  url: string;
  /** When the answer arrived, ms since the epoch. */
  fetchedAt: number;
  agents: MesosAgent[];
  frameworks: MesosFramework[];
  tasks: MesosTask[];
  executors: MesosExecutor[];
  /**
   * Set when the full state could not be read and this one was put together from the smaller
   * endpoints that still answered: says what failed and what the parts came from (frameworks and
   * executors are then empty, and tasks may miss the newest changes).
   */
  degraded?: string;
}
