import fs from 'node:fs';
import type { LogLine, SearchItem } from '../contract/logs.js';
import { compiledMatcher, type Matcher } from './match.js';
import { rarest } from './prefilter.js';
import { capBytes, charIndex, decodeLine, matchWindow } from './text.js';

/**
 * One chunk of a search or an index: the work a worker thread (or the main thread, sliced) does
 * between two looks at the event loop. Pure functions over bytes, plus the reads that load them.
 *
 * A chunk is a nominal byte range [start, end) of the file. It owns the lines that START in
 * it, so it reads one byte before `start` (is `start` a line start?) and past `end` to the end of
 * its last line: every line is searched exactly once, by one chunk, whole.
 */
export interface ChunkJob {
  start: number;
  end: number;
  /** File size the search works to. */
  size: number;
  /** `start` is a line start by decree (where the user asked the search to begin). */
  first: boolean;
}

/** A line longer than this past the chunk's end is searched only this far. */
export const maxExtension = 64 * 1024 * 1024;
const firstExtension = 16 * 1024;
const extensionStep = 1024 * 1024;

export interface LoadedChunk {
  buf: Buffer;
  /** File offset of buf[0]. */
  base: number;
  /** buf[ownStart, ownEnd) is the owned lines, with their newlines. */
  ownStart: number;
  ownEnd: number;
}

/** A loaded chunk as it crosses to a worker (a Buffer arrives as a plain Uint8Array). */
export type LoadedBytes = Omit<LoadedChunk, 'buf'> & { buf: Uint8Array };

export function loaded(c: LoadedBytes): LoadedChunk {
  return { ...c, buf: Buffer.from(c.buf.buffer, c.buf.byteOffset, c.buf.byteLength) };
}

/** Reads `length` bytes at `position` into `target` from `targetOffset`; returns how many it read. */
export type ReadInto = (target: Buffer, targetOffset: number, length: number, position: number) => number | Promise<number>;

/**
 * Loads chunks into one buffer reused from chunk to chunk (it grows for a long line and stays
 * grown): a thread scanning a GB allocates a few MiB once, not 4 MiB per chunk.
 */
export class ChunkLoader {
  private scratch = Buffer.alloc(0);

  constructor(private readonly readInto: ReadInto) {}

  private room(size: number): Buffer {
    if (this.scratch.length < size) {
      const grown = Buffer.allocUnsafe(Math.max(size, Math.min(this.scratch.length * 2, size + maxExtension)));
      this.scratch.copy(grown);
      this.scratch = grown;
    }
    return this.scratch;
  }

  private async fill(at: number, length: number, position: number): Promise<number> {
    const buf = this.room(at + length);
    let got = 0;
    while (got < length) {
      const n = await this.readInto(buf, at + got, length - got, position + got);
      if (n === 0) break;
      got += n;
    }
    return got;
  }

  /** A view of [offset, offset + length), valid until the next call. */
  async bytes(offset: number, length: number): Promise<Buffer> {
    const got = await this.fill(0, length, offset); // before reading this.scratch: fill may replace it
    return this.scratch.subarray(0, got);
  }

  /** A chunk and the rest of its last line; the view is valid until the next call. */
  async load(job: ChunkJob): Promise<LoadedChunk> {
    const base = job.first ? job.start : job.start - 1;
    let length = await this.fill(0, job.end - base, base);
    let ownStart = 0;
    if (!job.first) {
      const nl = this.scratch.subarray(0, length).indexOf(10);
      ownStart = nl < 0 ? length : nl + 1;
    }
    if (ownStart >= job.end - base) return { buf: this.scratch.subarray(0, length), base, ownStart: 0, ownEnd: 0 };
    // Extend to the newline that ends the last owned line.
    let nl = length > 0 && this.scratch[length - 1] === 10 ? length - 1 : -1;
    // Usually the line ends within a few hundred bytes: read a little first, more if it does not.
    for (
      let step = firstExtension;
      nl < 0 && base + length < job.size && length - (job.end - base) < maxExtension;
      step = Math.min(step * 2, extensionStep)
    ) {
      const got = await this.fill(length, Math.min(step, job.size - base - length), base + length);
      if (got === 0) break;
      const i = this.scratch.subarray(length, length + got).indexOf(10);
      if (i >= 0) nl = length + i;
      length += got;
    }
    return { buf: this.scratch.subarray(0, length), base, ownStart, ownEnd: nl < 0 ? length : nl + 1 };
  }
}

export function readSyncInto(fd: number): ReadInto {
  return (target, targetOffset, length, position) => fs.readSync(fd, target, targetOffset, length, position);
}

export interface ScanResult {
  items: Extract<SearchItem, { kind: 'match' }>[];
  /**
   * File offset before which every line was searched: past the chunk's last line, or past the
   * last match kept when `limit` cut it short. -1 when the chunk owns no line (it lies inside a
   * line an earlier chunk searched).
   */
  scanned: number;
}

/**
 * The matching lines of a loaded chunk, at most `limit`: each line once, with the character
 * ranges of every match in it, decoded only as far as `maxLineChars`.
 */
