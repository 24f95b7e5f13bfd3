import { ConsoleError } from '../errors.js';
import type { ScanPool } from './scan-pool.js';
import type { ByteFile, FileInfo, IndexProgress, SandboxFiles } from './source.js';

/** One checkpoint per block: 16k per GiB, 128 KiB of memory per GiB of log. */
const block = 64 * 1024;
/** Blocks per job: 4 MiB, as a search chunk. */
const jobBlocks = 64;

interface Entry {
  id: string | null;
  /** cp[k] = newlines before byte k·block, for k ≤ blocks. */
  cp: Float64Array;
  blocks: number;
  /** The file size the finished part describes; the bytes past blocks·block are counted below. */
  size: number;
  tailNewlines: number;
  endsWithNewline: boolean;
  building: Promise<void> | null;
  error: unknown;
  /** Told when the index grows or its build ends (goto-line waits for its line to be covered). */
  waiters: (() => void)[];
}

const fresh = (id: string | null): Entry => ({
  id,
  cp: new Float64Array(1024),
  blocks: 0,
  size: 0,
  tailNewlines: 0,
  endsWithNewline: true,
  building: null,
  error: null,
  waiters: [],
});

/** Past this many bytes to index, a remote file is downloaded in one request rather than read in 64 KiB ranges. */
const streamAbove = 8 * 1024 * 1024;

const total = (e: Entry) => e.cp[e.blocks]! + e.tailNewlines + (e.size > 0 && !e.endsWithNewline ? 1 : 0);

/**
 * Sparse line indexes of the files viewed lately, for goto-line and line numbers: the number of
 * newlines before every 64 KiB boundary, counted by the scan pool in the background. A file that
 * grew is extended from where the index ended; one that shrank or was replaced starts over.
 */
