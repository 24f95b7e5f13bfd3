import { Worker } from 'node:worker_threads';
import { callerUrl, workerModule, workerStarter } from '../worker-module.js';
import { ConsoleError } from '../errors.js';
import type { StateBodyPart, StateDone, StateKind, StateReply, StateRequest } from './state-thread.js';
import { StateFeed } from './state-feed.js';
import type { MesosState } from './types.js';

/**
 * Parsing a master's state off the main thread. A 5,000-agent / 100,000-task GET_STATE is
 * ~180–290 MB of JSON and takes seconds to parse; on the main thread (Electron's main process)
 * that holds every IPC call for as long. One long-lived thread per Mesos client parses the
 * downloaded bytes (handed over, not copied: the body's ArrayBuffer is transferred) with the
 * same pure functions the main thread would use (state.ts parseGetState / parseMasterState),
 * so the result and every error are the same.
 *
 * How the result crosses back, measured here (Node 20, 2 vCPU, the generated 5,000 / 100,000
 * state, MesosState with 100k tasks):
 *   - as one object (structured clone, what postMessage does): serialize 1.7 s in the thread,
 *     **deserialize 5.3–6.6 s on the main thread in one task** — worse than parsing inline;
 *   - v8.serialize per 5,000-task slice: deserialize 139 ms per slice (still over 100 ms);
 *   - JSON text per slice: JSON.parse of 5,000 tasks (~7 MB) 28 ms on the main thread, i.e.
 *     ~4 ms per MB, 5× cheaper than structured clone of the same objects.
 * So the thread sends the state as JSON text in slices of ~256 KiB (~2 ms of JSON.parse
 * each), one message per slice, and the main thread parses one slice per event-loop turn
 * (setImmediate): every other timer, socket and IPC call runs between two slices, and no
 * single main-thread task is longer than a slice plus a young-generation GC. The main thread
 * still builds the object graph (MesosState is plain data, kept as it is), but in ~500 short
 * steps instead of one multi-second one (measured end to end: test/bench/mesos-state.bench.ts).
 * MesosState holds only strings, finite numbers, booleans, null, arrays and objects, so JSON
 * gives it back exactly (the tests compare both parses deeply).
 *
 * The bytes come in the same way: fetchState streams the download into the thread (StateFeed),
 * so the main thread never joins the body (a 290 MB Buffer.concat was 375–635 ms in one step).
 * What is left of the main thread's longest step (measured with monitorEventLoopDelay, the gc
 * PerformanceObserver and --cpu-prof on the bench's state) is V8's young-generation scavenges
 * while the slices become the state's objects: ~40 of 20–40 ms each here, whatever the slice
 * size (64 KiB–2 MiB: the same count and length), the wire format (v8.deserialize per slice
 * does not pretenure either: more scavenges) or deduplicated strings (a string table: 11
 * scavenges instead of 20, none shorter). Tried and not kept: a bigger gunzip output chunk
 * (no change); parsing the slices only once the thread has sent all of them (scavenges 20–25 ms
 * instead of 25–40 on 2 cores, as the thread no longer competes with the main thread's GC, but
 * ~1 s later and with all the JSON text, ~150 MB, queued here at once).
 */

export interface StateWorker {
  /** False when no worker can be started here (a bundle without state-thread.mjs): parse inline. */
  readonly available: boolean;
  /**
   * Parses `body` in the thread. The body's memory is transferred when it owns its whole
   * ArrayBuffer (it is unusable afterwards), copied otherwise. Rejects with the ConsoleError
   * the inline parse would throw, or with StateWorkerCrashed when the thread died (the body is
   * gone then: the caller downloads again). A StateFeed is a body still downloading: its chunks
   * go to the thread as they are pushed, and the parse starts at its `end()` (whose time is the
   * `fetchedAt` then); `abort()` rejects the parse.
   */
  parse(kind: 'v1' | 'v0', body: Buffer | StateFeed, url: string, fetchedAt: number): Promise<MesosState>;
  /**
   * The same for the first record of a SUBSCRIBE stream, `{"type":"SUBSCRIBED","subscribed":
   * {"get_state":…,"heartbeat_interval_seconds":…}}`: its state and heartbeat interval (null
   * when it has none). A record that is not SUBSCRIBED rejects with MESOS_BAD_RESPONSE.
   */
  parseSubscribed(
    body: Buffer | StateFeed,
    url: string,
    fetchedAt: number,
  ): Promise<{ state: MesosState; heartbeatSeconds: number | null }>;
  /** Threads running now (0 or 1): one ends once idle for `idleMs` (default 10 s). */
  threads(): number;
  /**
   * Ends the thread now, as a crash would: a parse in progress fails with StateWorkerCrashed
   * (its caller reads the state again and parses it inline); the next parse starts a fresh thread.
   */
  restart(): Promise<void>;
  /** Ends the thread; a parse in progress rejects. */
  close(): Promise<void>;
}

