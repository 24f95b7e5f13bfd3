import { ConsoleError } from '../model/errors.js';
import { answered, badResponse, masterUnreachable, unauthorized } from './failures.js';
import { TransportError, type HttpAnswer, type HttpRequest, type Transport } from './http.js';
import { resolveLocation, withEc2Ip } from './leader.js';
import { ShapeError } from './shape.js';
import { stateOfMasterState } from './state-v0.js';
import { stateOfGetState } from './state-v1.js';
import { quoteNanoseconds } from './time.js';
import type { MesosState } from './types.js';

/**
 * The master's state: v1 `POST /api/v1 {"type":"GET_STATE"}` (the only source of task
 * reasons and messages), or `GET /master/state` on a master without the v1 API (404/405).
 * A 307 (leadership moved, or a load balancer in front) is followed, re-POSTing the same
 * body. The parse is a pure function of the bytes, so it can run in a worker.
 */

export interface StateOptions {
  /** For the whole download; a 5,000-agent state is 100+ MB. Default 120 s. */
  timeoutMs?: number;
  /** Refuse a state bigger than this (decoded). Default 1 GiB. */
  maxBytes?: number;
  signal?: AbortSignal;
}

const getStateBody = JSON.stringify({ type: 'GET_STATE' });
const maxRedirects = 3;

export async function fetchState(leaderUrl: string, transport: Transport, options: StateOptions = {}): Promise<MesosState> {
  const base = leaderUrl.replace(/\/+$/, '');
  const common: Omit<HttpRequest, 'url'> = { timeoutMs: options.timeoutMs ?? 120_000, maxBytes: options.maxBytes ?? 1024 * 1024 * 1024 };
  if (options.signal) common.signal = options.signal;

  const v1 = await sendFollowing(transport, {
    ...common,
    url: `${base}/api/v1`,
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: getStateBody,
  });
  if (v1.status === 404 || v1.status === 405) {
    const v0 = await sendFollowing(transport, { ...common, url: `${base}/master/state`, headers: { Accept: 'application/json' } });
    expectOk(v0);
    return parseMasterState(v0.body, v0.url);
  }
  expectOk(v1);
  return parseGetState(v1.body, v1.url);
}

/** Parses a `GET_STATE` answer (its exact bytes) into the console's shapes. */
export function parseGetState(body: Buffer, url: string, fetchedAt = Date.now()): MesosState {
  return parse(body, url, 'a v1 GET_STATE answer', (root) => stateOfGetState(root, url, fetchedAt));
}

/** Parses a `/master/state` answer into the console's shapes. */
export function parseMasterState(body: Buffer, url: string, fetchedAt = Date.now()): MesosState {
  return parse(body, url, 'a /master/state answer', (root) => stateOfMasterState(root, url, fetchedAt));
}

function parse(body: Buffer, url: string, what: string, map: (root: unknown) => MesosState): MesosState {
  let root: unknown;
  try {
    root = JSON.parse(quoteNanoseconds(body).toString('utf8'));
  } catch (e) {
    const end = body.length === 0 ? 'the body is empty' : `${body.length} bytes, ending "${tail(body)}"`;
    throw badResponse(url, `it is not valid JSON (${(e as Error).message}; ${end})`);
  }
  try {
    return map(root);
  } catch (e) {
    if (e instanceof ShapeError) throw badResponse(url, `it is not ${what}: ${e.message}`);
    throw e;
  }
}

const tail = (body: Buffer) => body.subarray(Math.max(0, body.length - 40)).toString('utf8').replace(/\s+/g, ' ');

function expectOk(a: HttpAnswer): void {
  if (a.status === 200) {
    const type = String(a.headers['content-type'] ?? '');
    if (type !== '' && !/json/i.test(type)) throw badResponse(a.url, `it is ${type}, not JSON (${answered(a)})`);
    return;
  }
  if (a.status === 503) {
    // "No leader elected", or "Master has not finished recovery" on a leader just elected.
    throw new ConsoleError(
      'MESOS_NO_LEADER',
      `${a.url} answered ${answered(a)}.`,
      'The masters are electing a leader or the new one is recovering; the console tries again shortly.',
    );
  }
  if (a.status === 401 || a.status === 403) throw unauthorized(a.url, a);
  throw badResponse(a.url, `it is ${answered(a)}`);
}

/** Sends, following up to three redirects with the same method and body; errors name the URL. */
async function sendFollowing(transport: Transport, request: HttpRequest): Promise<HttpAnswer> {
  let r = request;
  let redirected = false;
  for (let hop = 0; ; hop++) {
    let a: HttpAnswer;
    try {
      a = await transport.send(r);
    } catch (e) {
      if (!(e instanceof TransportError)) throw e;
      const byIp = e.kind === 'dns' && redirected ? withEc2Ip(r.url) : null;
      if (byIp === null) throw masterUnreachable(r.url, e);
      r = { ...r, url: byIp };
      redirected = false;
      continue;
    }
    const location = a.headers.location;
    if (a.status < 300 || a.status >= 400 || a.status === 304 || !location) return a;
    if (hop >= maxRedirects) throw badResponse(a.url, `it redirects more than ${maxRedirects} times (last to ${location})`);
    r = { ...r, url: resolveLocation(location, r.url) };
    redirected = true;
  }
}
