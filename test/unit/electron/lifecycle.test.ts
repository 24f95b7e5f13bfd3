import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { handleStops, stopSignals } from '../../../electron/lifecycle.js';

function fakeProcess() {
  const emitter = new EventEmitter();
  return Object.assign(emitter, { exit: vi.fn() });
}

/** A close that the test finishes when it wants, to see what happens while it runs. */
function slowClose() {
  let finish!: () => void;
  const close = vi.fn(() => new Promise<void>((r) => (finish = r)));
  return { close, finish: () => finish() };
}

describe('how a host stops', () => {
  it.each(stopSignals)('%s stops the tasks and closes the store once, then the host exits with 0', async (signal) => {
    const proc = fakeProcess();
    const { close, finish } = slowClose();
    const life = handleStops(proc, close, () => {});
    proc.emit(signal);
    // The same signal again (npm start forwards what the process group already got) waits for the same stop.
    proc.emit(signal);
    proc.emit('SIGTERM');
    expect(close).toHaveBeenCalledTimes(1);
    finish();
    expect(await life.stopped).toBe(0);
  });

  it('an uncaught exception or rejection stops the tasks before the host exits with 1', async () => {
    for (const event of ['uncaughtException', 'unhandledRejection']) {
      const proc = fakeProcess();
      const close = vi.fn(async () => {});
      const logged: string[] = [];
      const life = handleStops(proc, close, (msg) => logged.push(msg));
      proc.emit(event, new Error('boom'));
      expect(await life.stopped).toBe(1);
      expect(close).toHaveBeenCalledTimes(1);
      expect(logged.join('\n')).toMatch(/stopping the cluster's tasks before exiting/);
    }
  });

  it('a close that fails still ends the host, with 1, and is not tried twice', async () => {
    const proc = fakeProcess();
    const close = vi.fn(async () => {
      throw new Error('disk gone');
    });
    const life = handleStops(proc, close, () => {});
    proc.emit('SIGINT');
    proc.emit('uncaughtException', new Error('after'));
    expect(await life.stopped).toBe(1);
    expect(close).toHaveBeenCalledTimes(1);
  });
});
