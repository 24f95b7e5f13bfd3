import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { CallResult } from '../../../core/contract/errors.js';
import type { ServerStreamMessage } from '../../../core/contract/stream.js';
import { createStreamSession, type OpenStream } from '../../../core/stream/session.js';

const electron = vi.hoisted(() => {
  const handlers = new Map<string, (...args: unknown[]) => unknown>();
  const listeners = new Map<string, (...args: unknown[]) => unknown>();
  return {
    handlers,
    listeners,
    ipcMain: {
      handle: (channel: string, fn: (...args: unknown[]) => unknown) => handlers.set(channel, fn),
      removeHandler: (channel: string) => handlers.delete(channel),
      on: (channel: string, fn: (...args: unknown[]) => unknown) => listeners.set(channel, fn),
      removeListener: (channel: string) => listeners.delete(channel),
    },
  };
});

vi.mock('electron', () => ({
  ipcMain: electron.ipcMain,
  app: { enableSandbox: vi.fn(), on: vi.fn() },
  protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
  shell: { openExternal: vi.fn() },
  BrowserWindow: class {},
}));

import { channels, refusedCall, registerIpc, trustedSender } from '../../../electron/ipc.js';

class FakeContents extends EventEmitter {
  constructor(public id: number) {
    super();
  }
}

/** Electron's MessagePortMain, main's end of a window's stream channel. */
class FakePort extends EventEmitter {
  sent: ServerStreamMessage[] = [];
  started = false;
  closed = false;
  postMessage(msg: ServerStreamMessage) {
    this.sent.push(structuredClone(msg));
  }
  start() {
    this.started = true;
  }
  close() {
    this.closed = true;
  }
  /** What the preload's end does: post a message. */
  fromRenderer(data: unknown) {
    this.emit('message', { data, ports: [] });
  }
}

const ourWindow = 7;
const topFrame = (url = 'app://bundle/index.html') => ({ url, parent: null });

function event(opts: { contents?: FakeContents; frame?: { url: string; parent: unknown } | null; ports?: FakePort[] } = {}) {
  return {
    sender: opts.contents ?? new FakeContents(ourWindow),
    senderFrame: opts.frame === undefined ? topFrame() : opts.frame,
    ports: opts.ports ?? [],
  };
}

const untrusted: [string, ReturnType<typeof event>][] = [
  ['a frame that is gone (null senderFrame)', event({ frame: null })],
  ['a subframe of our page', event({ frame: { url: 'app://bundle/index.html', parent: topFrame() } })],
  ['a foreign origin', event({ frame: topFrame('https://evil.example/') })],
  ['a file:// page', event({ frame: topFrame('file:///tmp/index.html') })],
  ['another app:// host', event({ frame: topFrame('app://other/index.html') })],
  ['a web contents we did not create', event({ contents: new FakeContents(99) })],
  [
    'a disposed frame that throws on access',
    event({
      frame: {
        get url(): string {
          throw new Error('Render frame was disposed before WebFrameMain could be accessed');
        },
        parent: null,
      },
    }),
  ],
];

let dispatched: unknown[];
let sources: { name: string; push: Parameters<OpenStream>[2]; closed: boolean }[];
let sessionsOpened: number;
let logged: string[];
let stop: () => void;

const core = {
  async dispatch(envelope: unknown): Promise<CallResult<unknown>> {
    dispatched.push(envelope);
    return { ok: true, data: { answered: envelope } };
  },
  openStreamSession(post: (msg: ServerStreamMessage) => void) {
    sessionsOpened++;
    const open: OpenStream = (name, _input, push) => {
      const source = { name, push, closed: false };
      sources.push(source);
      return { ok: true, close: () => (source.closed = true) };
    };
    return createStreamSession(open, post, { flushMs: 0 });
  },
};

beforeEach(() => {
  dispatched = [];
  sources = [];
  sessionsOpened = 0;
  logged = [];
  stop = registerIpc(core, new Set([ourWindow]), (msg) => logged.push(msg));
});
afterEach(() => stop());

const call = (e: ReturnType<typeof event>, envelope: unknown) => electron.handlers.get(channels.call)!(e, envelope);
const openChannel = (e: ReturnType<typeof event>) => electron.listeners.get(channels.streams)!(e);

