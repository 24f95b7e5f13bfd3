import type { ConsoleError } from '../errors.js';
import { createEndpoint, type Endpoint } from './endpoint.js';
import {
  answered,
  authFailed,
  badResponse,
  detailText,
  excerpt,
  noLeader,
  proxyUnreachable,
  refused,
  transient,
  unreachable,
} from './failures.js';
import { structFromGson, toGson } from './gson.js';
import { ShapeError } from './schema.js';
import { Response, type MethodDef } from './structs.js';
import { ThriftException, decodeReply, encodeCall } from './tjson.js';
import { TransportError, createTransport, type HttpAnswer, type Transport } from './transport.js';
import type { WireResponse } from './wire.js';

/**
 * One scheduler call over either protocol, with the Response envelope checked: the answer of a
 * call is its `responseCode` first (errors arrive as HTTP 200, reference/aurora.md §4.1), and
 * only OK or WARNING gets to the caller's reader.
 */

export type Protocol = 'apibeta' | 'thrift' | 'auto';

export interface RpcOptions {
  url: string;
  protocol: Protocol;
  credentials: { user: string; password: string } | null;
  timeoutMs: number;
  /** Pause before the one retry of a read answered ERROR_TRANSIENT. */
  transientPauseMs: number;
}

export interface Rpc {
  /** Calls `method` and hands the Response to `read`; a ShapeError thrown by `read` is a bad answer too. */
  call<T>(method: MethodDef, args: Record<string, unknown>, read: (r: WireResponse) => T): Promise<{ value: T; url: string }>;
  /** The protocol in use now (auto becomes thrift after a 404 from /apibeta). */
  protocol(): 'apibeta' | 'thrift';
  close(): void;
}

const THRIFT_JSON = 'application/vnd.apache.thrift.json';

type Outcome<T> = { kind: 'done'; value: T; url: string } | { kind: 'transient'; error: ConsoleError } | { kind: 'fallback' };

export function createRpc(options: RpcOptions): Rpc {
  const transport: Transport = createTransport(options.timeoutMs);
  const endpoint: Endpoint = createEndpoint(options.url, transport);
  let current: 'apibeta' | 'thrift' = options.protocol === 'thrift' ? 'thrift' : 'apibeta';
  let seqid = 0;
  const authorization = options.credentials
    ? `Basic ${Buffer.from(`${options.credentials.user}:${options.credentials.password}`).toString('base64')}`
    : null;

  async function once<T>(method: MethodDef, args: Record<string, unknown>, read: (r: WireResponse) => T): Promise<Outcome<T>> {
    const protocol = current;
    const seq = seqid++;
    const request = protocol === 'apibeta' ? apibeta(method, args) : thrift(method, args, seq);
    if (authorization !== null) request.headers.Authorization = authorization;

    let answer: HttpAnswer;
    let base: string;
    try {
      ({ answer, base } = await endpoint.post(request.path, request.body, request.headers, {
        method: method.name,
        idempotent: !method.write,
      }));
    } catch (e) {
      if (e instanceof TransportError) throw unreachable(e.url, method.name, e);
      throw e;
    }
    const where = answer.url;
    const status = answer.status;
    if (status === 401 || status === 403) {
      const challenge = answer.headers['www-authenticate'];
      throw authFailed(where, method.name, `${answered(answer)}${challenge ? ` (${challenge})` : ''}`, authorization !== null);
    }
    if (status === 503) throw noLeader(where, method.name, answer);
    if (status === 404 && protocol === 'apibeta' && options.protocol === 'auto') {
      // A scheduler without /apibeta (or a proxy passing only /api): TJSON from now on.
      current = 'thrift';
      return { kind: 'fallback' };
    }
    if (status === 404) throw badResponse(where, method.name, `${answered(answer)}: nothing answers ${request.path} there`);
    if (status === 502 || status === 504) throw proxyUnreachable(where, method.name, answer);

    let response: WireResponse;
    try {
      response = decode(protocol, answer.body.toString('utf8'), method, seq);
    } catch (e) {
      if (e instanceof ThriftException) throw refused(where, method.name, `TApplicationException ${e.type}`, e.message);
      if (!(e instanceof ShapeError)) throw e;
      const what = status === 200 ? e.message : `an unexpected ${answered(answer)}`;
      throw badResponse(
        where,
        method.name,
        e.path === 'reply' || e.path === 'Response' ? `${what}; it began "${excerpt(answer.body, 80)}"` : what,
      );
    }

    const code = response.responseCode;
    const details = detailText(response.details);
    if (code === undefined) throw badResponse(where, method.name, 'the Response has no responseCode');
    if (code === 'AUTH_FAILED')
      throw authFailed(where, method.name, `responseCode AUTH_FAILED${details ? ` (${details})` : ''}`, authorization !== null);
    if (code === 'ERROR_TRANSIENT') return { kind: 'transient', error: transient(where, method.name, details) };
    if (code !== 'OK' && code !== 'WARNING') throw refused(where, method.name, code, details);
    if (status !== 200) throw badResponse(where, method.name, `responseCode ${code} with ${answered(answer)}`);
    if (method.result !== null && response.result?.[method.result] === undefined) {
      throw badResponse(where, method.name, `responseCode ${code} but no result.${method.result}`);
    }
    try {
      return { kind: 'done', value: read(response), url: base };
    } catch (e) {
      if (e instanceof ShapeError) throw badResponse(where, method.name, e.message);
      throw e;
    }
  }

  return {
    protocol: () => current,
    async call(method, args, read) {
      let retried = false;
      for (;;) {
        const outcome = await once(method, args, read);
        if (outcome.kind === 'done') return { value: outcome.value, url: outcome.url };
        if (outcome.kind === 'fallback') continue;
        // The CLI retries ERROR_TRANSIENT only for idempotent calls (client/api/scheduler_client.py); once is enough for a console.
        if (method.write || retried) throw outcome.error;
        retried = true;
        await new Promise((resolve) => setTimeout(resolve, options.transientPauseMs));
      }
    },
    close: () => transport.close(),
  };
}

function apibeta(method: MethodDef, args: Record<string, unknown>) {
  const body = JSON.stringify(toGson({ name: `${method.name}_args`, fields: method.args }, args, method.name));
  return {
    path: `/apibeta/${method.name}`,
    body,
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' } as Record<string, string>,
  };
}

function thrift(method: MethodDef, args: Record<string, unknown>, seq: number) {
  return {
    path: '/api',
    body: encodeCall(method.name, seq, method.args, args),
    headers: { 'Content-Type': THRIFT_JSON, Accept: THRIFT_JSON } as Record<string, string>,
  };
}

function decode(protocol: 'apibeta' | 'thrift', text: string, method: MethodDef, seq: number): WireResponse {
  if (protocol === 'thrift') return decodeReply(text, method.name, seq, Response) as WireResponse;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ShapeError('reply', `not JSON (${(e as Error).message})`);
  }
  return structFromGson(Response.struct, json, 'Response') as WireResponse;
}
