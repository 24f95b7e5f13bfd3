import fs from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { Matcher } from './match.js';
import { ChunkLoader, countNewlines, loaded, scanChunk, type ChunkJob, type LoadedBytes, type ScanResult } from './scan.js';

/**
 * A scanning thread: searches or counts one chunk of a file at a time, reading it through the
 * descriptor the main thread opened (descriptors are per process, so the file the main thread
 * checked is the file read here, whatever happens to its path meanwhile), or searches bytes the
 * main thread read (a file on a Mesos agent).
 */
export type WorkerRequest =
  | { id: number; kind: 'search'; fd: number; job: ChunkJob; matcher: Matcher; maxLineChars: number; limit: number }
  | { id: number; kind: 'scan'; chunk: LoadedBytes; matcher: Matcher; maxLineChars: number; limit: number }
  | { id: number; kind: 'count'; fd: number; job: ChunkJob; block: number };

export type WorkerReply =
  { id: number; ok: true; result: ScanResult | number[] } | { id: number; ok: false; message: string } | { ready: true };

// One buffer for every chunk this thread reads; the descriptor is the current request's.
let fd = -1;
const loader = new ChunkLoader((target, at, length, position) => fs.readSync(fd, target, at, length, position));

export async function runRequest(req: WorkerRequest): Promise<ScanResult | number[]> {
  if (req.kind === 'scan') return scanChunk(loaded(req.chunk), req.matcher, req.maxLineChars, req.limit);
  fd = req.fd;
  if (req.kind === 'count') return countNewlines(await loader.bytes(req.job.start, req.job.end - req.job.start), req.block);
  return scanChunk(await loader.load(req.job), req.matcher, req.maxLineChars, req.limit);
}

const port = parentPort;
if (port) {
  port.on('message', (req: WorkerRequest) => {
    runRequest(req).then(
      (result) => port.postMessage({ id: req.id, ok: true, result } satisfies WorkerReply),
      (e: unknown) =>
        port.postMessage({ id: req.id, ok: false, message: e instanceof Error ? e.message : String(e) } satisfies WorkerReply),
    );
  });
  port.postMessage({ ready: true } satisfies WorkerReply);
}
