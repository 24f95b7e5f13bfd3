import type { FollowItem, LogLine } from '../contract/logs.js';
import { isConsoleError, ConsoleError } from '../errors.js';
import { LineBudget, startOfLastLines } from './budget.js';
import { LineSplitter } from './split.js';
import type { ByteFile, FileInfo, FollowFrom, SandboxFiles, Sink } from './source.js';

export interface FollowOptions {
  /** The stat fallback: catches what watching misses (network filesystems, rotations). */
  pollMs?: number;
  /**
   * Where nothing can be watched (an agent's files API: each poll is a request the agent
   * serves), the poll once the file has not grown for a poll: at most one request a second
   * per viewer while idle, `pollMs` again as soon as it grows.
   */
  idlePollMs?: number;
  /** A last line without newline is sent (as partial) once the file has not grown for this long. */
  idleFlushMs?: number;
  /** Events closer together than this are read as one. */
  coalesceMs?: number;
  /** One read. */
  chunkBytes?: number;
  /** Read at most this much before yielding to the event loop. */
  maxBytesPerTick?: number;
  /**
   * Further behind the end than this, the follow passes over the gap and says so (`skipped`):
   * a third of a second of a 100 MB/s writer, far more than a stream's bound lets through.
   */
  maxBacklog?: number;
  /** Lines sent per second at most, on average (see LineBudget); Infinity sends every line. */
  maxLinesPerSecond?: number;
  /** Lines sent at once at most, after a quiet spell. */
  maxLinesBurst?: number;
  maxLineChars?: number;
}

const defaults: Required<FollowOptions> = {
  pollMs: 250,
  idlePollMs: 1000,
  idleFlushMs: 1000,
  coalesceMs: 10,
  chunkBytes: 1024 * 1024,
  maxBytesPerTick: 4 * 1024 * 1024,
  maxBacklog: 32 * 1024 * 1024,
  maxLinesPerSecond: 200_000,
  maxLinesBurst: 20_000,
  maxLineChars: 10_000,
};

/** The stream cursor: the offset a new follow starts at, and the file it belongs to. */
export function followCursor(offset: number, fileId: string | null): string {
  return fileId === null ? String(offset) : `${offset}@${fileId}`;
}

/**
 * Follows one file of a sandbox from a byte offset, like `tail -F`: whole lines in order, each
 * with its offset; a last line without newline held until it is complete (or sent as partial
 * when the writer pauses); truncation, replacement and deletion reported as resets. The cursor
 * after each push is the start of the first byte not yet sent as a complete line, so a follow
 * resumed from it repeats and misses nothing.
 *
 * Woken by the file watcher and by a poll; each wake-up reads what was appended in bounded
 * chunks, so memory is a chunk and the head of one line, whatever the file's size or speed.
 */
