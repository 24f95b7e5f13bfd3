import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { callerUrl, workerModule, workerStarter } from '../worker-module.js';
import type { Matcher } from './match.js';
import { ChunkLoader, countNewlines, loaded, scanChunk, type ChunkJob, type LoadedBytes, type ScanResult } from './scan.js';
import type { WorkerReply, WorkerRequest } from './scan-worker.js';
import type { ByteFile } from './source.js';

/**
 * Where chunks are scanned: worker threads, so searches and indexes use every core and no
 * user pattern ever runs on the main thread (which carries every other call). Until the
 * workers are up, jobs wait for them. A file without a descriptor (an agent's files API) is
 * read here, asynchronously, and its bytes are handed to a worker to search. Only where no
 * worker can start at all (e.g. a bundle without the worker file) do chunks run on the main
 * thread: the regex engine is linear-time (see regex/), and search.ts makes those chunks short
 * slices between asynchronous reads, so none holds the event loop for long.
 */
export interface ScanPool {
  readonly parallelism: number;
  search(file: ByteFile, job: ChunkJob, matcher: Matcher, maxLineChars: number, limit: number, signal: AbortSignal): Promise<ScanResult>;
  /** Starts the threads now rather than at the first local scan; resolves with how many are up. */
  warm(): Promise<number>;
  /** Threads up now (0 until they are up, or where none can start). */
  threads(): number;
  /** No worker can start: chunks run on the main thread, in short slices. */
  onMainThread(): boolean;
  /**
   * Searches bytes already in memory (whole lines: `chunk.buf[ownStart, ownEnd)`), moved to a
   * worker: a download's pieces. On the main thread only where no worker can start.
   */
  scan(chunk: LoadedBytes, matcher: Matcher, maxLineChars: number, limit: number, signal: AbortSignal): Promise<ScanResult>;
  /** Newlines per `block` bytes of [job.start, job.end). */
  count(file: ByteFile, job: ChunkJob, block: number, signal: AbortSignal): Promise<number[]>;
  close(): Promise<void>;
}

export class ScanTimeout extends Error {}
export class ScanAborted extends Error {}

export interface ScanPoolOptions {
  /** 0 scans on the main thread only. Default: one per core, at most 4. */
  workers?: number;
  /** A chunk that takes longer is stopped (its thread ended): the last resort against a slow pattern. */
  jobTimeoutMs?: number;
  /** How long a cancelled chunk may finish on its own before its thread is ended. */
  abortGraceMs?: number;
}

type Request = WorkerRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

interface Job {
  req: Request;
  /** Buffers moved, not copied, to the worker with the request. */
  transfer?: ArrayBuffer[];
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  signal: AbortSignal;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job: (Job & { id: number; timer: ReturnType<typeof setTimeout>; onAbort: () => void }) | null;
  /** Why the worker is being ended: its job fails with this once the thread is gone. */
  ending: Error | null;
}

/**
 * The worker's module, found by core/worker-module.ts: the bundle beside this file (unpacked
 * from app.asar in a packaged app), or the TypeScript source under tsx (dev, tests).
 */
function workerSource(): (() => Worker) | null {
  try {
    const here = callerUrl(import.meta.url);
    const found = workerModule('scan-worker', here);
    return found && here ? workerStarter(found, here) : null;
  } catch {
    return null; // no tsx: the main thread only
  }
}

