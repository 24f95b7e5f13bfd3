import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';

/**
 * The one HTTP client of the console's adapters (Mesos masters and agents, the Aurora
 * scheduler), on node:http rather than fetch: redirects are never followed (a 307's scheme-less
 * `Location` is read by the caller; Aurora re-POSTs to its leader itself), bodies arrive as raw
 * bytes (the files API puts file bytes in JSON strings unvalidated), a read can stop after the
 * first bytes, and DNS can be replaced (tests; split-horizon setups). Every request is bounded in
 * time and size.
 *
 * One error model: a request either gets a complete HTTP answer (any status: what a 503 or a
 * 401 means is the adapter's to say) or fails with a TransportError of one kind below. Each
 * adapter maps both to its own ConsoleError codes (core/mesos/failures.ts, core/aurora/failures.ts).
 *
 * A target (host:port) that let a request time out gets a longer timeout on the next request
 * (×3, then ×6 the request's own), so "Try again" on an agent that answers in 15 s succeeds on
 * the second try instead of failing the same way forever; an answer within the request's own
 * timeout brings it back down.
 */

export type TransportFailure = 'refused' | 'unreachable' | 'dns' | 'timeout' | 'reset' | 'truncated' | 'too-large' | 'aborted' | 'failed';

/** A request that got no complete HTTP answer. The callers turn it into a ConsoleError naming what they asked. */
export class TransportError extends Error {
  readonly kind: TransportFailure;
  readonly url: string;
  /**
   * For a timeout: how long the next request to the same host:port will wait (longer than this
   * one when the timeouts grow), so the error can say that trying again is worth it.
   */
  readonly nextTimeoutMs: number | null;

  constructor(kind: TransportFailure, url: string, message: string, nextTimeoutMs: number | null = null) {
    super(message);
    this.name = 'TransportError';
    this.kind = kind;
    this.url = url;
    this.nextTimeoutMs = nextTimeoutMs;
  }
}

export interface HttpAnswer {
  url: string;
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Decoded (gunzipped) body bytes. */
  body: Buffer;
  /** False when `stopAfter` ended the read early: `body` is only the start. */
  complete: boolean;
}

export interface HttpRequest {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Overrides the transport's timeout for this request (e.g. a big state download). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Refuse bodies bigger than this (decoded bytes). */
  maxBytes?: number;
  /** Called with each decoded chunk; returning true stops the download there. */
  stopAfter?: (chunk: Buffer) => boolean;
  /**
   * Asked once the head of an answer is in: a function returned gets each decoded chunk as it
   * arrives instead of the answer keeping it (its `body` is then empty), e.g. to hand a big
   * state to a worker thread without ever holding it whole; nothing returned, the body is kept
   * as usual. Timeout, `maxBytes`, truncation and decoding are checked the same either way
   * (a chunk is passed on after the `maxBytes` check). What the sink throws fails the request.
   */
  sink?: (head: BodyHead) => ((chunk: Buffer) => void) | undefined;
}

/** What a `sink` decides on: the answer's head. */
export interface BodyHead {
  url: string;
  status: number;
  headers: http.IncomingHttpHeaders;
}

export interface TransportOptions {
  /** Per request, from connecting to the last byte. Default 5 s. */
  timeoutMs?: number;
  /** Replaces DNS resolution (node:net's `lookup` signature). */
  lookup?: LookupFunction;
  /** Sent with every request, e.g. `Basic <base64>` when the masters require HTTP authentication. */
  authorization?: string;
  /**
   * What a request's timeout is multiplied by after its host:port timed out once, twice, ...
   * Default [1, 3, 6] (10 s → 30 s → 60 s); [1] keeps timeouts fixed.
   */
  timeoutGrowth?: readonly number[];
}

export interface Transport {
  readonly timeoutMs: number;
  send(request: HttpRequest): Promise<HttpAnswer>;
  /** How long the next request to this URL's host:port waits, given its own timeout (the transport's by default). */
  timeoutFor(url: string, requestedMs?: number): number;
  /** A long-lived answer read as it arrives (SUBSCRIBE); see openStream. */
  stream(request: StreamRequest, onChunk: (chunk: Buffer) => void): HttpStream;
  /** Closes the kept-alive connections and every open stream. */
  close(): void;
}

