import type { CloudProvider, GroupCapacity } from './provider.js';

export interface GroupWaitOptions {
  /** Default 5 minutes, the on-call guide's SCALE_TIMEOUT. */
  timeoutMs?: number;
  /** First poll interval; it grows to 30 s so a long wait does not eat the Describe budget. */
  intervalMs?: number;
  onProgress?: (capacity: GroupCapacity) => void;
  signal?: AbortSignal;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface GroupWaitResult {
  reached: boolean;
  /** The last capacity seen: on a timeout, what did and did not arrive. */
  capacity: GroupCapacity;
  waitedMs: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Polls until exactly `count` members of the group are InService and Healthy. The SDK's
 * waitUntilGroupInService compares against MinSize, not the count asked for, so it cannot be used.
 */
export async function waitForGroup(
  provider: CloudProvider,
  group: string,
  count: number,
  opts: GroupWaitOptions = {},
): Promise<GroupWaitResult> {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? defaultSleep;
  const timeoutMs = opts.timeoutMs ?? 5 * 60_000;
  const start = now();
  let interval = opts.intervalMs ?? 5_000;
  for (;;) {
    const capacity = await provider.groupCapacity(group);
    opts.onProgress?.(capacity);
    const waitedMs = now() - start;
    // Both ways at once: up is done when `count` serve, down when no more than `count` remain
    // (members protected from scale-in stay, and the timeout then reports them).
    const reached = capacity.inService >= count && capacity.instanceIds.length <= count;
    if (reached || waitedMs >= timeoutMs || opts.signal?.aborted) return { reached, capacity, waitedMs };
    await sleep(Math.min(interval, timeoutMs - waitedMs));
    interval = Math.min(interval * 1.5, 30_000);
  }
}