export class LineIndexes {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly pool: ScanPool,
    private readonly maxFiles = 16,
  ) {}

  /** How far the index of `rel` is; starts or extends it in the background. */
  async progress(files: SandboxFiles, key: string, rel: string): Promise<IndexProgress> {
    const info = await files.infoOf(rel);
    if (!info) throw new ConsoleError('SANDBOX_NOT_FOUND', `"${rel}" is no longer in the task's sandbox.`, 'List the sandbox again.');
    const e = this.entry(key, info);
    if (e.error !== null) {
      const error = e.error;
      this.entries.delete(key);
      throw error;
    }
    if (!e.building && e.size !== info.size) this.build(e, files, rel);
    const done = !e.building && e.size === info.size;
    return done
      ? { size: info.size, indexed: info.size, lines: total(e), done }
      : { size: info.size, indexed: e.blocks * block, lines: e.cp[e.blocks]!, done };
  }

  /**
   * Where 1-based line `n` starts (the last line when there are fewer). Answers as soon as the
   * index covers the line, not when it is complete: from the checkpoint before it, scanning at
   * most a block. A line past what the index covers once it is built (the file grew since) is
   * found by scanning on from the last checkpoint, so goto-line works on a growing file.
   */
  async lineStart(files: SandboxFiles, key: string, rel: string, n: number): Promise<{ offset: number; line: number }> {
    await this.progress(files, key, rel);
    const e = this.entries.get(key)!;
    const target = n - 1; // newlines before the line
    if (target === 0) return { offset: 0, line: 1 };
    while (e.building && e.cp[e.blocks]! < target) await new Promise<void>((resolve) => e.waiters.push(resolve));
    if (e.error !== null) throw e.error;
    let lo = 0;
    let hi = e.blocks;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (e.cp[mid]! < target) lo = mid;
      else hi = mid - 1;
    }
    const file = await files.open(rel);
    try {
      let need = target - e.cp[lo]!;
      // The start of the line before the last newline seen, and of the one after it.
      let previous = lo * block;
      let current = lo * block;
      let end = lo * block;
      for (let at = lo * block; ; at += block) {
        const buf = await file.read(at, block);
        if (buf.length === 0) {
          const before = target - need; // newlines before `current`
          return end > current ? { offset: current, line: before + 1 } : { offset: previous, line: Math.max(1, before) };
        }
        end = at + buf.length;
        for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, i + 1)) {
          if (--need === 0) return { offset: at + i + 1, line: n };
          previous = current;
          current = at + i + 1;
        }
      }
    } finally {
      await file.close();
    }
  }

  /** The 1-based number of the line starting at `offset`, when the index covers it; else null. */
  async lineNumberAt(file: ByteFile, key: string, id: string | null, offset: number): Promise<number | null> {
    const e = this.entries.get(key);
    if (!e || e.id !== id) return null;
    const k = Math.floor(offset / block);
    if (k > e.blocks || offset > Math.max(e.size, e.blocks * block)) return null;
    const buf = await file.read(k * block, offset - k * block);
    let n = e.cp[k]!;
    for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, i + 1)) n++;
    return n + 1;
  }

  private entry(key: string, info: FileInfo): Entry {
    let e = this.entries.get(key);
    if (e && !e.building && (e.id !== info.id || info.size < e.size)) e = undefined;
    if (!e) {
      e = fresh(info.id);
      this.entries.set(key, e);
      for (const [k, old] of this.entries) {
        if (this.entries.size <= this.maxFiles) break;
        if (!old.building) this.entries.delete(k);
      }
    }
    // Most recently used last, so the loop above drops the least recently used.
    this.entries.delete(key);
    this.entries.set(key, e);
    return e;
  }

  private build(e: Entry, files: SandboxFiles, rel: string): void {
    const run = async () => {
      const file = await files.open(rel);
      const controller = new AbortController();
      const inflight: Promise<number[]>[] = [];
      try {
        const { size } = await file.info();
        if (file.stream && size - e.blocks * block > streamAbove && (await this.download(e, file, controller.signal))) return;
        const full = Math.floor(size / block);
        let next = e.blocks;
        const fill = () => {
          while (inflight.length < this.pool.parallelism * 2 && next < full) {
            const end = Math.min(full, next + jobBlocks);
            const job = this.pool.count(file, { start: next * block, end: end * block, size, first: true }, block, controller.signal);
            job.catch(() => {});
            inflight.push(job);
            next = end;
          }
        };
        fill();
        while (inflight.length > 0) {
          for (const c of await inflight.shift()!) this.append(e, c);
          fill();
        }
        const tailStart = e.blocks * block;
        const tail = await file.read(Math.max(0, tailStart - 1), size - Math.max(0, tailStart - 1));
        let n = 0;
        for (let i = tail.indexOf(10, tailStart > 0 ? 1 : 0); i >= 0; i = tail.indexOf(10, i + 1)) n++;
        e.tailNewlines = n;
        e.endsWithNewline = size === 0 || tail[tail.length - 1] === 10;
        e.size = size;
      } finally {
        controller.abort();
        await Promise.allSettled(inflight);
        await file.close();
      }
    };
    e.building = run()
      .catch((err: unknown) => {
        e.error = err;
      })
      .finally(() => {
        e.building = null;
        for (const w of e.waiters.splice(0)) w();
      });
  }

  /**
   * Indexes a remote file from one download (`ByteFile.stream`) instead of a request per 64 KiB:
   * newlines are counted as the bytes arrive (memchr speed, a chunk at a time, so the event loop
   * keeps turning), and each finished block is a checkpoint goto-line can use at once. What the
   * index already covers is passed over. False when the backend refuses: read ranges instead.
   */
  private async download(e: Entry, file: ByteFile, signal: AbortSignal): Promise<boolean> {
    const start = e.blocks * block;
    let pos = 0;
    let inBlock = 0;
    let last = 10;
    const stream = file.stream?.bind(file);
    if (!stream) return false;
    const got = await stream((c) => {
      let i = 0;
      if (pos < start) {
        i = Math.min(c.length, start - pos);
        pos += i;
      }
      while (i < c.length) {
        const blockEnd = (Math.floor(pos / block) + 1) * block;
        const end = i + Math.min(c.length - i, blockEnd - pos);
        for (let j = c.indexOf(10, i); j >= 0 && j < end; j = c.indexOf(10, j + 1)) inBlock++;
        pos += end - i;
        i = end;
        if (pos === blockEnd) {
          this.append(e, inBlock);
          inBlock = 0;
        }
      }
      if (c.length > 0) last = c[c.length - 1]!;
    }, signal);
    if (got === null) return false;
    if (pos < start) {
      // Shorter than what was indexed: replaced or truncated meanwhile. Start over next time.
      e.blocks = 0;
      e.size = -1;
      return true;
    }
    e.tailNewlines = inBlock;
    e.endsWithNewline = pos === 0 || last === 10;
    e.size = pos;
    return true;
  }

  private append(e: Entry, newlines: number): void {
    if (e.blocks + 1 >= e.cp.length) {
      const grown = new Float64Array(e.cp.length * 2);
      grown.set(e.cp);
      e.cp = grown;
    }
    e.cp[e.blocks + 1] = e.cp[e.blocks]! + newlines;
    e.blocks++;
    for (const w of e.waiters.splice(0)) w();
  }
}
