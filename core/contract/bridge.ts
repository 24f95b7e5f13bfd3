import type { CallResult } from './errors.js';
import type { ServerStreamMessage, StreamBatch } from './stream.js';

/** Why a subscription could not start (or ended): the same shape the host sends on the channel. */
export type StreamError = Extract<ServerStreamMessage, { t: 'error' }>['error'];

/**
 * What the Electron preload puts on `window.cantareira`, and all it puts there: the renderer
 * reaches the console through these three members only, never through ipcRenderer.
 */
export interface CantareiraBridge {
  readonly host: 'electron';
  /** One request/response call of the contract; never rejects, failures come back as values. */
  call(name: string, input: unknown): Promise<CallResult<unknown>>;
  /**
   * Starts a stream of the contract. `onBatch` gets each batch (the bridge acknowledges it once
   * `onBatch` returns, which is what lets the next one through); `onError` gets why the stream
   * could not start. Returns the unsubscribe function.
   */
  subscribe(
    name: string,
    input: unknown,
    onBatch: (batch: StreamBatch<unknown>) => void,
    onError?: (error: StreamError) => void,
  ): () => void;
}

/**
 * The IPC channel names between the preload and Electron main. A type, not a value, because the
 * sandboxed preload may not import anything at runtime: each side declares a constant of this
 * type, so a typo on either side fails the type check.
 */
export interface BridgeChannels {
  call: 'cantareira:call';
  streams: 'cantareira:streams';
}
