import type { LogLine } from '../contract/logs.js';
import { capBytes, charStart, decodeLine } from './text.js';
import type { ByteFile } from './source.js';

/** The first read, backward or forward: the Mesos files API's per-request cap, and a page of a log. */
const firstBlock = 64 * 1024;
const maxBlock = 4 * 1024 * 1024;
/** The bytes of a response as text at most; lines past it are left for the next call. */
const maxTotalChars = 8_000_000;

/**
 * A contiguous run of the file kept from the reads made so far, so finding line boundaries and
 * decoding the lines costs one read when they fit in a block (the common case: the tail of a
 * log is one stat and one 64 KiB read). Bounded: past `maxHeld` it starts over.
 */
class Window {
  private held: Buffer = Buffer.alloc(0);
  private start = 0;
  private readonly maxHeld = 8 * 1024 * 1024;

  constructor(
    private readonly file: ByteFile,
    readonly size: number,
  ) {}

  /** Bytes [lo, hi), from what is held or read now. */
  async get(lo: number, hi: number): Promise<Buffer> {
    const end = this.end;
    if (lo >= this.start && hi <= end) return this.held.subarray(lo - this.start, hi - this.start);
    const buf = await this.file.read(lo, hi - lo);
    if (hi === this.start && buf.length + this.held.length <= this.maxHeld) {
      this.held = Buffer.concat([buf, this.held]);
      this.start = lo;
    } else if (lo === end && buf.length + this.held.length <= this.maxHeld) {
      this.held = Buffer.concat([this.held, buf]);
    } else {
      this.held = buf;
      this.start = lo;
    }
    return buf;
  }

  private get end(): number {
    return this.start + this.held.length;
  }

  /**
   * Where the line holding byte `p - 1` starts: just after the last newline before `p`. Looks
   * back `limit` bytes at most: -1 when the line starts before that.
   */
  async lineStartBefore(p: number, limit: number): Promise<number> {
    const floor = Math.max(0, p - limit);
    let hi = p;
    if (hi > this.start && hi <= this.end) {
      const i = this.held.subarray(Math.max(0, floor - this.start), hi - this.start).lastIndexOf(10);
      if (i >= 0) return Math.max(this.start, floor) + i + 1;
      hi = Math.max(this.start, floor);
    }
    let block = firstBlock;
    while (hi > floor) {
      const lo = Math.max(floor, hi - block);
      const i = (await this.get(lo, hi)).lastIndexOf(10);
      if (i >= 0) return lo + i + 1;
      hi = lo;
      block = Math.min(block * 2, maxBlock);
    }
    return floor === 0 ? 0 : -1;
  }

  /** The first newline at or after `p`, or -1 when the last line has none (yet). */
  async newlineFrom(p: number): Promise<number> {
    let lo = p;
    if (lo >= this.start && lo < this.end) {
      const i = this.held.indexOf(10, lo - this.start);
      if (i >= 0) return this.start + i;
      lo = this.end;
    }
    let block = firstBlock;
    while (lo < this.size) {
      const hi = Math.min(this.size, lo + block);
      const i = (await this.get(lo, hi)).indexOf(10);
      if (i >= 0) return lo + i;
      lo = hi;
      block = Math.min(block * 2, maxBlock);
    }
    return -1;
  }
}

export interface LinesRead {
  lines: LogLine[];
  size: number;
  /** Where `at` snapped to: the start of its line. */
  start: number;
  /** Just past the last complete line returned. */
  end: number;
}

/**
 * How far back a read looks for the start of a line. Past it the line is shown from where the
 * read stopped, marked `continued`: the tail of a 1 GiB line without newline (or of 2 GiB of
 * NULs) costs this much, not a scan of the whole line. 256 KiB is four requests of a Mesos
 * agent's files API, and longer than any line a viewer shows whole (`maxLineChars` ≤ 1M, cut).
 */
export function backwardLimit(maxLineChars: number): number {
  return Math.max(256 * 1024, capBytes(maxLineChars));
}

/**
 * `before` lines before the line holding byte `at`, then up to `after` lines from it; at the end
 * (`at` -1 or past the size) the last `before` lines, a last line without newline included.
 * Finds line boundaries by scanning bytes and decodes only the head of each line it returns, so
 * a 10 GB file or a 10 MB line cost what is shown, not what is on disk. A line whose start lies
 * further back than `backwardLimit` is shown from a point inside it, marked `continued`: at the
 * end, its last `maxLineChars` bytes; before another line, the same, and no line before it;
 * around `at`, from `at`.
 */
