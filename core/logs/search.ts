import type { SearchItem } from '../contract/logs.js';
import { ConsoleError, isConsoleError } from '../errors.js';
import { compileMatcher } from './match.js';
import { ScanTimeout, type ScanPool } from './scan-pool.js';
import type { ScanResult } from './scan.js';
import type { SandboxFiles, SearchQuery, Sink } from './source.js';

const inlineChunkBytes = 1024 * 1024;

export interface SearchOptions {
  /** Bytes per chunk: one worker job, or one synchronous slice on the main thread. */
  chunkBytes?: number;
  /** Progress items at most this often (and always at the end). */
  progressMs?: number;
}

/**
 * Searches a file from `q.from` to its size when the search began, in chunks scanned in
 * parallel by the pool and reported strictly in file order: matches as soon as every chunk
 * before theirs is done, and progress along the way. The returned function cancels: no item is
 * pushed after it, no new chunk starts, and a chunk still running is ended within the pool's
 * grace period. The file stays open until every chunk has stopped reading it.
 */
export async function searchFile(
  files: SandboxFiles,
  rel: string,
  q: SearchQuery,
  sink: Sink<SearchItem>,
  pool: ScanPool,
  options: SearchOptions = {},
): Promise<() => void> {
  const matcher = compileMatcher(q);
  const file = await files.open(rel);
  let size: number;
  try {
    size = (await file.info()).size;
  } catch (e) {
    await file.close();
    throw e;
  }
  const chunkBytes = options.chunkBytes ?? 4 * 1024 * 1024;
  const progressMs = options.progressMs ?? 100;
  const window = pool.parallelism * 2;
  const controller = new AbortController();
  const { signal } = controller;
  const from = Math.min(q.from, size);
  // Where no worker can start, a chunk is one synchronous slice on the main thread. The regex
  // engine is linear, but a byte can cost up to its NFA's size (when its DFA cache thrashes):
  // the slice shrinks as the pattern grows, so no slice holds the event loop for long.
  const sliceBytes =
    matcher.kind === 'regex'
      ? Math.max(16 * 1024, Math.min(inlineChunkBytes, Math.floor((8 * 1024 * 1024) / matcher.states)))
      : inlineChunkBytes;

  const run = async () => {
    const inflight: Promise<ScanResult>[] = [];
    let dispatched = from;
    let matches = 0;
    let scanned = from;
    let lastProgress = 0;
    const fill = () => {
      while (inflight.length < window && dispatched < size) {
        const bytes = pool.onMainThread() ? Math.min(chunkBytes, sliceBytes) : chunkBytes;
        const job = { start: dispatched, end: Math.min(size, dispatched + bytes), size, first: dispatched === from };
        const scan = pool.search(file, job, matcher, q.maxLineChars, q.maxMatches - matches, signal);
        scan.catch(() => {}); // awaited in order below; until then a failure is not "unhandled"
        inflight.push(scan);
        dispatched = job.end;
      }
    };
    try {
      fill();
      let done = inflight.length === 0;
      while (!done) {
        const r = await inflight.shift()!;
        if (signal.aborted) return;
        const room = q.maxMatches - matches;
        const items: SearchItem[] = r.items.length > room ? r.items.slice(0, room) : r.items;
        matches += items.length;
        const full = matches >= q.maxMatches;
        if (full && items.length > 0) {
          const last = items[items.length - 1] as Extract<SearchItem, { kind: 'match' }>;
          scanned = Math.min(size, last.line.offset + last.line.length + 1);
        } else if (r.scanned >= 0) {
          scanned = Math.max(scanned, r.scanned);
        }
        done = full || (inflight.length === 0 && dispatched >= size);
        if (done && !full) scanned = size;
        const now = Date.now();
        if (done || now - lastProgress >= progressMs) {
          lastProgress = now;
          items.push({ kind: 'progress', scanned, size, matches, done });
        }
        if (items.length > 0) sink.push(items, String(scanned));
        if (!done) fill();
      }
    } catch (e) {
      if (!signal.aborted) sink.fail(searchError(e, rel));
    } finally {
      controller.abort();
      await Promise.allSettled(inflight);
    }
  };
  void run().finally(() => file.close().catch(() => {}));
  return () => controller.abort();
}

function searchError(e: unknown, rel: string): ConsoleError {
  if (isConsoleError(e)) return e;
  if (e instanceof ScanTimeout) {
    return new ConsoleError(
      'SEARCH_INVALID',
      'The search was stopped: one piece of the file took longer than the time limit.',
      'Simplify the pattern (large counts such as {1000} and many nested repetitions make it slow), or search for literal text.',
    );
  }
  return new ConsoleError(
    'INTERNAL',
    `Searching ${rel} failed: ${e instanceof Error ? e.message : String(e)}`,
    'Try again; the full error is in the console log.',
  );
}