export function scanChunk(c: LoadedChunk, m: Matcher, maxLineChars: number, limit: number): ScanResult {
  const items: ScanResult['items'] = [];
  const { buf, base } = c;
  if (c.ownEnd <= c.ownStart) return { items, scanned: -1 };
  const add = (ls: number, le: number, byteRanges: number[]) => {
    // A first match past the cut of a long line: the text is the window of the line around it.
    const at = matchWindow(buf, ls, byteRanges[0] ?? 0, byteRanges[1] ?? 0, maxLineChars);
    const d = decodeLine(buf, ls + at, le, maxLineChars);
    const ranges: [number, number][] = [];
    for (let k = 0; k < byteRanges.length; k += 2) {
      if (byteRanges[k]! < at) continue;
      const from = charIndex(buf, ls + at, byteRanges[k]! - at, d);
      if (from >= d.text.length && byteRanges[k]! > at) continue; // past the cut
      ranges.push([from, charIndex(buf, ls + at, byteRanges[k + 1]! - at, d)]);
    }
    const line: LogLine = { offset: base + ls, length: le - ls, text: d.text, truncated: d.truncated || at > 0 };
    if (at > 0) line.from = at;
    items.push({ kind: 'match', line, ranges });
  };
  const lineStart = (i: number) => (i <= c.ownStart ? c.ownStart : Math.max(c.ownStart, buf.lastIndexOf(10, i - 1) + 1));
  const lineEnd = (i: number) => {
    const nl = buf.indexOf(10, i);
    return nl < 0 || nl >= c.ownEnd ? Math.min(c.ownEnd, buf.length) : nl;
  };
  const done = (): ScanResult => ({ items, scanned: base + c.ownEnd });
  const cut = (le: number): ScanResult => ({ items, scanned: base + Math.min(le + 1, c.ownEnd) });

  if (m.kind === 'bytes') {
    const needle = Buffer.from(m.needle.buffer, m.needle.byteOffset, m.needle.byteLength);
    let i = buf.indexOf(needle, c.ownStart);
    while (i >= 0 && i < c.ownEnd) {
      const ls = lineStart(i);
      const le = lineEnd(i);
      const ranges: number[] = [];
      while (i >= 0 && i + needle.length <= le) {
        ranges.push(i - ls, i - ls + needle.length);
        i = buf.indexOf(needle, i + Math.max(1, needle.length));
      }
      add(ls, le, ranges);
      if (items.length >= limit) return cut(le);
      if (i >= 0 && i <= le) i = buf.indexOf(needle, le + 1);
    }
    return done();
  }

  const { regex, literals } = compiledMatcher(m);
  // The matches a viewer can show: those in the decoded head of the line; in a long line whose
  // head has none, its first match wherever it is and those in the window after it (see add()).
  const cap = capBytes(maxLineChars);
  const ranges = (ls: number, le: number) => {
    const head = regex.ranges(buf, ls, le, ls + cap);
    if (head.length > 0 || le - ls <= cap) return head;
    // The Pike VM starts a window before where the DFA saw the first match end (not over all
    // that comes before it); a match longer than that window is looked for from the head on,
    // with a step budget for the whole line (startLimit = its end). Matches past the window
    // are dropped here.
    const end = regex.firstEnd(buf, ls, le);
    const near = end < 0 ? [] : regex.ranges(buf, ls, le, Math.min(le, end + cap), Math.max(ls + cap, end - cap));
    const later = near.length > 0 ? near : regex.ranges(buf, ls, le, le, ls + cap);
    const windowEnd = (later[0] ?? 0) + cap;
    let n = 0;
    while (n < later.length && later[n]! < windowEnd) n += 2;
    return later.slice(0, n);
  };
  const sample = buf.subarray(c.ownStart, Math.min(c.ownEnd, c.ownStart + 256 * 1024));
  const literal = literals.length > 0 ? rarest(literals, sample) : null;
  if (literal) {
    // Only the lines holding a byte string every match contains: found at memchr speed.
    for (let i = buf.indexOf(literal, c.ownStart); i >= 0 && i < c.ownEnd;) {
      const ls = lineStart(i);
      const le = lineEnd(i);
      if (regex.matches(buf, ls, le)) {
        add(ls, le, ranges(ls, le));
        if (items.length >= limit) return cut(le);
      }
      i = buf.indexOf(literal, le + 1);
    }
    return done();
  }
  // Every line, through the lazy DFA: one table load per byte.
  let stoppedAt = -1;
  regex.scan(buf, c.ownStart, c.ownEnd, (ls, le) => {
    add(ls, le, ranges(ls, le));
    if (items.length < limit) return true;
    stoppedAt = le;
    return false;
  });
  return stoppedAt >= 0 ? cut(stoppedAt) : done();
}

/** Newlines in each `block`-sized piece of buf[0, length): what the line index keeps. */
export function countNewlines(buf: Buffer, block: number): number[] {
  const counts = new Array<number>(Math.ceil(buf.length / block)).fill(0);
  for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, i + 1)) counts[Math.floor(i / block)]!++;
  return counts;
}
