import { z } from 'zod';

/**
 * Stable error codes. The UI and scripts branch on these, so a code is never renamed;
 * new codes are appended as areas are built.
 */
export const errorCodes = [
  'CONTRACT_INVALID_INPUT',
  'CONTRACT_UNKNOWN_CALL',
  'CONTRACT_UNKNOWN_STREAM',
  'STORE_CORRUPT',
  'STORE_UNREADABLE',
  'STORE_NEWER_VERSION',
  /** The SQLite driver's native binary does not fit this runtime (ABI or Node-API version). */
  'STORE_DRIVER_MISMATCH',
  'PROFILE_NOT_FOUND',
  'HOST_UNREACHABLE',
  'INTERNAL',
  'JOB_SPEC_INVALID',
  'JOB_EXISTS',
  'JOB_NOT_FOUND',
  'TASK_NOT_FOUND',
  'INSTANCE_NOT_FOUND',
  'PROFILE_READ_ONLY',
  'PROFILE_INVALID',
  'PROFILE_SWITCHING',
  'MESOS_NOT_CONNECTED',
  'SANDBOX_OUTSIDE_ROOT',
  'SANDBOX_NOT_FOUND',
  'SANDBOX_GONE',
  'LOG_NOT_TEXT',
  'SEARCH_INVALID',
  // AWS (core/cloud/aws*): what the console's view of EC2 and Auto Scaling can fail with.
  'AWS_THROTTLED',
  'AWS_AUTH_EXPIRED',
  'AWS_UNAUTHORIZED',
  'AWS_CAPACITY',
  'AWS_NOT_FOUND',
  'AWS_LIMIT',
  'AWS_INVALID',
  'AWS_UNAVAILABLE',
  'AWS_FAILED',
  'SCALE_OUT_OF_RANGE',
  'SPOT_TYPES_INCOMPATIBLE',
  'INSTANCE_HELD',
  // Scaling and holds (core/scaling).
  'POOL_NOT_FOUND',
  'SCALE_NOT_ALLOWED',
  'SCALE_CONFIRMATION_REQUIRED',
  'SCALE_BUSY',
  'SCALE_TIMEOUT',
  'OPERATION_NOT_FOUND',
  'OPERATION_NOT_CANCELLABLE',
  'HOLD_NOT_FOUND',
  'HOLD_INVALID',
  // A real Mesos cluster (core/mesos): its masters, their answers, its agents.
  'MESOS_NO_LEADER',
  'MESOS_UNREACHABLE',
  'MESOS_BAD_RESPONSE',
  'MESOS_UNAUTHORIZED',
  'AGENT_UNREACHABLE',
  // A real Aurora scheduler (core/aurora).
  'AURORA_NOT_CONFIGURED',
  'AURORA_UNREACHABLE',
  'AURORA_NO_LEADER',
  'AURORA_BAD_RESPONSE',
  'AURORA_AUTH_FAILED',
  'AURORA_REFUSED',
  'JOB_CREATE_UNSUPPORTED',
  // Live updates of a real Mesos master (SUBSCRIBE).
  'MESOS_STREAM_LOST',
  // A command on a read-only view (the last-known state of a cluster out of reach).
  'CLUSTER_READ_ONLY',
  // One console per data folder (core/store/lock.ts).
  'DATA_DIR_LOCKED',
  // The headless host's own refusals, before a call reaches the console.
  'AUTH_REQUIRED',
  'HOST_FORBIDDEN',
  'HTTP_NOT_FOUND',
  'HTTP_METHOD_NOT_ALLOWED',
  'HTTP_BODY_TOO_LARGE',
  'HTTP_UNSUPPORTED_MEDIA_TYPE',
  // The console is starting or stopping.
  'HOST_NOT_READY',
] as const;

export const errorCode = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof errorCode>;

export const contractError = z.object({
  code: errorCode,
  message: z.string(),
  /** What the user can do next, in one sentence. */
  hint: z.string().optional(),
  /** Every problem when there are several (e.g. each invalid field of a job file). */
  details: z.array(z.string()).optional(),
});
export type ContractError = z.infer<typeof contractError>;

export type CallResult<T> = { ok: true; data: T } | { ok: false; error: ContractError };
