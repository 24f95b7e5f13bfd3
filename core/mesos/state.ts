import { ConsoleError, isConsoleError } from '../errors.js';
import { answered, badResponse, masterUnreachable, unauthorized } from './failures.js';
import { TransportError, type BodyHead, type HttpAnswer, type HttpRequest, type Transport } from './http.js';
import { resolveLocation, withEc2Ip } from './leader.js';
import { ShapeError } from './shape.js';
import { stateOfMasterSlaves, stateOfMasterState, tasksOfMasterTasks } from './state-v0.js';
import { stateOfGetAgents, stateOfGetState } from './state-v1.js';
import { StateFeed } from './state-feed.js';
import { sharedStateWorker, StateWorkerCrashed, type StateWorker } from './state-worker.js';
import { quoteNanoseconds } from './time.js';
import type { MesosState, MesosTask } from './types.js';

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
  /**
   * Where the bytes are parsed: `worker` in a worker thread (state-worker.ts), so a big state
   * does not hold the main thread for seconds; `inline` here. Default: the worker for bodies
   * over 1 MiB, inline under (starting a slice round trip costs more than a small parse).
   */
  parse?: 'worker' | 'inline';
  /** The thread to parse in (a MesosClient passes its own); default one shared by the process. */
  worker?: StateWorker;
  /** Told when the parsing thread crashed or cannot start, and the state is parsed here instead. */
  log?: (msg: string, err?: unknown) => void;
}

/** Bodies bigger than this are parsed in the worker unless `parse` says otherwise. */
export const workerParseMinBytes = 1024 * 1024;

const getStateBody = JSON.stringify({ type: 'GET_STATE' });
const maxRedirects = 3;

/**
 * The full state; when it cannot be read (cut off, too big, not JSON, not a state) while the
 * master still answers, a degraded one: agents from `GET_AGENTS` (or `/master/slaves` on v0) and
 * tasks from `/master/tasks`, marked with what failed and what answered (`degraded`). A master
 * that does not answer at all, or says it does not lead, is not degraded over: that error stands.
 */
export async function fetchState(leaderUrl: string, transport: Transport, options: StateOptions = {}): Promise<MesosState> {
  const asked: { what: 'GET_STATE' | '/master/state' } = { what: 'GET_STATE' };
  try {
    return await fetchFullState(leaderUrl, transport, options, asked);
  } catch (e) {
    if (!isConsoleError(e) || e.code !== 'MESOS_BAD_RESPONSE' || options.signal?.aborted) throw e;
    return degradedState(leaderUrl, transport, options, asked.what, e);
  }
}

async function fetchFullState(
  leaderUrl: string,
  transport: Transport,
  options: StateOptions,
  asked: { what: 'GET_STATE' | '/master/state' },
): Promise<MesosState> {
  const base = leaderUrl.replace(/\/+$/, '');
  const common: Omit<HttpRequest, 'url'> = { timeoutMs: options.timeoutMs ?? 120_000, maxBytes: options.maxBytes ?? 1024 * 1024 * 1024 };
  if (options.signal) common.signal = options.signal;

  const v1Request: HttpRequest = {
    ...common,
    url: `${base}/api/v1`,
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: getStateBody,
  };
  const v1 = await readState('v1', transport, v1Request, options);
  if (v1 !== 'absent') return v1;
  asked.what = '/master/state';
  return (await readState(
    'v0',
    transport,
    { ...common, url: `${base}/master/state`, headers: { Accept: 'application/json' } },
    options,
    true,
  )) as MesosState;
}

/**
 * One state request, followed through redirects, parsed. Where the parse may be the worker's,
 * a 200 JSON body is not kept here: its chunks go to the worker as they arrive (StateFeed), the
 * first MiB held back until the body is known to be bigger than workerParseMinBytes (smaller,
 * it is parsed here, as before). 'absent': the v1 API is not there (404/405).
 */
