import { ConsoleError } from '../errors.js';
import { seconds, type HttpAnswer, type TransportError } from './transport.js';

/** The ConsoleErrors of core/aurora: each names the scheduler URL, the call, and what came back. */

/** The start of a text answer, on one line, HTML tags dropped, for an error message. */
export function excerpt(body: Buffer, max = 160): string {
  const t = body
    .subarray(0, max * 8)
    .toString('utf8')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return t.length > max ? `${t.slice(0, max)}…` : t;
}

export function answered(a: HttpAnswer): string {
  const text = excerpt(a.body);
  return text === '' ? `HTTP ${a.status}` : `HTTP ${a.status} "${text}"`;
}

export function unreachable(url: string, method: string, e: TransportError): ConsoleError {
  if (e.kind === 'truncated' || e.kind === 'too-large') return badResponse(url, method, e.message);
  return new ConsoleError(
    'AURORA_UNREACHABLE',
    `The Aurora scheduler at ${url} did not answer ${method}: ${e.message}.`,
    e.kind === 'timeout' && e.nextTimeoutMs !== null
      ? `The scheduler is slow to answer; the next try waits up to ${seconds(e.nextTimeoutMs)} for it.`
      : 'Check that the scheduler URL in the cluster profile is right and reachable from this machine (VPN, proxy); the console tries again on the next refresh.',
  );
}

export function proxyUnreachable(url: string, method: string, a: HttpAnswer): ConsoleError {
  return new ConsoleError(
    'AURORA_UNREACHABLE',
    `The Aurora scheduler at ${url} did not answer ${method}: the proxy in front of it answered ${answered(a)}.`,
    'The scheduler behind the proxy is down or restarting; try again in a minute.',
  );
}

export function transient(url: string, method: string, details: string): ConsoleError {
  return new ConsoleError(
    'AURORA_UNREACHABLE',
    `The Aurora scheduler at ${url} is temporarily unable to answer ${method} (ERROR_TRANSIENT${details ? `: ${details}` : ''}).`,
    'The scheduler is busy or failing over; try again in a few seconds.',
  );
}

export function noLeader(url: string, method: string, a: HttpAnswer): ConsoleError {
  return new ConsoleError(
    'AURORA_NO_LEADER',
    `The Aurora scheduler at ${url} has no leader to answer ${method}: ${answered(a)}.`,
    'The schedulers are electing a leader (or lost ZooKeeper); wait a minute and refresh. If it lasts, check the schedulers and ZooKeeper.',
  );
}

export function badResponse(url: string, method: string, what: string): ConsoleError {
  return new ConsoleError(
    'AURORA_BAD_RESPONSE',
    `The answer of ${url} to ${method} could not be read: ${what}.`,
    'A proxy or an Aurora version this console does not know may be in the way; check the scheduler URL and protocol in the cluster profile, and try again.',
  );
}

export function tooManyRedirects(url: string, method: string, hops: string[]): ConsoleError {
  return new ConsoleError(
    'AURORA_BAD_RESPONSE',
    `${method} at ${url} was redirected more than ${hops.length - 1} times (${hops.join(' → ')}).`,
    'The schedulers disagree on who leads, or a proxy loops; point the cluster profile at the leader or at a different scheduler.',
  );
}

export function refused(url: string, method: string, code: string, details: string): ConsoleError {
  return new ConsoleError(
    'AURORA_REFUSED',
    `The Aurora scheduler at ${url} refused ${method} (${code})${details ? `: ${details}` : '.'}`,
    code === 'JOB_UPDATING_ERROR'
      ? 'An update of this job is in progress: wait for it to finish, or pause or abort it, and try again.'
      : "Read the scheduler's message: the job, instances or query may not exist or be allowed.",
  );
}

/** 401/403, or responseCode AUTH_FAILED (authenticated, but not permitted). */
export function authFailed(url: string, method: string, what: string, credentials: boolean): ConsoleError {
  return new ConsoleError(
    'AURORA_AUTH_FAILED',
    `The Aurora scheduler at ${url} did not allow ${method}: ${what}.`,
    credentials
      ? "Check the user and password in the cluster profile, and that this user is permitted for the role (the scheduler's Shiro permissions)."
      : 'The scheduler requires authentication for this call: set the Aurora credentials (user and password) in the cluster profile.',
  );
}

/** What `details[].message` says, in one line. */
export function detailText(details: { message?: string }[] | undefined): string {
  return (details ?? [])
    .map((d) => d.message?.trim() ?? '')
    .filter((m) => m !== '')
    .join('; ');
}