export async function readLines(
  file: ByteFile,
  q: { at: number; before: number; after: number; maxLineChars: number },
): Promise<LinesRead> {
  const { size } = await file.info();
  const w = new Window(file, size);
  const limit = backwardLimit(q.maxLineChars);
  const atEnd = q.at < 0 || q.at >= size;
  let budget = maxTotalChars;

  const decode = async (offset: number, length: number, partial: boolean, continued = false): Promise<LogLine> => {
    const headEnd = Math.min(offset + length, offset + capBytes(q.maxLineChars));
    const head = await w.get(offset, headEnd);
    const d = decodeLine(head, 0, head.length, q.maxLineChars, length);
    budget -= d.text.length;
    const line: LogLine = { offset, length, text: d.text, truncated: d.truncated };
    if (partial) line.partial = true;
    if (continued) line.continued = true;
    return line;
  };
  /** The last `maxLineChars` bytes before `p` of a line that starts too far back, from a character start. */
  const tailOf = async (p: number): Promise<number> => {
    const lo = Math.max(0, p - q.maxLineChars);
    return lo + charStart(await w.get(lo, Math.min(p, lo + 3)), 0);
  };

  // Around an offset, one read of the 64 KiB around it usually holds the whole page: one request
  // of an agent's files API, where looking back and then forward apart would be two.
  if (!atEnd && q.at > 0) await w.get(Math.max(0, q.at - firstBlock / 2), Math.min(size, q.at + firstBlock / 2));

  // At the end, `start` is where a line without newline begins (size when there is none).
  let start: number;
  let continued = false;
  if (q.at === 0) start = 0;
  else {
    const found = await w.lineStartBefore(atEnd ? size : q.at, limit);
    continued = found < 0;
    start = !continued ? found : atEnd ? await tailOf(size) : q.at + charStart(await w.get(q.at, Math.min(size, q.at + 3)), 0);
  }

  const before: LogLine[] = [];
  if (atEnd && start < size && q.before > 0) before.push(await decode(start, size - start, true, continued));
  for (let s = start; !continued && before.length < q.before && s > 0 && budget > 0;) {
    let prev = await w.lineStartBefore(s - 1, limit);
    if (prev < 0) {
      continued = true;
      prev = await tailOf(s - 1);
    }
    before.push(await decode(prev, s - 1 - prev, false, continued));
    s = prev;
  }
  before.reverse();

  const after: LogLine[] = [];
  let end = start;
  while (!atEnd && after.length < q.after && end < size && budget > 0) {
    const nl = await w.newlineFrom(end);
    const partial = nl < 0;
    after.push(await decode(end, (partial ? size : nl) - end, partial, end === start && continued));
    // A partial last line stays ahead of `end`: a follow from `end` sends it again when complete.
    if (partial) break;
    end = nl + 1;
  }
  return { lines: [...before, ...after], size, start, end };
}

/**
 * A part of the line at `offset`: from byte `from` of it (moved on to a character start) for
 * `maxLineChars` characters at most. Reads only that part, so paging through a 50 MB line
 * costs a page per step. Stops at a newline too, should the file have changed under `length`.
 */
export async function readLinePart(
  file: ByteFile,
  q: { offset: number; length: number; from: number; maxLineChars: number },
): Promise<{ line: LogLine; next: number; size: number }> {
  const { size } = await file.info();
  const lineEnd = Math.min(size, q.offset + q.length);
  const lo = Math.min(q.offset + q.from, lineEnd);
  const buf = await file.read(lo, Math.min(lineEnd - lo, capBytes(q.maxLineChars)));
  const nl = buf.indexOf(10);
  const end = nl < 0 ? buf.length : nl;
  const start = charStart(buf, 0, end);
  const d = decodeLine(buf, start, end, q.maxLineChars, lineEnd - lo - start);
  const from = lo - q.offset + start;
  const next = from + (d.truncated ? bytesOf(buf, start, end, d.text.length) : lineEnd - lo - start);
  const line: LogLine = { offset: q.offset, length: q.length, text: d.text, truncated: next < q.length, from };
  return { line, next: Math.min(next, q.length), size };
}

/** How many bytes of buf[start, end) decode to the first `chars` UTF-16 units (a character start). */
function bytesOf(buf: Buffer, start: number, end: number, chars: number): number {
  if (start + chars <= end && isAscii(buf, start, start + chars)) return chars;
  // Decoded length grows with the bytes decoded: the longest prefix that gives at most `chars`.
  let lo = 0;
  let hi = end - start;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (buf.toString('utf8', start, start + mid).length <= chars) lo = mid;
    else hi = mid - 1;
  }
  return charStart(buf, start + lo, end) - start;
}

function isAscii(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (buf[i]! >= 0x80) return false;
  return true;
}