async function readState(
  kind: 'v1' | 'v0',
  transport: Transport,
  request: HttpRequest,
  options: StateOptions,
  last = false,
): Promise<MesosState | 'absent'> {
  const again = () => sendFollowing(transport, request);
  const worker = options.parse === 'inline' ? null : (options.worker ?? sharedStateWorker());
  if (!worker?.available) {
    const a = await again();
    if (!last && (a.status === 404 || a.status === 405)) return 'absent';
    expectOk(a);
    return parseAnswer(kind, a, options, again);
  }
  let feed: Feeding | null = null;
  const sink = (head: BodyHead) => {
    feed?.abandon();
    feed = null;
    if (head.status !== 200 || !isJsonType(head.headers['content-type'])) return undefined;
    const f = new Feeding(kind, head.url, worker, options.parse === 'worker' ? -1 : workerParseMinBytes);
    feed = f;
    return (chunk: Buffer) => f.push(chunk);
  };
  let a: HttpAnswer;
  try {
    a = await sendFollowing(transport, { ...request, sink });
  } catch (e) {
    (feed as Feeding | null)?.abandon();
    throw e;
  }
  const fed = feed as Feeding | null;
  if (fed === null) {
    // Not a 200 JSON answer (or a transport that keeps every body): read as it is.
    if (!last && (a.status === 404 || a.status === 405)) return 'absent';
    expectOk(a);
    return parseAnswer(kind, a, options, again);
  }
  return fed.finish(a, options, again);
}

/** The body of a 200 JSON answer as it downloads, on its way to the worker (or held, while small). */
class Feeding {
  private held: Buffer[] | null = [];
  private total = 0;
  private parsing: Promise<MesosState> | null = null;
  private readonly feed = new StateFeed();

  constructor(
    private readonly kind: 'v1' | 'v0',
    private readonly url: string,
    private readonly worker: StateWorker,
    /** Bodies up to this many bytes are parsed here; -1: every body goes to the worker. */
    private readonly inlineUpTo: number,
  ) {}

  push(chunk: Buffer): void {
    this.total += chunk.length;
    if (this.held !== null) {
      this.held.push(chunk);
      if (this.total > this.inlineUpTo) this.start();
      return;
    }
    this.feed.push(chunk);
  }

  /** Hands what was held to the worker; the rest follows as it comes. */
  private start(): void {
    const held = this.held ?? [];
    this.held = null;
    this.parsing = this.worker.parse(this.kind, this.feed, this.url, Date.now());
    this.parsing.catch(() => {}); // awaited in finish(); it may fail (a crash) while the bytes still arrive
    for (const c of held) this.feed.push(c);
  }

  abandon(): void {
    this.held = null;
    this.feed.abort();
  }

  async finish(a: HttpAnswer, options: StateOptions, again: () => Promise<HttpAnswer>): Promise<MesosState> {
    try {
      expectOk(a);
    } catch (e) {
      this.abandon();
      throw e;
    }
    if (this.held !== null && this.inlineUpTo >= 0) {
      // Small: parsed here, as the whole body would have been.
      const body = Buffer.concat(this.held, this.total);
      this.held = null;
      return this.kind === 'v1' ? parseGetState(body, a.url) : parseMasterState(body, a.url);
    }
    if (this.parsing === null) this.start(); // `parse: 'worker'` and an empty body
    this.feed.end();
    try {
      return await this.parsing!;
    } catch (e) {
      if (!(e instanceof StateWorkerCrashed)) throw e;
      (options.log ?? defaultLog)(`${e.message} Reading the state of ${a.url} again and parsing it on the main thread.`, e);
      const b = await again();
      expectOk(b);
      return this.kind === 'v1' ? parseGetState(b.body, b.url) : parseMasterState(b.body, b.url);
    }
  }
}

const isJsonType = (type: string | undefined) => type === undefined || type === '' || /json/i.test(type);

const getAgentsBody = JSON.stringify({ type: 'GET_AGENTS' });

/** Tasks per `/master/tasks` page of a degraded state: ~2 KB each, so a few MB per request. */
export const tasksPageSize = 2000;
/** A bound on the pages, so a master that never ends its list cannot keep the read going. */
const maxTaskPages = 1000;

