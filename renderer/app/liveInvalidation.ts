import type { ClusterEvent } from '../../core/contract';
import type { ClusterKind } from '../api/keys';

const everything: readonly ClusterKind[] = ['agents', 'overview', 'jobs', 'tasks', 'pools', 'instances', 'operations', 'holds', 'audit'];

/**
 * Which cached kinds of object an event can make stale. `pushed`: the `cluster.changes` stream
 * is open and writes agents, attempts and the overview into the cache itself, so the events
 * that only say "something moved" need not refetch them.
 */
export function kindsTouchedBy(kind: ClusterEvent['kind'], pushed = false): readonly ClusterKind[] {
  switch (kind) {
    case 'agent.registered':
    case 'agent.removed':
      // A pool counts its agents, and each machine shows the agent registered from it.
      return pushed ? ['pools', 'instances'] : ['agents', 'overview', 'pools', 'instances'];
    case 'job.created':
    case 'job.killed':
      return ['jobs', 'overview', 'tasks'];
    case 'task.state':
      // Agents carry what their tasks hold, so a task starting or ending changes their bars too.
      // Pools count running tasks as well, but refetching them can mean cloud calls: they poll.
      return pushed ? [] : ['agents', 'overview', 'jobs', 'tasks'];
    case 'operation.changed':
      // A scaling operation moved on: its progress, the journal, and the machines it touches.
      return ['operations', 'audit', 'pools', 'instances'];
    case 'hold.changed':
      return ['holds', 'audit', 'pools', 'instances'];
    case 'profile.opened':
      return [];
  }
}

/** What is stale since the last flush: the kinds, and the newest event (Infinity after a gap). */
export interface Stale {
  kinds: Set<ClusterKind>;
  latestAt: number;
}

export interface Timers {
  now: () => number;
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
}

const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/**
 * Collects what events make stale and flushes it at most once per `intervalMs`: the first
 * batch after a quiet spell is flushed at once, a flood of task events becomes one refetch
 * per interval rather than one per event.
 */
export function createStaleCollector(flush: (stale: Stale) => void, intervalMs: number, timers: Timers = realTimers) {
  let pending: Stale | null = null;
  let lastFlush = -Infinity;
  let timer: unknown = null;

  const run = () => {
    timer = null;
    if (!pending) return;
    const stale = pending;
    pending = null;
    lastFlush = timers.now();
    flush(stale);
  };

  return {
    add(events: readonly ClusterEvent[], dropped: number, pushed = false) {
      const kinds = new Set<ClusterKind>(dropped > 0 ? everything : []);
      let latestAt = dropped > 0 ? Infinity : -Infinity;
      for (const e of events) {
        const touched = kindsTouchedBy(e.kind, pushed);
        for (const k of touched) kinds.add(k);
        if (touched.length > 0) latestAt = Math.max(latestAt, e.at);
      }
      if (kinds.size === 0) return;
      if (pending) {
        for (const k of kinds) pending.kinds.add(k);
        pending.latestAt = Math.max(pending.latestAt, latestAt);
      } else {
        pending = { kinds, latestAt };
      }
      if (timer !== null) return;
      const wait = lastFlush + intervalMs - timers.now();
      if (wait <= 0) run();
      else timer = timers.setTimeout(run, wait);
    },
    stop() {
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
      pending = null;
    },
  };
}
