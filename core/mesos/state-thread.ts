import { parentPort } from 'node:worker_threads';
import { isConsoleError, type ConsoleError } from '../errors.js';
import { parseGetState, parseMasterState } from './state.js';
import { splitSubscribed } from './subscribed.js';
import { badResponse } from './failures.js';
import type { MesosState } from './types.js';

/**
 * The state parsing thread (state-worker.ts starts it): parses the bytes of a GET_STATE or
 * /master/state answer, or of a SUBSCRIBED record (the first of a SUBSCRIBE stream: the whole
 * state, cut out of it here), with the same functions as the main thread, then sends the MesosState
 * back as JSON text in slices of ~256 KiB, one message each (why: state-worker.ts), and last the
 * scalar fields. One request at a time; the bytes arrive transferred, whole or (fetchState) in
 * chunks as they download, joined here when the last one is in.
 */

export interface StateRequest {
  id: number;
  kind: StateKind;
  url: string;
  fetchedAt: number;
  /** The whole body; null when it follows as `chunk` messages as it downloads (then `end`). */
  body: Uint8Array | null;
}

/** The rest of a streamed body: its bytes in order, then `end` (parse them) or `abort` (forget them). */
export type StateBodyPart = { id: number; chunk: Uint8Array } | { id: number; end: { fetchedAt: number } } | { id: number; abort: true };

type Field = 'agents' | 'frameworks' | 'tasks' | 'executors';

/** What the bytes are: a v1 GET_STATE answer, a /master/state answer, a v1 SUBSCRIBED record. */
export type StateKind = 'v1' | 'v0' | 'subscribed';

/** The scalar fields of the state, and a SUBSCRIBED record's heartbeat interval. */
export type StateDone = Omit<MesosState, Field> & { heartbeatSeconds?: number | null };

export type StateReply =
  | { id: number; field: Field; json: string }
  | { id: number; done: StateDone }
  | { id: number; error: { code: ConsoleError['code'] | null; message: string; hint?: string; details?: string[] } };

/**
 * Characters of JSON text per slice: ~2 ms of JSON.parse on the main thread here (1 MiB took
 * 9 ms at the median and up to 57 ms, 4 MiB 46 / 157 ms). Smaller slices do not help further:
 * what is left of the longest main-thread step is V8's young-generation collection (20–40 ms
 * here whatever the slice size, 64 KiB to 2 MiB measured again with the streamed download),
 * the price of building the 100k-task object graph at all.
 */
export const sliceChars = 256 * 1024;

/** Posts `items` as JSON arrays of about `sliceChars` each, sizing each slice on the one before. */
export function postSlices(items: readonly unknown[], post: (json: string) => void): void {
  let n = 64;
  for (let i = 0; i < items.length;) {
    const json = JSON.stringify(items.slice(i, i + n));
    post(json);
    i += n;
    n = Math.max(1, Math.min(100_000, Math.round((n * sliceChars) / Math.max(1, json.length))));
  }
}

/** Streamed bodies still arriving, by request id: the request and its chunks so far. */
const arriving = new Map<number, { req: StateRequest; chunks: Buffer[]; total: number }>();

const port = parentPort;
if (port) {
  port.on('message', (msg: StateRequest | StateBodyPart) => {
    if ('kind' in msg) {
      if (msg.body !== null) answer(msg, Buffer.from(msg.body.buffer, msg.body.byteOffset, msg.body.byteLength));
      else arriving.set(msg.id, { req: msg, chunks: [], total: 0 });
      return;
    }
    const a = arriving.get(msg.id);
    if (!a) return;
    if ('chunk' in msg) {
      a.chunks.push(Buffer.from(msg.chunk.buffer, msg.chunk.byteOffset, msg.chunk.byteLength));
      a.total += msg.chunk.byteLength;
      return;
    }
    arriving.delete(msg.id);
    if ('end' in msg) {
      const body = a.chunks.length === 1 ? a.chunks[0]! : Buffer.concat(a.chunks, a.total);
      a.chunks.length = 0;
      answer({ ...a.req, fetchedAt: msg.end.fetchedAt }, body);
    }
  });
}

function answer(req: StateRequest, body: Buffer): void {
  const out = port!;
  let state: MesosState;
  let heartbeat: { heartbeatSeconds: number | null } | null = null;
  try {
    if (req.kind === 'subscribed') {
      const split = splitSubscribed(body);
      if (!split) throw badResponse(req.url, 'its first event is not a SUBSCRIBED with the state in it');
      heartbeat = { heartbeatSeconds: split.heartbeatSeconds };
      state = parseGetState(split.getState, req.url, req.fetchedAt);
    } else {
      state = req.kind === 'v1' ? parseGetState(body, req.url, req.fetchedAt) : parseMasterState(body, req.url, req.fetchedAt);
    }
  } catch (e) {
    const error: Extract<StateReply, { error: unknown }>['error'] = isConsoleError(e)
      ? {
          code: e.code,
          message: e.message,
          ...(e.hint === undefined ? {} : { hint: e.hint }),
          ...(e.details === undefined ? {} : { details: e.details }),
        }
      : { code: null, message: e instanceof Error ? e.message : String(e) };
    out.postMessage({ id: req.id, error } satisfies StateReply);
    return;
  }
  const { agents, frameworks, tasks, executors, ...rest } = state;
  const lists: [Field, unknown[]][] = [
    ['agents', agents],
    ['frameworks', frameworks],
    ['tasks', tasks],
    ['executors', executors],
  ];
  for (const [field, items] of lists) postSlices(items, (json) => out.postMessage({ id: req.id, field, json } satisfies StateReply));
  out.postMessage({ id: req.id, done: { ...rest, ...heartbeat } } satisfies StateReply);
}
