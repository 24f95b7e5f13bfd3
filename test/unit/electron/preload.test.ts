import type { MessagePort } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { CantareiraBridge } from '../../../core/contract/bridge.js';
import type { ClientStreamMessage, ServerStreamMessage } from '../../../core/contract/stream.js';

const electron = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  ipcRenderer: {
    invoke: vi.fn<(channel: string, ...args: unknown[]) => Promise<unknown>>(),
    postMessage: vi.fn<(channel: string, message: unknown, transfer?: unknown[]) => void>(),
    on: vi.fn(),
    send: vi.fn(),
  },
}));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => electron.exposed.set(key, api) },
  ipcRenderer: electron.ipcRenderer,
}));

let bridge: CantareiraBridge;
/** Main's end of the stream channel, as the preload transferred it. */
let mainEnd: MessagePort | null;
let fromPreload: ClientStreamMessage[];

beforeEach(async () => {
  vi.resetModules();
  vi.clearAllMocks();
  electron.exposed.clear();
  mainEnd = null;
  fromPreload = [];
  electron.ipcRenderer.postMessage.mockImplementation((_channel, _message, transfer) => {
    mainEnd = transfer![0] as MessagePort;
    mainEnd.on('message', (msg: ClientStreamMessage) => fromPreload.push(msg));
  });
  await import('../../../electron/preload.js');
  bridge = electron.exposed.get('cantareira') as CantareiraBridge;
});

afterEach(() => mainEnd?.close());

const toPreload = (msg: ServerStreamMessage) => mainEnd!.postMessage(msg);
const batch = (id: number, items: unknown[]): ServerStreamMessage => ({ t: 'batch', id, batch: { items, cursor: null, dropped: 0 } });
/** Port messages take event-loop turns to arrive, as many as a busy machine needs: wait for them, not for a time. */
const arrived = (check: () => void) => vi.waitFor(check, { timeout: 10_000, interval: 2 });
/**
 * Resolves once the preload has handled everything main sent before: a batch to a fresh
 * witness subscription comes back acked, and a port delivers in order. The witness's own
 * messages are taken out of `fromPreload`.
 */
async function handled(): Promise<void> {
  const seen = fromPreload.length;
  bridge.subscribe('witness', {}, () => {});
  let id = 0;
  await arrived(() => {
    const sub = fromPreload.slice(seen).find((m) => m.t === 'sub' && m.name === 'witness');
    expect(sub).toBeDefined();
    id = sub!.id;
  });
  toPreload(batch(id, []));
  await arrived(() => expect(fromPreload).toContainEqual({ t: 'ack', id }));
  fromPreload = fromPreload.filter((m) => m.id !== id);
}

describe('what the page sees', () => {
  test('window.cantareira has call, subscribe and host, and nothing else', () => {
    expect([...electron.exposed.keys()]).toEqual(['cantareira']);
    expect(Object.keys(bridge).sort()).toEqual(['call', 'host', 'subscribe']);
    expect(bridge.host).toBe('electron');
    expect(Object.values(bridge)).not.toContain(electron.ipcRenderer);
  });

  test('the preload listens on no ipcRenderer channel, so no IpcRendererEvent can reach the page', async () => {
    bridge.subscribe('events', {}, () => {});
    await bridge.call('app.status', {});
    expect(electron.ipcRenderer.on).not.toHaveBeenCalled();
    expect(electron.ipcRenderer.send).not.toHaveBeenCalled();
  });
});

describe('call', () => {
  test('invokes the call channel with {name, input} and resolves to main’s result', async () => {
    electron.ipcRenderer.invoke.mockResolvedValue({ ok: true, data: { version: '1' } });
    await expect(bridge.call('app.status', { a: 1 })).resolves.toEqual({ ok: true, data: { version: '1' } });
    expect(electron.ipcRenderer.invoke).toHaveBeenCalledWith('cantareira:call', { name: 'app.status', input: { a: 1 } });
  });

  test('a transport failure resolves to an error result instead of rejecting', async () => {
    electron.ipcRenderer.invoke.mockRejectedValue(new Error('An object could not be cloned.'));
    const result = await bridge.call('app.status', () => {});
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: expect.stringContaining('could not be cloned') } });
  });
});

describe('subscribe', () => {
  test('opens one stream channel per window, however many subscriptions', () => {
    bridge.subscribe('events', {}, () => {});
    bridge.subscribe('events', { after: 5 }, () => {});
    expect(electron.ipcRenderer.postMessage).toHaveBeenCalledTimes(1);
    expect(electron.ipcRenderer.postMessage.mock.calls[0]![0]).toBe('cantareira:streams');
    expect(electron.ipcRenderer.postMessage.mock.calls[0]![2]).toHaveLength(1);
  });

  test('sends sub with a fresh id per subscription', async () => {
    bridge.subscribe('events', {}, () => {});
    bridge.subscribe('events', { after: 5 }, () => {});
    await arrived(() =>
      expect(fromPreload).toEqual([
        { t: 'sub', id: 1, name: 'events', input: {} },
        { t: 'sub', id: 2, name: 'events', input: { after: 5 } },
      ]),
    );
  });

  test('hands each batch, and only the batch, to its subscriber, then acks it', async () => {
    const received: unknown[][] = [];
    const other: unknown[][] = [];
    bridge.subscribe('events', {}, (...args) => received.push(args));
    bridge.subscribe('events', {}, (...args) => other.push(args));
    await arrived(() => expect(fromPreload).toHaveLength(2));
    fromPreload = [];

    toPreload(batch(1, ['a']));
    toPreload(batch(1, ['b']));
    await handled();

    expect(received).toEqual([[{ items: ['a'], cursor: null, dropped: 0 }], [{ items: ['b'], cursor: null, dropped: 0 }]]);
    expect(other).toEqual([]);
    expect(fromPreload).toEqual([
      { t: 'ack', id: 1 },
      { t: 'ack', id: 1 },
    ]);
  });

  test('an error reaches onError alone, ends the subscription, and is not acked', async () => {
    const errors: unknown[][] = [];
    const batches: unknown[] = [];
    const unsubscribe = bridge.subscribe(
      'nope',
      {},
      (b) => batches.push(b),
      (...args) => errors.push(args),
    );
    await arrived(() => expect(fromPreload).toHaveLength(1));
    fromPreload = [];

    toPreload({ t: 'error', id: 1, error: { code: 'CONTRACT_UNKNOWN_STREAM', message: 'There is no stream named "nope".' } });
    toPreload(batch(1, ['late']));
    await handled();

    expect(errors).toEqual([[{ code: 'CONTRACT_UNKNOWN_STREAM', message: 'There is no stream named "nope".' }]]);
    expect(batches).toEqual([]);
    unsubscribe();
    await handled();
    expect(fromPreload).toEqual([]);
  });

  test('unsubscribe sends unsub once, and later batches are neither delivered nor acked', async () => {
    const batches: unknown[] = [];
    const unsubscribe = bridge.subscribe('events', {}, (b) => batches.push(b));
    await arrived(() => expect(fromPreload).toHaveLength(1));
    fromPreload = [];

    unsubscribe();
    unsubscribe();
    toPreload(batch(1, ['late']));
    await handled();

    expect(fromPreload).toEqual([{ t: 'unsub', id: 1 }]);
    expect(batches).toEqual([]);
  });

  test('refuses a subscription without a batch callback', () => {
    expect(() => bridge.subscribe('events', {}, undefined as never)).toThrow(TypeError);
    expect(electron.ipcRenderer.postMessage).not.toHaveBeenCalled();
  });
});
