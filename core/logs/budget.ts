import type { ByteFile } from './source.js';

/**
 * How many lines a follow turns into stream items: `perSecond` on average, `burst` at once.
 *
 * A viewer takes a few hundred thousand lines a second at best (the stream's pump sends 2,000
 * per batch, four batches in flight, and drops the oldest past 10,000), and a writer at 100 MB/s
 * appends ~750,000. Turning every line into a string and an object only for the pump to drop
 * most of them costs a core; so a follow further behind than its budget passes over the older
 * lines (a `skipped` item says which bytes, for `logs.lines` to read on demand) and follows the
 * newest.
 */
export class LineBudget {
  private tokens: number;
  private at: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.at = now();
  }

  /** Lines that may be sent now. */
  lines(): number {
    if (this.perSecond === Infinity) return Infinity;
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) * this.perSecond) / 1000);
    this.at = now;
    return Math.max(0, Math.floor(this.tokens));
  }

  spend(lines: number): void {
    this.tokens -= lines;
  }
}

const block = 64 * 1024;

/**
 * Where the last `n` complete lines of [from, size) start, reading backward from the end at most
 * `maxBytes` (-1 past that); `from` when there are no more than `n` of them. A line without
 * newline at the very end is not counted (it is still being written). `scratch` is the caller's
 * reused read buffer.
 */
export async function startOfLastLines(
  file: ByteFile,
  from: number,
  size: number,
  n: number,
  maxBytes: number,
  scratch: Buffer = Buffer.allocUnsafe(block),
): Promise<number> {
  if (size - from <= n) return from; // fewer bytes than lines allowed: nothing to pass over
  let seen = 0;
  const floor = Math.max(from, size - maxBytes);
  const step = Math.min(block, scratch.length);
  for (let hi = size; hi > floor;) {
    const lo = Math.max(floor, hi - step);
    const buf = await file.read(lo, hi - lo, scratch);
    for (let i = buf.lastIndexOf(10); i >= 0; i = i > 0 ? buf.lastIndexOf(10, i - 1) : -1) {
      if (seen++ === n) return lo + i + 1;
    }
    hi = lo;
  }
  return floor === from ? from : -1;
}