export function createTransport(options: TransportOptions = {}): Transport {
  const timeoutMs = options.timeoutMs ?? 5000;
  // Kept alive: a log read is many 64 KiB requests to the same agent.
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 8 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 8 }),
  };
  const streams = new Set<HttpStream>();
  const growth = options.timeoutGrowth && options.timeoutGrowth.length > 0 ? options.timeoutGrowth : [1, 3, 6];
  /** Per host:port, how many steps up its timeout is (absent: none). */
  const slow = new Map<string, number>();
  const step = (target: string) => slow.get(target) ?? 0;
  const timeoutFor = (url: string, requestedMs = timeoutMs) =>
    Math.round(requestedMs * growth[Math.min(step(targetOf(url)), growth.length - 1)]!);
  return {
    timeoutMs,
    timeoutFor,
    async send(r) {
      const headers: Record<string, string> = { ...r.headers };
      if (options.authorization !== undefined) headers.Authorization = options.authorization;
      const requested = r.timeoutMs ?? timeoutMs;
      const target = targetOf(r.url);
      const waits = timeoutFor(r.url, requested);
      const started = performance.now();
      try {
        const a = await send({ ...r, headers, timeoutMs: waits }, agents, options.lookup);
        // Answered within the request's own timeout: this target is not slow (any more).
        if (performance.now() - started <= requested) slow.delete(target);
        return a;
      } catch (e) {
        if (!(e instanceof TransportError) || e.kind !== 'timeout') throw e;
        const next = Math.min(step(target) + 1, growth.length - 1);
        if (next > 0) slow.set(target, next);
        throw new TransportError('timeout', e.url, e.message, timeoutFor(r.url, requested));
      }
    },
    stream(r, onChunk) {
      const headers: Record<string, string> = { ...r.headers };
      if (options.authorization !== undefined) headers.Authorization = options.authorization;
      const s = openStream({ ...r, headers, timeoutMs: r.timeoutMs ?? timeoutMs }, onChunk, options.lookup);
      streams.add(s);
      const forget = () => streams.delete(s);
      s.done.then(forget, forget);
      return s;
    },
    close() {
      for (const s of streams) s.close();
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}

/**
 * One request, tried again once on a fresh connection when a kept-alive one turns out to have
 * been closed by the server as it was reused: a server closes idle connections after its own
 * keep-alive timeout (Node's 5 s, libprocess' own), and a request sent at that moment meets a
 * reset before any answer. Nothing of it was read, so sending it again is safe; the reset of a
 * new connection is a real failure and is reported.
 */
async function send(
  r: HttpRequest & { timeoutMs: number; headers: Record<string, string> },
  agents: Record<'http:' | 'https:', http.Agent>,
  lookup: LookupFunction | undefined,
): Promise<HttpAnswer> {
  try {
    return await sendOnce(r, agents, lookup);
  } catch (e) {
    if (!(e instanceof StaleConnection)) throw e;
    return sendOnce(r, agents, lookup, false);
  }
}

/** A reset on a reused keep-alive connection before the answer's head: see `send`. */
class StaleConnection extends Error {}

function sendOnce(
  r: HttpRequest & { timeoutMs: number; headers: Record<string, string> },
  agents: Record<'http:' | 'https:', http.Agent>,
  lookup: LookupFunction | undefined,
  mayRetry = true,
): Promise<HttpAnswer> {
  let url: URL;
  try {
    url = new URL(r.url);
  } catch {
    return Promise.reject(new TransportError('failed', r.url, `"${r.url}" is not a URL`));
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return Promise.reject(new TransportError('failed', r.url, `"${r.url}" is not an http(s) URL`));
  }
  const timeout = AbortSignal.timeout(r.timeoutMs);
  const signal = r.signal ? AbortSignal.any([timeout, r.signal]) : timeout;
  const mod = url.protocol === 'https:' ? https : http;

  return new Promise<HttpAnswer>((resolve, reject) => {
    let settled = false;
    const headers: Record<string, string> = { 'Accept-Encoding': 'gzip', ...r.headers };
    if (r.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(r.body));
    const req = mod.request(url, {
      method: r.method ?? 'GET',
      headers,
      agent: agents[url.protocol as 'http:' | 'https:'],
      signal,
      ...(lookup ? { lookup } : {}),
    });

    const fail = (kind: TransportFailure, message: string) => {
      if (settled) return;
      settled = true;
      req.destroy();
      // Whatever broke last, a fired timer is the reason.
      if (timeout.aborted) reject(new TransportError('timeout', r.url, `no complete answer within ${seconds(r.timeoutMs)}`));
      else if (r.signal?.aborted) reject(new TransportError('aborted', r.url, 'the request was cancelled'));
      else reject(new TransportError(kind, r.url, message));
    };

    let answered = false;
    req.on('error', (e: NodeJS.ErrnoException) => {
      const [kind, message] = classify(e);
      if (kind === 'reset' && mayRetry && req.reusedSocket && !answered && !settled && !timeout.aborted && !r.signal?.aborted) {
        settled = true;
        req.destroy();
        reject(new StaleConnection(message));
        return;
      }
      fail(kind, message);
    });

    req.on('response', (res) => {
      answered = true;
      const status = res.statusCode ?? 0;
      const encoding = String(res.headers['content-encoding'] ?? '').toLowerCase();
      let body: Readable = res;
      if (encoding === 'gzip' || encoding === 'deflate') {
        const decoder = encoding === 'gzip' ? zlib.createGunzip() : zlib.createInflate();
        res.on('error', () => {}); // reported through `aborted`/`close` below
        body = res.pipe(decoder);
      }
      const chunks: Buffer[] = [];
      let total = 0;
      let ended = false;
      let sink: ((chunk: Buffer) => void) | undefined;
      try {
        sink = r.sink?.({ url: r.url, status, headers: res.headers });
      } catch (e) {
        fail('failed', e instanceof Error ? e.message : String(e));
        return;
      }
      body.on('data', (chunk: Buffer) => {
        if (settled) return;
        if (!sink) chunks.push(chunk);
        total += chunk.length;
        if (r.maxBytes !== undefined && total > r.maxBytes) {
          fail('too-large', `the answer is bigger than ${r.maxBytes} bytes`);
          return;
        }
        if (sink) {
          try {
            sink(chunk);
          } catch (e) {
            fail('failed', e instanceof Error ? e.message : String(e));
            return;
          }
        }
        if (r.stopAfter?.(chunk)) {
          settled = true;
          req.destroy();
          resolve({
            url: r.url,
            status,
            headers: res.headers,
            body: sink ? Buffer.alloc(0) : Buffer.concat(chunks, total),
            complete: false,
          });
        }
      });
      body.on('end', () => {
        ended = true;
        if (settled) return;
        if (!res.complete) {
          fail('truncated', cutOff(res, total));
          return;
        }
        settled = true;
        resolve({ url: r.url, status, headers: res.headers, body: sink ? Buffer.alloc(0) : Buffer.concat(chunks, total), complete: true });
      });
      body.on('error', (e: Error) =>
        fail('truncated', `the ${encoding} answer could not be decoded (${e.message}): ${cutOff(res, total)}`),
      );
      res.on('aborted', () => fail('truncated', cutOff(res, total)));
      res.on('close', () => {
        if (!ended && !res.complete) fail('truncated', cutOff(res, total));
      });
    });

    req.end(r.body);
  });
}

function cutOff(res: http.IncomingMessage, received: number): string {
  const length = res.headers['content-length'];
  return length === undefined
    ? `the connection closed in the middle of the answer, after ${received} bytes`
    : `the connection closed after ${received} of the ${length} bytes announced`;
}

/** `host:port` of a URL (the port its scheme implies when none is written), or the URL itself when it is not one. */
export function targetOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || (u.protocol === 'https:' ? '443' : '80')}`;
  } catch {
    return url;
  }
}

export const seconds = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`);