/** The parsing thread ended (crashed, ran out of memory, was terminated) before it answered. */
export class StateWorkerCrashed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StateWorkerCrashed';
  }
}

/**
 * The worker's module, found by core/worker-module.ts: the bundle beside this file (unpacked
 * from app.asar in a packaged app), or the TypeScript source under tsx (dev, tests).
 */
function workerSource(): (() => Worker) | null {
  try {
    const here = callerUrl(import.meta.url);
    const found = workerModule('state-thread', here);
    return found && here ? workerStarter(found, here) : null;
  } catch {
    return null; // no tsx: parse on the main thread
  }
}

let source: ReturnType<typeof workerSource> | undefined;
/** Threads started and not ended yet, in this process (every StateWorker's). */
let live = 0;
export const liveStateThreads = (): number => live;

type Field = 'agents' | 'frameworks' | 'tasks' | 'executors';

interface Job {
  resolve: (s: MesosState, heartbeatSeconds: number | null) => void;
  reject: (e: unknown) => void;
  /** Slices received and not parsed yet, in order. */
  queue: ({ field: Field; json: string } | { done: StateDone })[];
  parts: Record<Field, unknown[][]>;
  scheduled: boolean;
  failed: boolean;
  /** The body still downloading, if it is one. */
  feed?: StateFeed;
}

/**
 * An idle thread ends after this long: parsing a 290 MB state grows its heap by GBs, which V8
 * keeps while the thread lives (the console's RSS stayed at 2.5 GB with 290 MB of it in use).
 * The next parse starts a fresh thread (tens of ms; big states come minutes apart).
 */
const defaultIdleMs = 10_000;