async function degradedState(
  leaderUrl: string,
  transport: Transport,
  options: StateOptions,
  failed: 'GET_STATE' | '/master/state',
  why: ConsoleError,
): Promise<MesosState> {
  const small = { timeoutMs: 60_000, ...(options.signal ? { signal: options.signal } : {}) };
  const [agents, tasks] = await Promise.allSettled([fetchAgents(leaderUrl, transport, small), fetchAllTasks(leaderUrl, transport, small)]);
  const cause = why.message.replace(/\.$/, '');
  if (agents.status === 'rejected' || agents.value === null || tasks.status === 'rejected') {
    // Nothing to degrade to: the first error stands, with what else was tried.
    const also: string[] = [];
    if (agents.status === 'rejected') also.push(`the agents alone failed too (${messageOf(agents.reason)})`);
    else if (agents.value === null) also.push('the master serves neither GET_AGENTS nor /master/slaves');
    if (tasks.status === 'rejected') also.push(`/master/tasks failed too (${messageOf(tasks.reason)})`);
    throw new ConsoleError(why.code, why.message, why.hint, [...(why.details ?? []), ...also]);
  }
  const a = agents.value;
  const from = a.source === 'v1' ? 'GET_AGENTS' : '/master/slaves';
  return {
    ...a,
    tasks: tasks.value,
    degraded:
      `The full state (${failed}) could not be read: ${cause}. Agents are from ${from} and ` +
      `${tasks.value.length} tasks from /master/tasks; frameworks and executors are missing until the full state reads again.`,
  };
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message.replace(/\.$/, '') : String(e));

/**
 * Every task the master lists (`/master/tasks`, active, unreachable and completed), page by page
 * (`limit`/`offset`, oldest status first: a task that changes while the pages are read moves to
 * the end, where a later page finds it again; the newest copy of an id wins).
 */
