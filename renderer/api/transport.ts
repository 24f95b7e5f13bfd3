import type { CallResult, ContractError, StreamBatch } from '../../core/contract';

/** Whether the page can reach its host right now; shown in the shell when it cannot. */
export type ConnectionState =
  | { kind: 'connecting' }
  | { kind: 'open' }
  | { kind: 'reconnecting'; attempt: number; retryAt: number }
  /** The host refused this page's token (it restarted with a new one, or the page was opened without it). */
  | { kind: 'refused'; reason: string };

/**
 * How the page talks to its host, untyped: the client in `client.ts` puts the contract's
 * types on top. Two implementations: the Electron preload bridge and the headless WebSocket.
 */
export interface Transport {
  readonly kind: 'electron' | 'websocket';
  call(name: string, input: unknown): Promise<CallResult<unknown>>;
  /** Batches arrive in order; the transport acknowledges each after `onBatch` returns. */
  subscribe(
    name: string,
    input: unknown,
    onBatch: (batch: StreamBatch<unknown>) => void,
    onError: (error: ContractError) => void,
  ): () => void;
  /** Calls `listener` now and on every change; returns an unsubscribe. */
  watchConnection(listener: (state: ConnectionState) => void): () => void;
  /** Skips the backoff wait and tries to reconnect at once (the "Retry now" button). */
  reconnectNow?(): void;
}
