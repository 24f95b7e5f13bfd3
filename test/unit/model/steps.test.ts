/**
 * Work in steps (core/model/steps.ts) and the two indexes of a big cluster's state built with
 * it: the same result as at once, with the event loop running between slices.
 */
import { describe, expect, it } from 'vitest';
import { liveStateInSteps, liveStateOf } from '../../../core/mesos/events.js';
import { parseGetState } from '../../../core/mesos/state.js';
import { itemsPerStep, runInSteps, runNow, type Steps } from '../../../core/model/steps.js';
import { indexState, indexStateInSteps } from '../../../core/real/state-index.js';
import { generateGetState } from '../../integration/fixtures/mesos-generate.js';

function* counting(n: number, log: string[]): Steps<number> {
  let sum = 0;
  for (let i = 1; i <= n; i++) {
    sum += i;
    log.push(`slice ${i}`);
    yield;
  }
  return sum;
}

describe('work in steps', () => {
  it('gives what running it at once gives, letting other callbacks run between slices', async () => {
    const log: string[] = [];
    expect(runNow(counting(4, log))).toBe(10);
    expect(log).toEqual(['slice 1', 'slice 2', 'slice 3', 'slice 4']);
    log.length = 0;
    const done = runInSteps(counting(4, log));
    setImmediate(() => log.push('someone else'));
    expect(await done).toBe(10);
    expect(log.indexOf('someone else')).toBeGreaterThan(0);
    expect(log.indexOf('someone else')).toBeLessThan(log.length - 1);
  });

  it('rejects with what the work throws', async () => {
    function* failing(): Steps<number> {
      yield;
      throw new Error('broken slice');
    }
    await expect(runInSteps(failing())).rejects.toThrow('broken slice');
  });

  it('indexes a big state for the screens and for events as at once', async () => {
    const state = parseGetState(generateGetState({ agents: 200, tasks: 3 * itemsPerStep + 17 }), 'http://m:5050/api/v1', 1);
    expect(await indexStateInSteps(state)).toStrictEqual(indexState(state));
    const steps = await liveStateInSteps(state, { maxCompletedPerFramework: 50 });
    expect(steps).toStrictEqual(liveStateOf(state, { maxCompletedPerFramework: 50 }));
    expect(steps.tasks.size).toBe(state.tasks.length);
  });
});
