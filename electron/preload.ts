import { contextBridge, ipcRenderer } from 'electron';
import type { BridgeChannels, CantareiraBridge, StreamError } from '../core/contract/bridge.js';
import type { CallResult } from '../core/contract/errors.js';
import type { ClientStreamMessage, ServerStreamMessage, StreamBatch } from '../core/contract/stream.js';

/**
 * The sandboxed preload: it may import nothing but 'electron' at runtime, and it holds no
 * product logic. It exposes `window.cantareira` (see CantareiraBridge) and nothing else;
 * ipcRenderer and its events never reach the page.
 */

const channels: BridgeChannels = { call: 'cantareira:call', streams: 'cantareira:streams' };

interface Subscriber {
  onBatch: (batch: StreamBatch<unknown>) => void;
  onError: ((error: StreamError) => void) | undefined;
}

/** The browser side of a MessagePort, as much of it as we use. */
interface Port {
  postMessage(message: ClientStreamMessage): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  start(): void;
}

const subscribers = new Map<number, Subscriber>();
let nextId = 1;
let port: Port | null = null;

/** The window's one stream channel, opened on the first subscription. */
function streamPort(): Port {
  if (port) return port;
  const channel = new MessageChannel();
  // Type-checked against Node's lib, but at runtime this is the browser's MessagePort.
  const local = channel.port1 as unknown as Port;
  local.addEventListener('message', (event) => receive(event.data));
  local.start();
  ipcRenderer.postMessage(channels.streams, null, [channel.port2]);
  port = local;
  return local;
}

function receive(data: unknown): void {
  if (typeof data !== 'object' || data === null) return;
  const msg = data as ServerStreamMessage;
  const sub = subscribers.get(msg.id);
  if (!sub) return; // unsubscribed meanwhile: the host has ended it, nothing to ack
  if (msg.t === 'batch') {
    try {
      sub.onBatch(msg.batch);
    } finally {
      // Acked even if the callback threw: otherwise one bad render stalls the stream for good.
      streamPort().postMessage({ t: 'ack', id: msg.id });
    }
  } else if (msg.t === 'error') {
    subscribers.delete(msg.id);
    sub.onError?.(msg.error);
  }
}

async function call(name: string, input: unknown): Promise<CallResult<unknown>> {
  try {
    return (await ipcRenderer.invoke(channels.call, { name, input })) as CallResult<unknown>;
  } catch (e) {
    // e.g. an input that cannot be cloned: the bridge's promise still resolves to a result.
    return {
      ok: false,
      error: {
        code: 'INTERNAL',
        message: `${String(name).slice(0, 100)} could not be sent: ${e instanceof Error ? e.message : String(e)}`,
      },
    };
  }
}

function subscribe(
  name: string,
  input: unknown,
  onBatch: (batch: StreamBatch<unknown>) => void,
  onError?: (error: StreamError) => void,
): () => void {
  if (typeof onBatch !== 'function') throw new TypeError('subscribe needs an onBatch function');
  const id = nextId++;
  subscribers.set(id, { onBatch, onError: typeof onError === 'function' ? onError : undefined });
  streamPort().postMessage({ t: 'sub', id, name, input });
  return () => {
    if (!subscribers.delete(id)) return;
    streamPort().postMessage({ t: 'unsub', id });
  };
}

const bridge: CantareiraBridge = { host: 'electron', call, subscribe };
contextBridge.exposeInMainWorld('cantareira', bridge);