describe('trustedSender', () => {
  test('trusts the top frame of our window showing app://bundle', () => {
    expect(trustedSender(event(), new Set([ourWindow]))).toBe(true);
  });
  test.each(untrusted)('does not trust %s', (_what, e) => {
    expect(trustedSender(e, new Set([ourWindow]))).toBe(false);
  });
});

describe('calls', () => {
  test('a call from our window reaches dispatch and its result comes back', async () => {
    const envelope = { name: 'app.status', input: {} };
    await expect(call(event(), envelope)).resolves.toEqual({ ok: true, data: { answered: envelope } });
    expect(dispatched).toEqual([envelope]);
  });

  test.each(untrusted)('a call from %s is refused and never dispatched', async (_what, e) => {
    const result = (await call(e, { name: 'app.status', input: {} })) as CallResult<unknown>;
    expect(result).toEqual(refusedCall);
    expect(result.ok).toBe(false);
    expect(dispatched).toEqual([]);
    expect(logged).toHaveLength(1);
  });

  test('the refusal is a result value with a stable code, not a thrown error', () => {
    expect(refusedCall).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: expect.stringContaining('untrusted') } });
  });
});

describe('stream channel', () => {
  test('a port from our window carries subscriptions: batches go out, the source ends when the port closes', async () => {
    const port = new FakePort();
    openChannel(event({ ports: [port] }));
    expect(port.started).toBe(true);

    port.fromRenderer({ t: 'sub', id: 1, name: 'events', input: {} });
    expect(sources.map((s) => s.name)).toEqual(['events']);
    sources[0]!.push([{ id: 1 }, { id: 2 }], '2');
    // The batch goes out on the pump's next timer turn, however late a busy machine runs it.
    await vi.waitFor(
      () => expect(port.sent).toEqual([{ t: 'batch', id: 1, batch: { items: [{ id: 1 }, { id: 2 }], cursor: '2', dropped: 0 } }]),
      {
        timeout: 10_000,
        interval: 2,
      },
    );

    port.emit('close');
    expect(sources[0]!.closed).toBe(true);
  });

  test('the window going away ends its subscriptions', () => {
    const contents = new FakeContents(ourWindow);
    const port = new FakePort();
    openChannel(event({ contents, ports: [port] }));
    port.fromRenderer({ t: 'sub', id: 1, name: 'events', input: {} });

    contents.emit('destroyed');
    expect(sources[0]!.closed).toBe(true);
    expect(port.closed).toBe(true);
    expect(contents.listenerCount('destroyed')).toBe(0);
  });

  test('a reload replaces the window channel: the old one ends, the new one works', () => {
    const contents = new FakeContents(ourWindow);
    const before = new FakePort();
    const after = new FakePort();
    openChannel(event({ contents, ports: [before] }));
    before.fromRenderer({ t: 'sub', id: 1, name: 'events', input: {} });

    openChannel(event({ contents, ports: [after] }));
    expect(sources[0]!.closed).toBe(true);
    expect(before.closed).toBe(true);
    after.fromRenderer({ t: 'sub', id: 1, name: 'events', input: {} });
    expect(sources[1]!.closed).toBe(false);
    expect(contents.listenerCount('destroyed')).toBe(1);
  });

  test.each(untrusted)('a port from %s is closed and opens no session', (_what, e) => {
    const port = new FakePort();
    openChannel({ ...e, ports: [port] });
    expect(port.closed).toBe(true);
    expect(port.started).toBe(false);
    expect(sessionsOpened).toBe(0);
    port.fromRenderer({ t: 'sub', id: 1, name: 'events', input: {} });
    expect(sources).toEqual([]);
  });

  test('stopping the IPC ends every open channel and unregisters both channels', () => {
    const port = new FakePort();
    openChannel(event({ ports: [port] }));
    port.fromRenderer({ t: 'sub', id: 1, name: 'events', input: {} });
    stop();
    expect(sources[0]!.closed).toBe(true);
    expect(electron.handlers.has(channels.call)).toBe(false);
    expect(electron.listeners.has(channels.streams)).toBe(false);
  });
});
