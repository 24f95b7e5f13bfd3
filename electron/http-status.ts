import type http from 'node:http';
import type { CallResult, ContractError, ErrorCode } from '../core/contract/index.js';

/**
 * The HTTP status of each error code of the contract, as it means: a script (curl, a monitor)
 * branches on the status before it reads the body. A Record over every code, so a new code
 * cannot be added without choosing its status.
 */
const statusOf: Record<ErrorCode, number> = {
  CONTRACT_INVALID_INPUT: 400,
  CONTRACT_UNKNOWN_CALL: 404,
  CONTRACT_UNKNOWN_STREAM: 404,
  STORE_CORRUPT: 503,
  STORE_UNREADABLE: 503,
  STORE_NEWER_VERSION: 503,
  STORE_DRIVER_MISMATCH: 503,
  PROFILE_NOT_FOUND: 404,
  HOST_UNREACHABLE: 503,
  INTERNAL: 500,
  JOB_SPEC_INVALID: 400,
  JOB_EXISTS: 409,
  JOB_NOT_FOUND: 404,
  TASK_NOT_FOUND: 404,
  INSTANCE_NOT_FOUND: 404,
  PROFILE_READ_ONLY: 403,
  PROFILE_INVALID: 400,
  PROFILE_SWITCHING: 503,
  MESOS_NOT_CONNECTED: 503,
  SANDBOX_OUTSIDE_ROOT: 403,
  SANDBOX_NOT_FOUND: 404,
  SANDBOX_GONE: 404,
  LOG_NOT_TEXT: 409,
  SEARCH_INVALID: 400,
  AWS_THROTTLED: 503,
  AWS_AUTH_EXPIRED: 503,
  AWS_UNAUTHORIZED: 403,
  AWS_CAPACITY: 503,
  AWS_NOT_FOUND: 404,
  AWS_LIMIT: 409,
  AWS_INVALID: 400,
  AWS_UNAVAILABLE: 503,
  AWS_FAILED: 502,
  SCALE_OUT_OF_RANGE: 400,
  SPOT_TYPES_INCOMPATIBLE: 400,
  INSTANCE_HELD: 409,
  POOL_NOT_FOUND: 404,
  SCALE_NOT_ALLOWED: 403,
  SCALE_CONFIRMATION_REQUIRED: 409,
  SCALE_BUSY: 409,
  SCALE_TIMEOUT: 504,
  OPERATION_NOT_FOUND: 404,
  OPERATION_NOT_CANCELLABLE: 409,
  HOLD_NOT_FOUND: 404,
  HOLD_INVALID: 400,
  MESOS_NO_LEADER: 503,
  MESOS_UNREACHABLE: 503,
  MESOS_BAD_RESPONSE: 502,
  MESOS_UNAUTHORIZED: 403,
  AGENT_UNREACHABLE: 503,
  AURORA_NOT_CONFIGURED: 409,
  AURORA_UNREACHABLE: 503,
  AURORA_NO_LEADER: 503,
  AURORA_BAD_RESPONSE: 502,
  AURORA_AUTH_FAILED: 403,
  AURORA_REFUSED: 409,
  JOB_CREATE_UNSUPPORTED: 501,
  MESOS_STREAM_LOST: 503,
  CLUSTER_READ_ONLY: 503,
  DATA_DIR_LOCKED: 409,
  AUTH_REQUIRED: 401,
  HOST_FORBIDDEN: 403,
  HTTP_NOT_FOUND: 404,
  HTTP_METHOD_NOT_ALLOWED: 405,
  HTTP_BODY_TOO_LARGE: 413,
  HTTP_UNSUPPORTED_MEDIA_TYPE: 415,
  HOST_NOT_READY: 503,
};

export function httpStatus(result: CallResult<unknown>): number {
  return result.ok ? 200 : (statusOf[result.error.code] ?? 500);
}

/** Answers `{ok: false, error}` with the status its code means: every refusal has the one envelope. */
export function sendError(res: http.ServerResponse, error: ContractError, headers: http.OutgoingHttpHeaders = {}): void {
  sendResult(res, { ok: false, error }, headers);
}

export function sendResult(res: http.ServerResponse, result: CallResult<unknown>, headers: http.OutgoingHttpHeaders = {}): void {
  const body = JSON.stringify(result);
  res.writeHead(httpStatus(result), {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(body);
}