export function createScanPool(options: ScanPoolOptions = {}): ScanPool {
  const wanted = options.workers ?? Math.min(4, Math.max(1, os.availableParallelism()));
  const jobTimeoutMs = options.jobTimeoutMs ?? 10_000;
  const abortGraceMs = options.abortGraceMs ?? 50;
  const spawn = wanted > 0 ? workerSource() : null;
  const slots: Slot[] = [];
  const queue: Job[] = [];
  let nextId = 1;
  let started = false;
  let closed = false;

  // warm() waiters, told once every thread started has either come up or failed.
  let starting = 0;
  const waiters: ((n: number) => void)[] = [];
  const settledStarts = () => {
    if (--starting > 0) return;
    const up = slots.filter((s) => s.ready).length;
    for (const w of waiters.splice(0)) w(up);
  };

  const startWorkers = () => {
    if (started || !spawn) return;
    started = true;
    for (let i = 0; i < wanted; i++) addSlot();
  };
  /** Workers are up, starting, or yet to be started; false once every one failed to start. */
  const canThread = () => spawn !== null && !(started && slots.length === 0);

  function addSlot(): void {
    if (closed || !spawn) return;
    const slot: Slot = { worker: spawn(), ready: false, job: null, ending: null };
    starting++;
    slot.worker.unref();
    slot.worker.on('message', (msg: WorkerReply) => {
      if ('ready' in msg) {
        slot.ready = true;
        settledStarts();
        pump();
        return;
      }
      const job = slot.job;
      if (!job || job.id !== msg.id || slot.ending) return;
      settle(slot);
      if (msg.ok) job.resolve(msg.result);
      else job.reject(new Error(msg.message));
      pump();
    });
    slot.worker.on('error', () => retire(slot, new Error('The scanning thread failed.')));
    slot.worker.on('exit', () => retire(slot, new Error('The scanning thread ended.')));
    slots.push(slot);
  }

  function settle(slot: Slot): void {
    const job = slot.job;
    if (!job) return;
    clearTimeout(job.timer);
    job.signal.removeEventListener('abort', job.onAbort);
    slot.job = null;
    slot.worker.unref();
  }

  /**
   * Takes a slot out once its thread is gone, fails its job, and starts a new thread. Only now:
   * the job's caller closes the descriptor when the job fails, and a thread still reading it
   * could read whatever file reuses the number.
   */
  function retire(slot: Slot, why: Error): void {
    const i = slots.indexOf(slot);
    if (i < 0) return; // 'error' and then 'exit': once is enough
    slots.splice(i, 1);
    if (!slot.ready) settledStarts();
    const job = slot.job;
    settle(slot);
    job?.reject(slot.ending ?? why);
    // A worker that never became ready will not start next time either: stay on the main thread.
    if (slot.ready) addSlot();
    pump();
  }

  function end(slot: Slot, why: Error): void {
    slot.ending ??= why;
    void slot.worker.terminate();
  }

  /** Hands queued jobs to idle workers; they wait while workers start, and run here only if none can. */
  function pump(): void {
    while (queue.length > 0) {
      const ready = slots.filter((s) => s.ready);
      if (ready.length === 0) {
        if (canThread()) {
          startWorkers(); // the first one up pumps again
          return;
        }
        for (const job of queue.splice(0)) inline(job);
        return;
      }
      const idle = ready.find((s) => s.job === null);
      if (!idle) return;
      const job = queue.shift()!;
      if (job.signal.aborted) {
        job.reject(new ScanAborted());
        continue;
      }
      const id = nextId++;
      const timer = setTimeout(() => end(idle, new ScanTimeout()), jobTimeoutMs);
      timer.unref();
      // A cancelled chunk usually ends within milliseconds; one that does not (a huge pattern
      // over a long chunk) has its thread ended.
      const onAbort = () =>
        setTimeout(() => {
          if (idle.job?.id === id) end(idle, new ScanAborted());
        }, abortGraceMs).unref();
      idle.job = { ...job, id, timer, onAbort };
      job.signal.addEventListener('abort', onAbort, { once: true });
      idle.worker.ref(); // a busy thread keeps the process up; an idle one does not
      idle.worker.postMessage({ ...job.req, id }, job.transfer ?? []);
    }
  }

  const files = new WeakMap<Job, ByteFile>();
  // Read buffers of the chunks running here, reused: chunks run concurrently (their reads are
  // asynchronous), so each running one has its own, and a fresh 4 MiB each time costs more in
  // page faults than the read.
  const idle: { file: ByteFile | null; loader: ChunkLoader }[] = [];
  const takeLoader = (file: ByteFile) => {
    const l =
      idle.pop() ??
      (() => {
        const slot: { file: ByteFile | null; loader: ChunkLoader } = { file: null, loader: null! };
        slot.loader = new ChunkLoader(
          async (target, at, length, position) => (await slot.file!.read(position, length, target.subarray(at, at + length))).length,
        );
        return slot;
      })();
    l.file = file;
    return l;
  };
  const withLoader = async <T>(file: ByteFile, use: (loader: ChunkLoader) => Promise<T>): Promise<T> => {
    const l = takeLoader(file);
    try {
      return await use(l.loader);
    } finally {
      l.file = null;
      if (idle.length < 8) idle.push(l);
    }
  };

  /** Runs a job on the main thread: only where no worker can start (see the comment on ScanPool). */
  function inline(job: Job): void {
    const r = job.req;
    if (r.kind === 'scan') {
      Promise.resolve()
        .then(() => scanChunk(loaded(r.chunk), r.matcher, r.maxLineChars, r.limit))
        .then(job.resolve, job.reject);
      return;
    }
    withLoader(files.get(job)!, async (loader) => {
      if (job.signal.aborted) throw new ScanAborted();
      if (r.kind === 'count') return countNewlines(await loader.bytes(r.job.start, r.job.end - r.job.start), r.block);
      const chunk = await loader.load(r.job);
      if (job.signal.aborted) throw new ScanAborted();
      return scanChunk(chunk, r.matcher, r.maxLineChars, r.limit);
    }).then(job.resolve, job.reject);
  }

  function enqueue<T>(file: ByteFile | null, req: Request, signal: AbortSignal, transfer?: ArrayBuffer[]): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const job: Job = { req, resolve: resolve as (v: unknown) => void, reject, signal, ...(transfer ? { transfer } : {}) };
      if (file) files.set(job, file);
      queue.push(job);
      pump();
    });
  }

  /**
   * A chunk of a file without a descriptor: read here (asynchronous I/O, no pattern), then its
   * owned lines are moved to a worker to search.
   */
  async function searchBytes(file: ByteFile, req: Extract<Request, { kind: 'search' }>, signal: AbortSignal): Promise<ScanResult> {
    const chunk = await withLoader(file, async (loader) => {
      const c = await loader.load(req.job);
      const bytes = new Uint8Array(c.ownEnd - c.ownStart);
      bytes.set(c.buf.subarray(c.ownStart, c.ownEnd));
      return { buf: bytes, base: c.base + c.ownStart, ownStart: 0, ownEnd: bytes.length };
    });
    if (signal.aborted) throw new ScanAborted();
    if (chunk.ownEnd === 0) return { items: [], scanned: -1 };
    const { matcher, maxLineChars, limit } = req;
    return enqueue(file, { kind: 'scan', chunk, matcher, maxLineChars, limit }, signal, [chunk.buf.buffer as ArrayBuffer]);
  }

  function submit<T>(file: ByteFile, req: Request, signal: AbortSignal): Promise<T> {
    if (closed) return Promise.reject(new ScanAborted());
    startWorkers();
    if (file.fd === null && (req.kind === 'count' || !canThread())) {
      // A count runs no pattern; without any worker, everything runs here.
      return new Promise<T>((resolve, reject) => {
        const job: Job = { req, resolve: resolve as (v: unknown) => void, reject, signal };
        files.set(job, file);
        inline(job);
      });
    }
    if (file.fd === null && req.kind === 'search') return searchBytes(file, req, signal) as Promise<T>;
    return enqueue(file, req, signal);
  }

  return {
    parallelism: spawn ? wanted : 1,
    search: (file, job, matcher, maxLineChars, limit, signal) =>
      submit(file, { kind: 'search', fd: file.fd ?? -1, job, matcher, maxLineChars, limit }, signal),
    warm() {
      startWorkers();
      if (starting === 0) return Promise.resolve(slots.filter((s) => s.ready).length);
      return new Promise((resolve) => waiters.push(resolve));
    },
    scan(chunk, matcher, maxLineChars, limit, signal) {
      if (closed) return Promise.reject(new ScanAborted());
      startWorkers();
      return enqueue(null, { kind: 'scan', chunk, matcher, maxLineChars, limit }, signal, [chunk.buf.buffer as ArrayBuffer]);
    },
    threads: () => slots.filter((s) => s.ready).length,
    onMainThread: () => !canThread(),
    count: (file, job, block, signal) => submit(file, { kind: 'count', fd: file.fd ?? -1, job, block }, signal),
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new ScanAborted());
      await Promise.all(slots.map((s) => (end(s, new ScanAborted()), s.worker.terminate())));
    },
  };
}
