import v8 from 'node:v8';
import vm from 'node:vm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StreamBatch } from '../../../core/contract/stream.js';
import { createPump, type PumpOptions } from '../../../core/stream/pump.js';

function pumpOf(options: PumpOptions) {
  const batches: StreamBatch<number>[] = [];
  const pump = createPump<number>((b) => batches.push(b), options);
  return { pump, batches };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('the stream pump', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('gathers many small pushes into one batch per flush interval', () => {
    const { pump, batches } = pumpOf({ flushMs: 50 });
    for (let i = 1; i <= 500; i++) pump.push([i], String(i));
    expect(batches).toEqual([]);

    vi.advanceTimersByTime(49);
    expect(batches).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(batches).toEqual([{ items: range(1, 500), cursor: '500', dropped: 0 }]);
  });

  it('never sends a batch larger than maxBatch', () => {
    const { pump, batches } = pumpOf({ flushMs: 10, maxBatch: 100, maxInFlight: 100 });
    for (let i = 1; i <= 250; i++) pump.push([i], String(i));
    vi.advanceTimersByTime(10);
    expect(batches.map((b) => b.items.length)).toEqual([100, 100, 50]);
    expect(batches.flatMap((b) => b.items)).toEqual(range(1, 250));
  });

  it('each batch carries the cursor right after its own last item', () => {
    const { pump, batches } = pumpOf({ flushMs: 10, maxBatch: 10, maxInFlight: 100 });
    for (let i = 0; i < 5; i++) pump.push(range(i * 5 + 1, i * 5 + 5), String(i * 5 + 5));
    vi.advanceTimersByTime(10);
    expect(batches).toEqual([
      { items: range(1, 10), cursor: '10', dropped: 0 },
      { items: range(11, 20), cursor: '20', dropped: 0 },
      { items: range(21, 25), cursor: '25', dropped: 0 },
    ]);
  });

  it('a batch that ends inside one push carries the cursor before that push, so resuming re-reads rather than skips', () => {
    const { pump, batches } = pumpOf({ flushMs: 10, maxBatch: 10, maxInFlight: 100 });
    pump.push(range(1, 5), 'after-5');
    pump.push(range(6, 25), 'after-25');
    vi.advanceTimersByTime(10);
    expect(batches.map((b) => b.cursor)).toEqual(['after-5', 'after-5', 'after-25']);
    expect(batches.flatMap((b) => b.items)).toEqual(range(1, 25));
  });

  it('waits for an ack once maxInFlight batches are unacknowledged', () => {
    const { pump, batches } = pumpOf({ flushMs: 10, maxBatch: 10, maxInFlight: 2 });
    pump.push(range(1, 45), '45');
    vi.advanceTimersByTime(10);
    expect(batches).toHaveLength(2);

    vi.advanceTimersByTime(10_000);
    pump.push([46], '46');
    vi.advanceTimersByTime(10_000);
    expect(batches).toHaveLength(2);

    pump.ack();
    vi.advanceTimersByTime(10);
    expect(batches).toHaveLength(3);
    pump.ack();
    pump.ack();
    vi.advanceTimersByTime(10);
    expect(batches).toHaveLength(5);
    expect(batches.flatMap((b) => b.items)).toEqual(range(1, 46));
    expect(batches.at(-1)!.cursor).toBe('46');
    expect(batches.every((b) => b.dropped === 0)).toBe(true);
  });

  it('a subscriber that falls behind loses the oldest items and is told how many in its next batch', () => {
    const { pump, batches } = pumpOf({ flushMs: 10, maxBatch: 1000, maxInFlight: 1, maxBuffered: 100 });
    pump.push(range(1, 10), '10');
    vi.advanceTimersByTime(10);
    expect(batches).toEqual([{ items: range(1, 10), cursor: '10', dropped: 0 }]);

    // Not acknowledged: 250 more arrive, only the newest 100 are kept.
    for (let i = 11; i <= 260; i++) pump.push([i], String(i));
    vi.advanceTimersByTime(1000);
    expect(batches).toHaveLength(1);

    pump.ack();
    vi.advanceTimersByTime(10);
    expect(batches[1]).toEqual({ items: range(161, 260), cursor: '260', dropped: 150 });

    pump.ack();
    pump.push([261], '261');
    vi.advanceTimersByTime(10);
    expect(batches[2]).toEqual({ items: [261], cursor: '261', dropped: 0 });
  });

  it('close stops delivery: nothing pending is sent and later pushes are ignored', () => {
    const { pump, batches } = pumpOf({ flushMs: 10, maxBatch: 10, maxInFlight: 1 });
    pump.push(range(1, 30), '30');
    vi.advanceTimersByTime(10);
    expect(batches).toHaveLength(1);
    pump.push([31], '31');

    pump.close();
    expect(pump.closed).toBe(true);
    pump.ack();
    pump.push([32], '32');
    vi.advanceTimersByTime(10_000);
    expect(batches).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('the stream pump under a stalled subscriber', () => {
  // Needs a real garbage collector; `--expose-gc` cannot be passed to vitest's workers here.
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;

  it('does not keep items it has already dropped', async () => {
    let sent!: () => void;
    const firstOut = new Promise<void>((resolve) => (sent = resolve));
    const pump = createPump<object>(() => sent(), { flushMs: 1, maxInFlight: 1, maxBuffered: 10 });
    pump.push([{}], '0');
    await firstOut; // one batch out, never acknowledged

    const firstDropped = new WeakRef({ n: 1 });
    pump.push([firstDropped.deref()!], '1');
    for (let i = 2; i <= 20_000; i++) pump.push([{ n: i }], String(i));

    await new Promise((r) => setTimeout(r, 0));
    gc();
    expect(firstDropped.deref()).toBeUndefined();
    pump.close();
  });
});