function classify(e: NodeJS.ErrnoException): [TransportFailure, string] {
  switch (e.code) {
    case 'ECONNREFUSED':
      return ['refused', 'connection refused'];
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
      return ['unreachable', `no route to the host (${e.code})`];
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NODATA':
      return ['dns', `the hostname does not resolve (${e.code})`];
    case 'ECONNRESET':
    case 'EPIPE':
      return ['reset', 'the connection was closed before an answer'];
    case 'ABORT_ERR':
      return ['aborted', 'the request was cancelled'];
    default:
      return ['failed', e.message];
  }
}

// ---- streams ------------------------------------------------------------------------------

export interface StreamRequest {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** From connecting to the answer's head (and, for an answer that is not 2xx, to its end). Default: the transport's. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface HttpStream {
  /**
   * The answer's head. A 2xx has an empty `body` (its bytes go to `onChunk`, `complete` false);
   * any other status is read whole (at most 64 KiB), so a 307's Location or a 503's text can be
   * read as from `send`. Rejects with a TransportError when no head arrives.
   */
  response: Promise<HttpAnswer>;
  /**
   * Settles when the stream is over: "ended" when the server finished the body, "closed" after
   * `close()`; rejects with a TransportError when the connection breaks or no head arrives,
   * or with what `onChunk` threw.
   */
  done: Promise<'ended' | 'closed'>;
  close(): void;
}

/** What a non-2xx answer of a stream is read up to: an error text, never a stream. */
const maxErrorBytes = 64 * 1024;

/**
 * A request whose body is read as it comes, with no time limit once the head is in (the caller
 * watches for silence: it knows the heartbeat interval). Not gzipped: Mesos never compresses a
 * stream, and a proxy that did would have to flush every record. Its own connection (no agent),
 * so a stream that lives for hours never holds a socket of the pool.
 */
function openStream(
  r: StreamRequest & { timeoutMs: number; headers: Record<string, string> },
  onChunk: (chunk: Buffer) => void,
  lookup: LookupFunction | undefined,
): HttpStream {
  let settleHead!: { resolve: (a: HttpAnswer) => void; reject: (e: Error) => void };
  let settleDone!: { resolve: (v: 'ended' | 'closed') => void; reject: (e: Error) => void };
  const response = new Promise<HttpAnswer>((resolve, reject) => (settleHead = { resolve, reject }));
  const done = new Promise<'ended' | 'closed'>((resolve, reject) => (settleDone = { resolve, reject }));
  // The caller may await only one of the two; the other must not count as unhandled.
  response.catch(() => {});
  done.catch(() => {});
  let over = false;
  let headIn = false;
  let req: http.ClientRequest | null = null;
  let timer: NodeJS.Timeout | null = null;

  const finish = (outcome: 'ended' | 'closed' | Error) => {
    if (over) return;
    over = true;
    if (timer) clearTimeout(timer);
    r.signal?.removeEventListener('abort', close);
    req?.destroy();
    if (outcome instanceof Error) {
      if (!headIn) settleHead.reject(outcome);
      settleDone.reject(outcome);
    } else {
      if (!headIn) settleHead.reject(new TransportError('aborted', r.url, 'the stream was closed before an answer'));
      settleDone.resolve(outcome);
    }
  };
  const close = () => finish('closed');
  const handle: HttpStream = { response, done, close };

  let url: URL;
  try {
    url = new URL(r.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
  } catch {
    finish(new TransportError('failed', r.url, `"${r.url}" is not an http(s) URL`));
    return handle;
  }
  if (r.signal?.aborted) {
    close();
    return handle;
  }
  r.signal?.addEventListener('abort', close, { once: true });
  timer = setTimeout(() => finish(new TransportError('timeout', r.url, `no answer within ${seconds(r.timeoutMs)}`)), r.timeoutMs);

  const headers: Record<string, string> = { ...r.headers };
  if (r.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(r.body));
  const mod = url.protocol === 'https:' ? https : http;
  req = mod.request(url, { method: r.method ?? 'GET', headers, agent: false, ...(lookup ? { lookup } : {}) });
  req.on('error', (e: NodeJS.ErrnoException) => {
    const [kind, message] = classify(e);
    finish(new TransportError(kind, r.url, message));
  });
  req.on('response', (res) => {
    const status = res.statusCode ?? 0;
    const head = { url: r.url, status, headers: res.headers };
    const cut = () =>
      finish(
        new TransportError(
          headIn ? 'reset' : 'truncated',
          r.url,
          headIn ? 'the stream was cut off (the connection closed without ending it)' : cutOff(res, 0),
        ),
      );
    res.on('aborted', cut);
    res.on('close', () => {
      if (!res.complete) cut();
    });
    if (status < 200 || status >= 300) {
      // An error text: read it whole, still under the timer.
      const chunks: Buffer[] = [];
      let total = 0;
      res.on('data', (c: Buffer) => {
        if (total < maxErrorBytes) chunks.push(c.subarray(0, maxErrorBytes - total));
        total += c.length;
      });
      res.on('end', () => {
        if (over) return;
        headIn = true;
        settleHead.resolve({ ...head, body: Buffer.concat(chunks), complete: total <= maxErrorBytes });
        finish('ended');
      });
      return;
    }
    const encoding = String(res.headers['content-encoding'] ?? 'identity').toLowerCase();
    if (encoding !== 'identity') {
      finish(new TransportError('failed', r.url, `the stream is ${encoding}-encoded, which the console does not read`));
      return;
    }
    headIn = true;
    if (timer) clearTimeout(timer);
    settleHead.resolve({ ...head, body: Buffer.alloc(0), complete: false });
    res.on('data', (c: Buffer) => {
      if (over) return;
      try {
        onChunk(c);
      } catch (e) {
        // The reader gave up on these bytes: the stream is over, with its reason.
        finish(e instanceof Error ? e : new Error(String(e)));
      }
    });
    res.on('end', () => finish('ended'));
  });
  req.end(r.body);
  return handle;
}
