import { parentPort } from 'node:worker_threads';
import { isConsoleError, type ConsoleError } from '../model/errors.js';
import { parseGetState, parseMasterState } from './state.js';
import type { MesosState } from './types.js';

/**
 * The state parsing thread (state-worker.ts starts it): parses the bytes of a GET_STATE or
 * /master/state answer with the same functions as the main thread, then sends the MesosState
 * back as JSON text in slices of ~256 KiB, one message each (why: state-worker.ts), and last the
 * scalar fields. One request at a time; the bytes arrive transferred.
 */

export interface StateRequest {
  id: number;
  kind: 'v1' | 'v0';
  url: string;
  fetchedAt: number;
  body: Uint8Array;
}

type Field = 'agents' | 'frameworks' | 'tasks' | 'executors';

export type StateReply =
  | { id: number; field: Field; json: string }
  | { id: number; done: Omit<MesosState, Field> }
  | { id: number; error: { code: ConsoleError['code'] | null; message: string; hint?: string; details?: string[] } };

/**
 * Characters of JSON text per slice: ~2 ms of JSON.parse on the main thread here (1 MiB took
 * 9 ms at the median and up to 57 ms, 4 MiB 46 / 157 ms). Smaller slices do not help further:
 * what is left of the longest main-thread step is V8's young-generation collection (30–70 ms
 * here whatever the slice size), the price of building the 100k-task object graph at all.
 */
export const sliceChars = 256 * 1024;

/** Posts `items` as JSON arrays of about `sliceChars` each, sizing each slice on the one before. */
export function postSlices(items: readonly unknown[], post: (json: string) => void): void {
  let n = 64;
  for (let i = 0; i < items.length; ) {
    const json = JSON.stringify(items.slice(i, i + n));
    post(json);
    i += n;
    n = Math.max(1, Math.min(100_000, Math.round((n * sliceChars) / Math.max(1, json.length))));
  }
}

const port = parentPort;
if (port) {
  port.on('message', (req: StateRequest) => {
    let state: MesosState;
    try {
      const body = Buffer.from(req.body.buffer, req.body.byteOffset, req.body.byteLength);
      state = req.kind === 'v1' ? parseGetState(body, req.url, req.fetchedAt) : parseMasterState(body, req.url, req.fetchedAt);
    } catch (e) {
      const error: Extract<StateReply, { error: unknown }>['error'] = isConsoleError(e)
        ? { code: e.code, message: e.message, ...(e.hint === undefined ? {} : { hint: e.hint }), ...(e.details === undefined ? {} : { details: e.details }) }
        : { code: null, message: e instanceof Error ? e.message : String(e) };
      port.postMessage({ id: req.id, error } satisfies StateReply);
      return;
    }
    const { agents, frameworks, tasks, executors, ...rest } = state;
    const lists: [Field, unknown[]][] = [
      ['agents', agents],
      ['frameworks', frameworks],
      ['tasks', tasks],
      ['executors', executors],
    ];
    for (const [field, items] of lists) postSlices(items, (json) => port.postMessage({ id: req.id, field, json } satisfies StateReply));
    port.postMessage({ id: req.id, done: rest } satisfies StateReply);
  });
}