export async function followFile(
  files: SandboxFiles,
  rel: string,
  from: FollowFrom,
  sink: Sink<FollowItem>,
  options: FollowOptions = {},
): Promise<() => void> {
  const o = { ...defaults, ...options };
  let file: ByteFile | null = await files.open(rel);
  let fileId = (await file.info()).id;
  const split = new LineSplitter(o.maxLineChars);
  const budget = new LineBudget(o.maxLinesPerSecond, o.maxLinesBurst);
  let lastSize = -1;
  /** The last look found the file grown (or it is the first look). */
  let grew = true;
  let lastGrowth = Date.now();
  let sentPartial = -1;
  let closed = false;
  let running = false;
  let again = false;
  let checkPath = false;
  let wake: ReturnType<typeof setTimeout> | null = null;
  const pending: FollowItem[] = [];

  const flush = () => {
    if (pending.length === 0 || closed) return;
    sink.push(pending.splice(0), followCursor(split.pos, fileId));
  };
  const reset = (reason: 'truncated' | 'replaced' | 'deleted', offset: number) => {
    pending.push({ kind: 'reset', reason, offset });
    split.restart(offset);
    sentPartial = -1;
  };
  const emitLines = (lines: LogLine[]) => {
    for (const line of lines) pending.push({ kind: 'line', line });
    if (lines.length > 0) sentPartial = -1;
  };
  /** Passes over [split.pos, to): what the viewer can read later with logs.lines. */
  const skipTo = (to: number) => {
    pending.push({ kind: 'skipped', offset: split.pos, length: to - split.pos });
    split.restart(to);
    sentPartial = -1;
  };

  // A cursor into another file (rotated since), or past the end (truncated since), starts over.
  const startInfo = await file.info();
  if (from.file !== undefined && fileId !== null && from.file !== fileId) reset('replaced', 0);
  else if (from.offset > startInfo.size) reset('truncated', 0);
  else split.restart(from.offset);

  // One read buffer for the life of the follow: the splitter copies what it keeps.
  const scratch = Buffer.allocUnsafe(o.chunkBytes);

  /** Passes over what is more than maxBacklog behind `size`, or more lines than the budget allows. */
  const catchUp = async (f: ByteFile, size: number) => {
    if (size - split.pos > o.maxBacklog) {
      const resume = await lineStartAfter(f, size - o.maxBacklog, size);
      if (resume > split.pos) skipTo(resume);
    }
    const allowed = budget.lines();
    if (allowed !== Infinity && size - split.pos > allowed) {
      const resume = await startOfLastLines(f, split.pos, size, allowed, o.maxBacklog, scratch);
      if (resume > split.pos) skipTo(resume);
    }
  };

  /** Reads what the open file has beyond what was read, in bounded chunks. */
  const readAppended = async (f: ByteFile, size: number): Promise<boolean> => {
    let left = o.maxBytesPerTick;
    while (split.scanned < size && left > 0) {
      const buf = await f.read(split.scanned, Math.min(o.chunkBytes, size - split.scanned, left), scratch);
      if (closed || buf.length === 0) return false;
      const lines = split.push(buf);
      emitLines(lines);
      budget.spend(lines.length);
      left -= buf.length;
    }
    return split.scanned < size;
  };

  /**
   * Was the file renamed, deleted or replaced under its name? Reads the rest of the old one
   * first. Returns what the path names now when that is the open file.
   */
  const followPath = async (): Promise<FileInfo | null> => {
    const now = await files.infoOf(rel);
    if (now !== null && (now.id === null || now.id === fileId)) return now;
    if (file !== null) {
      const old = file;
      file = null;
      const { size } = await old.info();
      await catchUp(old, size);
      while (await readAppended(old, size));
      const tail = split.partial();
      if (tail) emitLines([tail]);
      await old.close();
    }
    if (now === null) {
      if (fileId !== null) reset('deleted', 0);
      fileId = null;
      return null;
    }
    file = await files.open(rel);
    fileId = (await file.info()).id;
    reset('replaced', 0);
    return null;
  };

  const tick = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    wake = null;
    try {
      let named: FileInfo | null = null;
      if (checkPath || file === null) {
        checkPath = false;
        named = await followPath();
      }
      if (file === null || closed) {
        flush(); // the deleted reset
        return;
      }
      // Where files cannot be told apart (no id), what the path names is the open file: its
      // size was just asked, and asking again would be a second request per poll.
      const { size } = named !== null && named.id === null ? named : await file.info();
      if (size < split.scanned) reset('truncated', 0);
      grew = size !== lastSize;
      if (grew) {
        lastSize = size;
        lastGrowth = Date.now();
      }
      await catchUp(file, size);
      if (await readAppended(file, size)) again = true;
      const waited = Date.now() - lastGrowth >= o.idleFlushMs;
      if (waited && split.scanned > split.pos && sentPartial !== split.scanned) {
        const tail = split.partial();
        if (tail) emitLines([tail]);
        sentPartial = split.scanned;
      }
      flush();
    } catch (e) {
      if (closed) return;
      stop();
      sink.fail(isConsoleError(e) ? e : new ConsoleError('INTERNAL', `Following ${rel} failed: ${(e as Error).message}`));
      return;
    } finally {
      running = false;
    }
    if (again && !closed) {
      again = false;
      setImmediate(() => void tick());
    }
  };

  const schedule = (renamed: boolean) => {
    if (renamed) checkPath = true;
    if (wake === null && !closed) wake = setTimeout(() => void tick(), o.coalesceMs);
  };
  const unwatch = files.watch(rel, schedule);
  let poll: ReturnType<typeof setTimeout> | null = null;
  const nextPoll = () => {
    if (closed) return;
    const ms = unwatch === null && !grew ? Math.max(o.pollMs, o.idlePollMs) : o.pollMs;
    poll = setTimeout(() => {
      schedule(true);
      nextPoll();
    }, ms);
    poll.unref();
  };
  nextPoll();

  function stop() {
    if (closed) return;
    closed = true;
    if (poll !== null) clearTimeout(poll);
    if (wake !== null) clearTimeout(wake);
    unwatch?.();
    void file?.close().catch(() => {});
  }

  flush();
  void tick();
  return stop;
}

/**
 * The first line start at or after `p`, looking at most 1 MiB ahead; -1 when there is none that
 * close (one very long line: passing over part of it would start a "line" in its middle).
 */
async function lineStartAfter(file: ByteFile, p: number, size: number): Promise<number> {
  if (p === 0) return 0;
  for (let lo = p - 1; lo < Math.min(size, p + 1024 * 1024); lo += 64 * 1024) {
    const buf = await file.read(lo, Math.min(64 * 1024, size - lo));
    const i = buf.indexOf(10);
    if (i >= 0) return lo + i + 1;
    if (buf.length === 0) break;
  }
  return -1;
}
