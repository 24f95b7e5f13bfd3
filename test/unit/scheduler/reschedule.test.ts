import { describe, expect, it } from 'vitest';
import {
  ancestorRun,
  flapDefaults,
  flapPenaltyMessage,
  flapped,
  flappingPenaltyMs,
  scheduleBackoffMs,
  truncatedBinaryBackoffMs,
  type AncestorRun,
} from '../../../core/scheduler/reschedule.js';

const min = 60_000;
/** A run that crashed `ms` after it started running. */
const crashedAfter = (ms: number, interrupted = false): AncestorRun => ({
  lastActiveAt: 1_000_000,
  terminalAt: 1_000_000 + ms,
  interrupted,
});
const constant = (x: number) => () => x;

describe('flapped', () => {
  it('a run shorter than the threshold flapped; one of exactly the threshold or longer did not', () => {
    expect(flapped(crashedAfter(5 * min - 1), flapDefaults.thresholdMs)).toBe(true);
    expect(flapped(crashedAfter(5 * min), flapDefaults.thresholdMs)).toBe(false);
  });
  it('a run someone restarted, killed or drained did not flap, however short', () => {
    expect(flapped(crashedAfter(1_000, true), flapDefaults.thresholdMs)).toBe(false);
  });
  it('a run that never became active did not flap', () => {
    expect(flapped({ lastActiveAt: null, terminalAt: 5, interrupted: false }, flapDefaults.thresholdMs)).toBe(false);
  });
});

describe('ancestorRun', () => {
  it('takes the latest active event before the terminal one', () => {
    const run = ancestorRun([
      { state: 'PENDING', at: 0 },
      { state: 'ASSIGNED', at: 10 },
      { state: 'STARTING', at: 20 },
      { state: 'RUNNING', at: 30 },
      { state: 'FAILED', at: 90 },
    ]);
    expect(run).toEqual({ lastActiveAt: 30, terminalAt: 90, interrupted: false });
  });
  it('notices a restart, kill or drain anywhere in the history', () => {
    for (const s of ['RESTARTING', 'KILLING', 'DRAINING'] as const) {
      const run = ancestorRun([
        { state: 'RUNNING', at: 30 },
        { state: s, at: 40 },
        { state: 'KILLED', at: 50 },
      ]);
      expect(run?.interrupted, s).toBe(true);
    }
  });
  it('returns null without events or for a task not terminated', () => {
    expect(ancestorRun([])).toBeNull();
    expect(ancestorRun([{ state: 'RUNNING', at: 30 }])).toBeNull();
  });
});

describe('truncatedBinaryBackoffMs', () => {
  it('starts in [initial, 2·initial], then grows by a factor in [1, 2], capped', () => {
    expect(truncatedBinaryBackoffMs(0, 30_000, 300_000, constant(0))).toBe(30_000);
    expect(truncatedBinaryBackoffMs(0, 30_000, 300_000, constant(0.5))).toBe(45_000);
    expect(truncatedBinaryBackoffMs(45_000, 30_000, 300_000, constant(0.5))).toBe(67_500);
    expect(truncatedBinaryBackoffMs(200_000, 30_000, 300_000, constant(0.9))).toBe(300_000);
  });
});

describe('flappingPenaltyMs', () => {
  it('is 0 without ancestors, or when the latest ancestor did not flap even if older ones did', () => {
    expect(flappingPenaltyMs([], constant(0.5))).toBe(0);
    expect(flappingPenaltyMs([crashedAfter(10 * min), crashedAfter(1_000), crashedAfter(1_000)], constant(0.5))).toBe(0);
    expect(flappingPenaltyMs([null, crashedAfter(1_000)], constant(0.5))).toBe(0);
  });

  it('one flapped ancestor costs between 30 s and 60 s', () => {
    expect(flappingPenaltyMs([crashedAfter(1_000)], constant(0))).toBe(30_000);
    expect(flappingPenaltyMs([crashedAfter(1_000)], constant(0.999_99))).toBe(60_000);
  });

  it('grows with each consecutive flapped ancestor and stops at the first that did not flap', () => {
    const flapping = [crashedAfter(1_000), crashedAfter(2_000), crashedAfter(3_000)];
    expect(flappingPenaltyMs(flapping, constant(0.5))).toBe(101_250); // 45 000 → 67 500 → 101 250
    expect(flappingPenaltyMs([...flapping.slice(0, 2), crashedAfter(1_000, true), crashedAfter(1)], constant(0.5))).toBe(67_500);
  });

  it('never exceeds the 5 minute cap, and stops walking the chain once it is reached', () => {
    let draws = 0;
    const random = () => {
      draws++;
      return 0.999;
    };
    const chain = Array.from({ length: 50 }, () => crashedAfter(1_000));
    expect(flappingPenaltyMs(chain, random)).toBe(5 * min);
    // 30 s doubling: 60, 120, 240, 300 (capped), then one more draw that cannot grow it.
    expect(draws).toBe(5);
  });

  it('honours other settings', () => {
    const settings = { thresholdMs: 1_000, initialDelayMs: 100, maxDelayMs: 150 };
    expect(flappingPenaltyMs([crashedAfter(999), crashedAfter(1)], constant(0), settings)).toBe(100);
    expect(flappingPenaltyMs([crashedAfter(1_000)], constant(0), settings)).toBe(0);
    expect(flappingPenaltyMs([crashedAfter(1), crashedAfter(1)], constant(0.9), settings)).toBe(150);
  });

  it('reads like Aurora in the THROTTLED event', () => {
    expect(flapPenaltyMessage(45_000)).toBe('Rescheduled, penalized for 45000 ms for flapping');
  });
});

describe('scheduleBackoffMs', () => {
  it('is 0 after a round that placed something, then doubles from 1 s to the 1 min cap', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8].map(scheduleBackoffMs)).toEqual([0, 1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]);
    expect(scheduleBackoffMs(10_000)).toBe(60_000);
    expect(scheduleBackoffMs(-3)).toBe(0);
  });
});
