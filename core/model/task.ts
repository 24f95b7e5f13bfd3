/** Aurora's task states (api.thrift ScheduleStatus); the contract's `taskStateName` is the same list (a test says so). */
export const taskStates = [
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
] as const;
export type TaskState = (typeof taskStates)[number];

/** One attempt of one instance of a job, as the store keeps it. */
export interface TaskRecord {
  taskId: string;
  /** `role/environment/name`. */
  jobKey: string;
  instance: number;
  state: TaskState;
  agentId: string | null;
  agentHost: string | null;
  /** The attempt this one replaced, if any. */
  ancestorId: string | null;
  failureCount: number;
  exitCode: number | null;
  reason: string | null;
  message: string | null;
  sandboxDir: string | null;
  /** Named ports allocated on the agent. */
  ports: Record<string, number>;
  /** Why a PENDING attempt is not placed yet. */
  pendingReason: string | null;
  createdAt: number;
  updatedAt: number;
  startedAt: number | null;
  endedAt: number | null;
}
