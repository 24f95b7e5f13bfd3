import type { SearchItem } from '../contract/logs.js';
import { ConsoleError, isConsoleError } from '../errors.js';
import { compileMatcher } from './match.js';
import { ScanTimeout, type ScanPool } from './scan-pool.js';
import { maxExtension, type ScanResult } from './scan.js';
import type { ByteFile, SandboxFiles, SearchQuery, Sink } from './source.js';

const inlineChunkBytes = 1024 * 1024;
/** Past this many bytes to search, a remote file is downloaded in one request rather than read in 64 KiB ranges. */
const streamAbove = 8 * 1024 * 1024;
/** Bytes of a download held for the workers at most (the transport cannot pause it). */
const maxBuffered = 256 * 1024 * 1024;

export interface SearchOptions {
  /** Bytes per chunk: one worker job, or one synchronous slice on the main thread. */
  chunkBytes?: number;
  /** Progress items at most this often (and always at the end). */
  progressMs?: number;
  /** A download's bytes held for the workers at most, before the rest is read in ranges. */
  maxBufferedBytes?: number;
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

  /**
   * Results of the chunks in file order: a download's pieces first where the file has one (a
   * remote file, one request instead of one per 64 KiB), then ranges from where that stopped
   * (the whole file where it has none, or the backend refused it).
   */
  const results: Promise<ScanResult>[] = [];
  let dispatched = from;
  let matches = 0;
  let streaming = false;
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  const fill = () => {
    while (!streaming && results.length < window && dispatched < size) {
      const bytes = pool.onMainThread() ? Math.min(chunkBytes, sliceBytes) : chunkBytes;
      const job = {
        start: dispatched,
        end: Math.min(size, dispatched + bytes),
        size,
        first: dispatched === from || firstAt === dispatched,
      };
      const scan = pool.search(file, job, matcher, q.maxLineChars, q.maxMatches - matches, signal);
      scan.catch(() => {}); // awaited in order below; until then a failure is not "unhandled"
      results.push(scan);
      dispatched = job.end;
    }
  };
  /** Where the ranges resume after a download stopped early: a line start by construction. */
  let firstAt = -1;
  let failed: unknown = null;

  const download = async (stream: NonNullable<ByteFile['stream']>) => {
    streaming = true;
    const downloadStop = new AbortController();
    const onAbort = () => downloadStop.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    let pos = 0;
    let pieceStart = from;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let skipLine = false;
    let outstanding = 0;
    let stopped = false;
    /** Hands buf[0, end) to a worker: moved, not copied, when buf is the only view of its memory. */
    const submit = (buf: Buffer, base: number, end = buf.length) => {
      if (end === 0) return;
      let bytes: Uint8Array;
      if (buf.byteOffset === 0 && buf.buffer.byteLength === buf.length && !(buf.buffer instanceof SharedArrayBuffer)) {
        bytes = new Uint8Array(buf.buffer, 0, buf.length);
      } else {
        bytes = new Uint8Array(end);
        bytes.set(buf.subarray(0, end));
      }
      outstanding += end;
      const scan = pool.scan({ buf: bytes, base, ownStart: 0, ownEnd: end }, matcher, q.maxLineChars, q.maxMatches - matches, signal);
      scan.then(
        () => (outstanding -= end),
        () => {},
      );
      results.push(scan);
      notify();
    };
    /** Hands the whole lines held so far to a worker; a line longer than maxExtension is cut there and the rest of it passed over. */
    const cut = (final: boolean) => {
      const all = Buffer.concat(pending, pendingBytes); // a new buffer, so it can move to a worker
      pending = [];
      pendingBytes = 0;
      const nl = final ? all.length - 1 : all.lastIndexOf(10);
      if (nl >= 0) {
        // The start of the next line is kept (copied) before the piece's memory moves to a worker.
        if (nl + 1 < all.length) {
          pending = [Buffer.from(all.subarray(nl + 1))];
          pendingBytes = all.length - nl - 1;
        }
        submit(all, pieceStart, nl + 1);
        pieceStart += nl + 1;
      } else if (all.length >= maxExtension) {
        submit(all, pieceStart);
        skipLine = true;
      } else {
        pending = [all];
        pendingBytes = all.length;
      }
    };
    try {
      const got = await stream((whole) => {
        // Bytes appended since the search began are not searched (as with ranges).
        if (stopped || pos >= size) return;
        const c = pos + whole.length > size ? whole.subarray(0, size - pos) : whole;
        let i = 0;
        if (pos < from) {
          i = Math.min(c.length, from - pos);
          pos += i;
        }
        if (skipLine && i < c.length) {
          const nl = c.indexOf(10, i);
          const to = nl < 0 ? c.length : nl + 1;
          pos += to - i;
          i = to;
          if (nl >= 0) {
            skipLine = false;
            pieceStart = pos;
          }
        }
        if (i >= c.length) return;
        // Held as they came (each chunk of an answer is its own buffer); joined once per piece.
        pending.push(c.subarray(i));
        pendingBytes += c.length - i;
        pos += c.length - i;
        if (pendingBytes >= chunkBytes) cut(false);
        // The transport cannot be paused: further ahead of the workers than this, the rest is
        // read in ranges, as fast as the workers take it, from the first line not handed over.
        if (outstanding + pendingBytes > (options.maxBufferedBytes ?? maxBuffered)) {
          stopped = true;
          downloadStop.abort();
        }
      }, downloadStop.signal);
      if (got === null) {
        dispatched = from;
        return;
      }
      if (stopped || skipLine) {
        firstAt = skipLine ? -1 : pieceStart;
        dispatched = skipLine ? pos : pieceStart;
        return;
      }
      if (pendingBytes > 0) cut(true);
      dispatched = Math.min(size, Math.max(pieceStart, pos));
    } catch (e) {
      failed = e;
    } finally {
      signal.removeEventListener('abort', onAbort);
      streaming = false;
      notify();
    }
  };

  /** The next result in file order, null once there are none. */
  const next = async (): Promise<ScanResult | null> => {
    for (;;) {
      if (failed !== null) throw failed;
      fill();
      const r = results.shift();
      if (r) return r;
      if (!streaming) return null;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  };

  const run = async () => {
    let scanned = from;
    let lastProgress = 0;
    try {
      if (file.fd === null && file.stream && !pool.onMainThread() && size - from > streamAbove) void download(file.stream.bind(file));
      let done = false;
      while (!done) {
        const r = await next();
        if (signal.aborted) return;
        if (r === null) {
          // The last piece of a download was taken before the download ended (or there was nothing to search).
          scanned = size;
          sink.push([{ kind: 'progress', scanned, size, matches, done: true }], String(scanned));
          break;
        }
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
        done = full || (results.length === 0 && !streaming && dispatched >= size);
        if (done && !full) scanned = size;
        const now = Date.now();
        if (done || now - lastProgress >= progressMs) {
          lastProgress = now;
          items.push({ kind: 'progress', scanned, size, matches, done });
        }
        if (items.length > 0) sink.push(items, String(scanned));
      }
    } catch (e) {
      if (!signal.aborted) sink.fail(searchError(e, rel));
    } finally {
      controller.abort();
      await Promise.allSettled(results);
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
