/**
 * A state's bytes on their way to the parsing thread (state-worker.ts) while they download or
 * stream in, so the main thread never holds or joins them whole.
 */

/** Where a StateFeed's bytes go once a parse took it. */
export interface FeedOutlet {
  chunk(bytes: Uint8Array): void;
  end(fetchedAt: number): void;
  abort(): void;
}

/**
 * A body handed to the thread as it downloads, so the main thread never holds or joins it whole
 * (joining 290 MB was 375–635 ms of main-thread stall). Chunks are packed into ~1 MiB
 * ArrayBuffers, each transferred, not copied, to the thread: a decoded HTTP chunk is 16–64 KiB
 * and usually a view into a buffer it shares (gunzip's output, the socket's read), so sending
 * each as it comes would be ~20,000 messages and copies for a 290 MB state; packing is one
 * memcpy per chunk and ~300 messages. A big chunk that owns its whole ArrayBuffer goes as it is.
 * Pushed before a parse takes it, the chunks wait here; after the parse failed, they are dropped.
 */
export class StateFeed {
  /** Bytes pushed so far. */
  bytes = 0;
  private batch: Uint8Array | null = null;
  private used = 0;
  private waiting: Uint8Array[] = [];
  private outlet: FeedOutlet | null = null;
  private over: 'ended' | 'aborted' | 'dropped' | null = null;
  private endedAt = 0;

  push(chunk: Buffer): void {
    if (this.over !== null) return;
    this.bytes += chunk.length;
    const owns = chunk.byteOffset === 0 && chunk.buffer.byteLength === chunk.length && chunk.buffer instanceof ArrayBuffer;
    if (owns && chunk.length >= feedBatchBytes / 4) {
      this.flush();
      this.out(new Uint8Array(chunk.buffer, 0, chunk.length));
      return;
    }
    let at = 0;
    while (at < chunk.length) {
      this.batch ??= new Uint8Array(feedBatchBytes);
      const n = Math.min(chunk.length - at, feedBatchBytes - this.used);
      this.batch.set(chunk.subarray(at, at + n), this.used);
      this.used += n;
      at += n;
      if (this.used === feedBatchBytes) this.flush();
    }
  }

  /** The body is complete: parse it (as fetched now). */
  end(fetchedAt = Date.now()): void {
    if (this.over !== null) return;
    this.flush();
    this.over = 'ended';
    this.endedAt = fetchedAt;
    this.outlet?.end(fetchedAt);
  }

  /** The download failed or is not wanted: the parse rejects, the bytes are forgotten. */
  abort(): void {
    if (this.over === 'aborted' || this.over === 'dropped') return;
    const wasOver = this.over;
    this.over = 'aborted';
    this.batch = null;
    this.waiting = [];
    if (wasOver === null) this.outlet?.abort();
  }

  /** For the worker: sends what waited, then each chunk as it comes. */
  attach(outlet: FeedOutlet): void {
    if (this.outlet) throw new Error('This state feed is being parsed already.');
    this.outlet = outlet;
    for (const b of this.waiting) outlet.chunk(b);
    this.waiting = [];
    if (this.over === 'ended') outlet.end(this.endedAt);
    else if (this.over === 'aborted') outlet.abort();
  }

  /** For the worker: the parse is over (failed), later chunks go nowhere. */
  detach(): void {
    if (this.over === null) this.over = 'dropped';
    this.outlet = null;
    this.batch = null;
    this.waiting = [];
  }

  private flush(): void {
    if (!this.batch || this.used === 0) return;
    const b = this.used === this.batch.length ? this.batch : this.batch.subarray(0, this.used);
    this.batch = null;
    this.used = 0;
    this.out(b);
  }

  private out(b: Uint8Array): void {
    if (this.outlet) this.outlet.chunk(b);
    else this.waiting.push(b);
  }
}

/** The size of the ArrayBuffers a StateFeed packs chunks into. */
const feedBatchBytes = 1024 * 1024;
