import type { StreamBatch } from '../contract/stream.js';

export interface PumpOptions {
  /** Items held for a subscriber at most; past this the oldest are dropped and counted. */
  maxBuffered?: number;
  /** Largest batch sent at once. */
  maxBatch?: number;
  /** Batches sent but not yet acknowledged before the pump waits. */
  maxInFlight?: number;
  /** How long items gather before a batch is sent. */
  flushMs?: number;
}

export interface Pump<T> {
  /** Adds items; `cursor` is the position after the last of them. */
  push(items: readonly T[], cursor: string | null): void;
  /** The subscriber has handled one batch. */
  ack(): void;
  close(): void;
  readonly closed: boolean;
}

/**
 * Bounded, batched delivery from a source to one subscriber.
 *
 * Neither Electron's MessagePorts nor WebSockets push back on a slow reader, so flow control
 * lives here: items are coalesced into batches every `flushMs`, at most `maxInFlight` batches
 * wait for an ack, and a subscriber that falls further behind loses the oldest items, which
 * is reported as `dropped` in its next batch instead of growing memory without bound.
 */
export function createPump<T>(send: (batch: StreamBatch<T>) => void, options: PumpOptions = {}): Pump<T> {
  const maxBuffered = options.maxBuffered ?? 10_000;
  const maxBatch = options.maxBatch ?? 2_000;
  const maxInFlight = options.maxInFlight ?? 4;
  const flushMs = options.flushMs ?? 50;

  // Pending items are buffer[head..]; dropping the oldest only moves `head`, and the array is
  // compacted once most of it is behind `head`, so push stays O(1) and memory stays bounded.
  // `base` is the stream position of buffer[0].
  let buffer: T[] = [];
  let head = 0;
  let base = 0;
  // Where each push ended (a stream position) and the cursor after it, oldest first: a batch
  // carries the cursor of the last push it completes, never one past items it does not hold.
  let marks: { end: number; cursor: string | null }[] = [];
  let markHead = 0;
  /** The cursor after everything sent or dropped so far. */
  let cursor: string | null = null;
  let dropped = 0;
  let inFlight = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;

  const pending = () => buffer.length - head;

  const schedule = () => {
    if (timer !== null || closed) return;
    timer = setTimeout(flush, flushMs);
  };

  /** Moves `cursor` past every push whose last item is now sent or dropped. */
  const passMarks = () => {
    const done = base + head;
    while (markHead < marks.length && marks[markHead]!.end <= done) cursor = marks[markHead++]!.cursor;
  };

  const compact = () => {
    if (head > 4096 && head * 2 > buffer.length) {
      base += head;
      buffer = buffer.slice(head);
      head = 0;
    }
    if (markHead > 4096 && markHead * 2 > marks.length) {
      marks = marks.slice(markHead);
      markHead = 0;
    }
  };

  function flush() {
    timer = null;
    while (!closed && inFlight < maxInFlight && (pending() > 0 || dropped > 0)) {
      const n = Math.min(pending(), maxBatch);
      const items = buffer.slice(head, head + n);
      head += n;
      passMarks();
      compact();
      const batch: StreamBatch<T> = { items, cursor, dropped };
      dropped = 0;
      inFlight++;
      send(batch);
    }
  }

  return {
    push(items, at) {
      if (closed) return;
      for (const item of items) buffer.push(item);
      const end = base + buffer.length;
      const last = marks[marks.length - 1];
      if (markHead < marks.length && last!.end === end) last!.cursor = at;
      else marks.push({ end, cursor: at });
      const over = pending() - maxBuffered;
      if (over > 0) {
        head += over;
        dropped += over;
        passMarks();
        compact();
      }
      schedule();
    },
    ack() {
      if (inFlight > 0) inFlight--;
      if (pending() > 0 || dropped > 0) schedule();
    },
    close() {
      closed = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      buffer = [];
      head = 0;
      marks = [];
      markHead = 0;
    },
    get closed() {
      return closed;
    },
  };
}