export async function fetchAllTasks(
  leaderUrl: string,
  transport: Transport,
  options: Pick<StateOptions, 'timeoutMs' | 'signal'> = {},
  pageSize = tasksPageSize,
): Promise<MesosTask[]> {
  const base = leaderUrl.replace(/\/+$/, '');
  const byId = new Map<string, MesosTask>();
  for (let page = 0; page < maxTaskPages; page++) {
    const a = await sendFollowing(transport, {
      url: `${base}/master/tasks?limit=${pageSize}&offset=${page * pageSize}&order=asc`,
      headers: { Accept: 'application/json' },
      timeoutMs: options.timeoutMs ?? 30_000,
      maxBytes: 256 * 1024 * 1024,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    expectOk(a);
    const tasks = parse(a.body, a.url, 'a /master/tasks answer', tasksOfMasterTasks);
    for (const t of tasks) {
      const key = `${t.frameworkId}/${t.id}`;
      byId.delete(key); // re-inserted: the map keeps the order of the newest copies
      byId.set(key, t);
    }
    if (tasks.length < pageSize) break;
  }
  return [...byId.values()];
}

/**
 * The agents only (v1 `GET_AGENTS`, or `/master/slaves` from a master without the v1 API): what
 * the Agents screen needs, a few MB where the full state of the same cluster is hundreds. Null
 * when the master serves neither (the full state it is, then).
 */
export async function fetchAgents(
  leaderUrl: string,
  transport: Transport,
  options: Pick<StateOptions, 'timeoutMs' | 'signal'> = {},
): Promise<MesosState | null> {
  const base = leaderUrl.replace(/\/+$/, '');
  const a = await sendFollowing(transport, {
    url: `${base}/api/v1`,
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: getAgentsBody,
    timeoutMs: options.timeoutMs ?? 30_000,
    maxBytes: 256 * 1024 * 1024,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (a.status === 404 || a.status === 405) return fetchSlaves(base, transport, options);
  expectOk(a);
  return parse(a.body, a.url, 'a v1 GET_AGENTS answer', (root) => stateOfGetAgents(root, a.url, Date.now()));
}

/** `GET /master/slaves`: the agents of a master without the v1 API; null when it has no such endpoint either. */
async function fetchSlaves(
  base: string,
  transport: Transport,
  options: Pick<StateOptions, 'timeoutMs' | 'signal'>,
): Promise<MesosState | null> {
  const a = await sendFollowing(transport, {
    url: `${base}/master/slaves`,
    headers: { Accept: 'application/json' },
    timeoutMs: options.timeoutMs ?? 30_000,
    maxBytes: 256 * 1024 * 1024,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (a.status === 404) return null;
  expectOk(a);
  return parse(a.body, a.url, 'a /master/slaves answer', (root) => stateOfMasterSlaves(root, a.url, Date.now()));
}

/**
 * One task, by id (`GET /master/tasks?task_id=`, reference/mesos.md §1): where it runs, asked
 * while a big cluster's full state is still on its way. An active attempt wins over a completed
 * one of the same id; null when the master does not list it (pruned, or never there).
 */
export async function fetchTask(
  leaderUrl: string,
  transport: Transport,
  taskId: string,
  options: Pick<StateOptions, 'timeoutMs' | 'signal'> = {},
): Promise<MesosTask | null> {
  const base = leaderUrl.replace(/\/+$/, '');
  const a = await sendFollowing(transport, {
    url: `${base}/master/tasks?task_id=${encodeURIComponent(taskId)}`,
    headers: { Accept: 'application/json' },
    timeoutMs: options.timeoutMs ?? 10_000,
    maxBytes: 16 * 1024 * 1024,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  expectOk(a);
  const tasks = parse(a.body, a.url, 'a /master/tasks answer', tasksOfMasterTasks);
  // A master older than the task_id filter lists its latest 100 tasks: the id is checked here.
  const same = tasks.filter((t) => t.id === taskId);
  return same.find((t) => t.list === 'active') ?? same[0] ?? null;
}

let toldUnavailable = false;
const defaultLog = (msg: string, err?: unknown) => console.warn(msg, err ?? '');

/**
 * Parses an answer in the worker or here. The worker gets the body's bytes transferred, so when
 * its thread dies mid-parse the bytes are gone: the state is downloaded again and parsed here
 * (the next read starts a fresh thread).
 */
async function parseAnswer(kind: 'v1' | 'v0', a: HttpAnswer, options: StateOptions, again: () => Promise<HttpAnswer>): Promise<MesosState> {
  const inline = (b: HttpAnswer) => (kind === 'v1' ? parseGetState(b.body, b.url) : parseMasterState(b.body, b.url));
  const mode = options.parse ?? (a.body.length > workerParseMinBytes ? 'worker' : 'inline');
  if (mode === 'inline') return inline(a);
  const worker = options.worker ?? sharedStateWorker();
  const log = options.log ?? defaultLog;
  if (!worker.available) {
    if (!toldUnavailable)
      log(
        'No state parsing thread can be started here (no state-thread module beside this one): the Mesos state is parsed on the main thread.',
      );
    toldUnavailable = true;
    return inline(a);
  }
  try {
    return await worker.parse(kind, a.body, a.url, Date.now());
  } catch (e) {
    if (!(e instanceof StateWorkerCrashed)) throw e;
    log(`${e.message} Reading the state of ${a.url} again and parsing it on the main thread.`, e);
    const b = await again();
    expectOk(b);
    return inline(b);
  }
}

/** Parses a `GET_STATE` answer (its exact bytes) into the console's shapes. */
export function parseGetState(body: Buffer, url: string, fetchedAt = Date.now()): MesosState {
  return parse(body, url, 'a v1 GET_STATE answer', (root) => stateOfGetState(root, url, fetchedAt));
}

/** Parses a `/master/state` answer into the console's shapes. */
export function parseMasterState(body: Buffer, url: string, fetchedAt = Date.now()): MesosState {
  return parse(body, url, 'a /master/state answer', (root) => stateOfMasterState(root, url, fetchedAt));
}

function parse<T>(body: Buffer, url: string, what: string, map: (root: unknown) => T): T {
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

const tail = (body: Buffer) =>
  body
    .subarray(Math.max(0, body.length - 40))
    .toString('utf8')
    .replace(/\s+/g, ' ');

function expectOk(a: HttpAnswer): void {
  if (a.status === 200) {
    const type = String(a.headers['content-type'] ?? '');
    if (!isJsonType(type)) throw badResponse(a.url, `it is ${type}, not JSON (${answered(a)})`);
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