export function createStateWorker(options: { idleMs?: number } = {}): StateWorker {
  const idleMs = options.idleMs ?? defaultIdleMs;
  let idleTimer: NodeJS.Timeout | null = null;
  source ??= workerSource();
  const spawn = source;
  let worker: Worker | null = null;
  let closed = false;
  let nextId = 1;
  const jobs = new Map<number, Job>();

  const failAll = (e: unknown) => {
    for (const job of jobs.values()) {
      job.failed = true;
      job.feed?.detach();
      job.reject(e);
    }
    jobs.clear();
  };

  const start = (): Worker => {
    if (worker) return worker;
    const w = spawn!();
    worker = w;
    live++;
    w.unref();
    const gone = (why: string) => {
      if (worker !== w) return;
      worker = null; // the next parse starts a fresh thread
      failAll(closed ? closedError() : new StateWorkerCrashed(why));
    };
    w.on('message', (msg: StateReply) => onReply(msg));
    w.on('error', (e: Error) => {
      gone(`The state parsing thread failed: ${e.message}`);
      void w.terminate();
    });
    w.on('exit', (code) => {
      live--;
      gone(`The state parsing thread ended (exit code ${code}).`);
    });
    return w;
  };

  function onReply(msg: StateReply): void {
    const job = jobs.get(msg.id);
    if (!job) return;
    if ('error' in msg) {
      jobs.delete(msg.id);
      const e = msg.error;
      job.reject(e.code === null ? new Error(e.message) : new ConsoleError(e.code, e.message, e.hint, e.details));
      idle();
      return;
    }
    job.queue.push('json' in msg ? { field: msg.field, json: msg.json } : { done: msg.done });
    schedule(msg.id, job);
  }

  /** Parses the next slice on a later turn of the event loop, so other work runs in between. */
  function schedule(id: number, job: Job): void {
    if (job.scheduled || job.failed) return;
    job.scheduled = true;
    setImmediate(() => {
      job.scheduled = false;
      if (job.failed) return;
      const next = job.queue.shift();
      if (!next) return;
      if ('done' in next) {
        jobs.delete(id);
        const p = job.parts;
        const { heartbeatSeconds = null, ...done } = next.done;
        job.resolve(
          {
            ...done,
            agents: joined(p.agents),
            frameworks: joined(p.frameworks),
            tasks: joined(p.tasks),
            executors: joined(p.executors),
          } as MesosState,
          heartbeatSeconds,
        );
        idle();
        return;
      }
      try {
        job.parts[next.field].push(JSON.parse(next.json) as unknown[]);
      } catch (e) {
        job.failed = true;
        jobs.delete(id);
        job.reject(e);
        idle();
        return;
      }
      if (job.queue.length > 0) schedule(id, job);
    });
  }

  /** An idle thread does not keep the process up; a busy one does (its caller waits for it). */
  function idle(): void {
    if (jobs.size > 0 || !worker) return;
    worker.unref();
    const w = worker;
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      idleTimer = null;
      // Ended as idle, not crashed: nothing waits on it, the next parse starts another.
      if (worker === w && jobs.size === 0) {
        worker = null;
        void w.terminate();
      }
    }, idleMs);
    idleTimer.unref();
  }

  const run = (
    kind: StateKind,
    body: Buffer | StateFeed,
    url: string,
    fetchedAt: number,
  ): Promise<{ state: MesosState; heartbeatSeconds: number | null }> => {
    if (closed) return Promise.reject(closedError());
    if (!spawn) return Promise.reject(new StateWorkerCrashed('No state parsing thread can be started here.'));
    let w: Worker;
    try {
      w = start();
    } catch (e) {
      // A thread that cannot even start (its module cannot be read): the caller parses inline.
      return Promise.reject(new StateWorkerCrashed(`The state parsing thread could not start: ${(e as Error).message}`));
    }
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const job: Job = {
        resolve: (state, heartbeatSeconds) => resolve({ state, heartbeatSeconds }),
        reject,
        queue: [],
        parts: { agents: [], frameworks: [], tasks: [], executors: [] },
        scheduled: false,
        failed: false,
      };
      jobs.set(id, job);
      w.ref();
      if (idleTimer) {
        clearTimeout(idleTimer);
        idleTimer = null;
      }
      if (body instanceof StateFeed) {
        job.feed = body;
        w.postMessage({ id, kind, url, fetchedAt, body: null } satisfies StateRequest);
        body.attach({
          chunk: (bytes) => w.postMessage({ id, chunk: bytes } satisfies StateBodyPart, [bytes.buffer as ArrayBuffer]),
          end: (at) => w.postMessage({ id, end: { fetchedAt: at } } satisfies StateBodyPart),
          abort: () => {
            w.postMessage({ id, abort: true } satisfies StateBodyPart);
            if (jobs.get(id) !== job) return;
            jobs.delete(id);
            job.failed = true;
            job.feed?.detach();
            reject(new Error(`The download of ${url} was abandoned before it was parsed.`));
            idle();
          },
        });
        return;
      }
      // Transfer the bytes when the Buffer is its whole ArrayBuffer (a big download is: Buffer.concat
      // allocates it); a slice of a shared pool is copied, transferring would take the pool.
      const owns = body.byteOffset === 0 && body.buffer.byteLength === body.length && body.buffer instanceof ArrayBuffer;
      const bytes = owns ? new Uint8Array(body.buffer, 0, body.length) : new Uint8Array(body);
      const req: StateRequest = { id, kind, url, fetchedAt, body: bytes };
      w.postMessage(req, [bytes.buffer as ArrayBuffer]);
    });
  };

  return {
    available: spawn !== null,
    parse: (kind, body, url, fetchedAt) => run(kind, body, url, fetchedAt).then((r) => r.state),
    parseSubscribed: (body, url, fetchedAt) => run('subscribed', body, url, fetchedAt),
    threads: () => (worker ? 1 : 0),
    async restart() {
      await worker?.terminate();
    },
    async close() {
      closed = true;
      if (idleTimer) clearTimeout(idleTimer);
      const w = worker;
      failAll(closedError());
      if (w) await w.terminate();
      worker = null;
    },
  };
}

/**
 * The slices of a list as one array. Not `parts.flat()`: that took 25–50 ms for 480 slices of
 * 100k tasks here (one main-thread step); `concat` copies the same in ~1 ms. By 4,096 slices at
 * a time, so the spread never nears the engine's argument limit.
 */
function joined(parts: unknown[][]): unknown[] {
  if (parts.length === 1) return parts[0]!;
  let out: unknown[] = [];
  for (let i = 0; i < parts.length; i += 4096) out = out.concat(...parts.slice(i, i + 4096));
  return out;
}

const closedError = () => new ConsoleError('MESOS_UNREACHABLE', 'The Mesos client was closed before the state was read.');

let shared: StateWorker | null = null;
/** For fetchState called without a client's worker: one for the process, idle threads unref'ed. */
export function sharedStateWorker(): StateWorker {
  shared ??= createStateWorker();
  return shared;
}
