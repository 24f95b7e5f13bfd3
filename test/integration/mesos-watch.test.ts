/**
 * The Mesos side of a real cluster (core/real/mesos-watch.ts) with a big state: indexed in
 * steps before it answers, as indexed at once, and the newest state read answers last. Here "big" is lowered to one task, so the
 * example cluster takes the path a 100,000-task state takes.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { watchMesos } from '../../core/real/mesos-watch.js';
import { indexState } from '../../core/real/state-index.js';
import { example } from './fixtures/mesos-payloads.js';
import { startLeader, type LeaderRunning } from './fixtures/mesos-servers.js';

let leader: LeaderRunning;
beforeAll(async () => {
  leader = await startLeader();
});
afterAll(async () => {
  await leader.close();
});

describe('a big state', () => {
  it('answers once indexed in steps, as indexed at once, and the newest state read wins', async () => {
    const watch = watchMesos({ masters: [leader.url], pollMs: 60_000, log: () => {}, stream: false, indexInStepsFrom: 1 });
    try {
      const live = await watch.whenLive(10_000);
      expect(live).not.toBeNull();
      expect(live!.index).toStrictEqual(indexState(live!.state));
      expect(live!.index.taskById.get(example.runningTask)?.state).toBe('TASK_RUNNING');
      // Three reads in a row: each state is indexed before it answers, the last one read answers last.
      const before = live!.state;
      await Promise.all([watch.refresh(), watch.refresh(), watch.refresh()]);
      await vi.waitFor(() => expect(watch.live()!.state).not.toBe(before), { timeout: 15_000, interval: 10 });
      const after = watch.live()!;
      expect(after.state).not.toBe(before);
      expect(after.state.fetchedAt).toBeGreaterThanOrEqual(before.fetchedAt);
      expect(after.index).toStrictEqual(indexState(after.state));
      expect(watch.agents().agents.map((a) => a.hostname)).toEqual(example.agents.map((a) => a.hostname));
    } finally {
      watch.close();
    }
  });
});
