import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';

/**
 * HTTP for the Mesos clients, on node:http rather than fetch: redirects are never followed
 * (a 307's scheme-less `Location` is read by the caller), bodies arrive as raw bytes (the files
 * API puts file bytes in JSON strings unvalidated), a read can stop after the first bytes, and
 * DNS can be replaced (tests; split-horizon setups). Every request is bounded in time.
 */

export type TransportFailure =
  | 'refused'
  | 'unreachable'
  | 'dns'
  | 'timeout'
  | 'reset'
  | 'truncated'
  | 'too-large'
  | 'aborted'
  | 'failed';

/** A request that got no complete HTTP answer. The callers turn it into a ConsoleError naming what they asked. */
export class TransportError extends Error {
  readonly kind: TransportFailure;
  readonly url: string;

  constructor(kind: TransportFailure, url: string, message: string) {
    super(message);
    this.name = 'TransportError';
    this.kind = kind;
    this.url = url;
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
}

export interface TransportOptions {
  /** Per request, from connecting to the last byte. Default 5 s. */
  timeoutMs?: number;
  /** Replaces DNS resolution (node:net's `lookup` signature). */
  lookup?: LookupFunction;
  /** Sent with every request, e.g. `Basic <base64>` when the masters require HTTP authentication. */
  authorization?: string;
}

export interface Transport {
  readonly timeoutMs: number;
  send(request: HttpRequest): Promise<HttpAnswer>;
  /** Closes the kept-alive connections. */
  close(): void;
}

export function createTransport(options: TransportOptions = {}): Transport {
  const timeoutMs = options.timeoutMs ?? 5000;
  // Kept alive: a log read is many 64 KiB requests to the same agent.
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 8 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 8 }),
  };
  return {
    timeoutMs,
    send(r) {
      const headers: Record<string, string> = { ...r.headers };
      if (options.authorization !== undefined) headers.Authorization = options.authorization;
      return send({ ...r, headers, timeoutMs: r.timeoutMs ?? timeoutMs }, agents, options.lookup);
    },
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}

function send(
  r: HttpRequest & { timeoutMs: number; headers: Record<string, string> },
  agents: Record<'http:' | 'https:', http.Agent>,
  lookup: LookupFunction | undefined,
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

    req.on('error', (e: NodeJS.ErrnoException) => {
      const [kind, message] = classify(e);
      fail(kind, message);
    });

    req.on('response', (res) => {
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
      body.on('data', (chunk: Buffer) => {
        if (settled) return;
        chunks.push(chunk);
        total += chunk.length;
        if (r.maxBytes !== undefined && total > r.maxBytes) {
          fail('too-large', `the answer is bigger than ${r.maxBytes} bytes`);
          return;
        }
        if (r.stopAfter?.(chunk)) {
          settled = true;
          req.destroy();
          resolve({ url: r.url, status, headers: res.headers, body: Buffer.concat(chunks, total), complete: false });
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
        resolve({ url: r.url, status, headers: res.headers, body: Buffer.concat(chunks, total), complete: true });
      });
      body.on('error', (e: Error) => fail('truncated', `the ${encoding} answer could not be decoded (${e.message}): ${cutOff(res, total)}`));
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

const seconds = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`);

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
