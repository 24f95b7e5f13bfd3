import http from 'node:http';
import https from 'node:https';

/**
 * HTTP for the Aurora client: POST only, on node:http so redirects are never followed behind our
 * back (the caller re-POSTs the body to the leader itself), every request bounded by a timeout
 * from connecting to the last byte, and bodies capped so a runaway answer cannot fill memory.
 */

export type TransportFailure = 'refused' | 'unreachable' | 'dns' | 'timeout' | 'reset' | 'truncated' | 'too-large' | 'failed';

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

class StaleSocket extends TransportError {}

export interface HttpAnswer {
  url: string;
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface Transport {
  post(url: string, body: string, headers: Record<string, string>): Promise<HttpAnswer>;
  close(): void;
}

/** A task list of a big cluster with configs is tens of MB (AURORA-458); past this, something is wrong. */
const MAX_BODY = 256 * 1024 * 1024;

export function createTransport(timeoutMs: number): Transport {
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 8 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 8 }),
  };
  return {
    async post(url, body, headers) {
      try {
        return await post(url, body, headers, timeoutMs, agents);
      } catch (e) {
        // A kept-alive socket the scheduler closed just as we reused it: the request never got
        // there (Node's documented reusedSocket case), so it is sent again once on a fresh one.
        if (e instanceof StaleSocket) return post(url, body, headers, timeoutMs, agents);
        throw e;
      }
    },
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}

function post(
  target: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
  agents: Record<'http:' | 'https:', http.Agent>,
): Promise<HttpAnswer> {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return Promise.reject(new TransportError('failed', target, `"${target}" is not a URL`));
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return Promise.reject(new TransportError('failed', target, `"${target}" is not an http(s) URL`));
  }
  const mod = url.protocol === 'https:' ? https : http;

  return new Promise<HttpAnswer>((resolve, reject) => {
    let settled = false;
    const req = mod.request(url, {
      method: 'POST',
      headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
      agent: agents[url.protocol as 'http:' | 'https:'],
    });
    // One timer for the whole exchange: a scheduler that accepts and never answers, or
    // answers a few bytes a minute, fails in timeoutMs all the same.
    const timer = setTimeout(() => fail('timeout', `no complete answer within ${seconds(timeoutMs)}`), timeoutMs);

    function fail(kind: TransportFailure, message: string): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(new TransportError(kind, target, message));
    }

    let answered = false;
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (!answered && req.reusedSocket && e.code === 'ECONNRESET' && !settled) {
        settled = true;
        clearTimeout(timer);
        reject(new StaleSocket('reset', target, 'the kept-alive connection was closed'));
        return;
      }
      fail(...classify(e));
    });
    req.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      let total = 0;
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        total += chunk.length;
        if (total > MAX_BODY) fail('too-large', `the answer is bigger than ${MAX_BODY} bytes`);
      });
      res.on('end', () => {
        if (settled) return;
        if (!res.complete) {
          fail('truncated', cutOff(res, total));
          return;
        }
        settled = true;
        clearTimeout(timer);
        resolve({ url: target, status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks, total) });
      });
      res.on('aborted', () => fail('truncated', cutOff(res, total)));
      res.on('error', () => fail('truncated', cutOff(res, total)));
      res.on('close', () => {
        if (!res.complete) fail('truncated', cutOff(res, total));
      });
    });
    req.end(body);
  });
}

function cutOff(res: http.IncomingMessage, received: number): string {
  const length = res.headers['content-length'];
  return length === undefined
    ? `the connection closed in the middle of the answer, after ${received} bytes`
    : `the connection closed after ${received} of the ${length} bytes announced`;
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
    default:
      return ['failed', e.message];
  }
}
