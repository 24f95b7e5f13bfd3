import { describe, expect, it } from 'vitest';
import type { CloudProvider, GroupCapacity } from '../../../core/cloud/provider.js';
import { waitForGroup } from '../../../core/cloud/wait.js';

/** A group whose in-service count follows a script, one entry per poll, on a fake clock. */
function scripted(desired: number, inService: number[]) {
  let clock = 0;
  let polls = 0;
  const provider = {
    groupCapacity: async (name: string): Promise<GroupCapacity> => {
      const n = inService[Math.min(polls++, inService.length - 1)]!;
      return { name, min: 0, max: 10, desired, inService: n, instanceIds: Array.from({ length: n }, (_, i) => `i-${i}`) };
    },
  } as unknown as CloudProvider;
  return {
    provider,
    now: () => clock,
    sleep: async (ms: number) => {
      clock += ms;
    },
    polls: () => polls,
  };
}

describe('waiting for an on-demand group', () => {
  it('ends as soon as the count is in service, reporting progress on each poll', async () => {
    const g = scripted(3, [0, 1, 3]);
    const seen: number[] = [];
    const r = await waitForGroup(g.provider, 'g', 3, { now: g.now, sleep: g.sleep, onProgress: (c) => seen.push(c.inService) });
    expect(r.reached).toBe(true);
    expect(seen).toEqual([0, 1, 3]);
  });

  it('times out with what did arrive', async () => {
    const g = scripted(3, [0, 1, 2]);
    const r = await waitForGroup(g.provider, 'g', 3, { now: g.now, sleep: g.sleep, timeoutMs: 60_000 });
    expect(r.reached).toBe(false);
    expect(r.capacity.inService).toBe(2);
    expect(r.waitedMs).toBe(60_000);
  });

  it('a scale-down is reached when no more than the count remain', async () => {
    const g = scripted(1, [3, 1]);
    expect((await waitForGroup(g.provider, 'g', 1, { now: g.now, sleep: g.sleep })).reached).toBe(true);
    expect(g.polls()).toBe(2);
  });
});
