import { spawn } from 'node:child_process';
import { describe, expect, it, vi } from 'vitest';
import { groupMembers, isAlive, listProcesses, parseStat, readStat, waitGone } from '../../../core/embedded/procfs.js';

describe('parseStat', () => {
  it('counts fields from the last parenthesis, so odd command names do not shift them', () => {
    const fields = Array.from({ length: 50 }, (_, i) => String(i + 1));
    fields[2] = 'S'; // state
    fields[3] = '10'; // ppid
    fields[4] = '4242'; // pgrp
    fields[21] = '987654'; // starttime
    fields[23] = '25'; // rss pages
    const line = `4243 (a) b (c)) ${fields.slice(2).join(' ')}\n`;
    expect(parseStat(line, 4096)).toEqual({ pid: 4243, state: 'S', ppid: 10, pgid: 4242, startTicks: 987654, rssBytes: 25 * 4096 });
  });

  it('rejects what is not a stat line', () => {
    expect(parseStat('garbage')).toBeNull();
    expect(parseStat('12 (x) S 1 2')).toBeNull();
  });
});

describe('reading /proc', () => {
  it('finds this process with its group, start time and memory', () => {
    const self = readStat(process.pid)!;
    expect(self.pid).toBe(process.pid);
    expect(self.ppid).toBe(process.ppid);
    expect(self.startTicks).toBeGreaterThan(0);
    expect(self.rssBytes).toBeGreaterThan(1024 * 1024);
    expect(isAlive(self)).toBe(true);
    expect(listProcesses().some((p) => p.pid === process.pid)).toBe(true);
    expect(readStat(2 ** 22 + 1)).toBeNull();
  });

  it('lists the live members of a group, and only those started after its leader', async () => {
    const child = spawn('bash', ['-c', 'sleep 30 & sleep 30'], { detached: true, stdio: 'ignore' });
    const pgid = child.pid!;
    try {
      const ticks = readStat(pgid)!.startTicks;
      // bash forks its background sleep: wait for it, however long a busy machine takes.
      await vi.waitFor(
        () => {
          const members = (groupMembers(new Map([[pgid, ticks]])).get(pgid) ?? []).map((p) => p.pid);
          expect(members).toContain(pgid);
          expect(members.length).toBeGreaterThanOrEqual(2);
        },
        { timeout: 10_000, interval: 10 },
      );
      // A group "started" later than all its members is not ours: a reused pgid.
      expect(groupMembers(new Map([[pgid, ticks + 1_000_000]])).size).toBe(0);
    } finally {
      process.kill(-pgid, 'SIGKILL');
    }
    expect(await waitGone(new Map([[pgid, 0]]), 2000)).toBe(true);
  });
});
