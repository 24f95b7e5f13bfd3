import type { CallInput, CallName, CallOutput, StreamBatch, StreamInput, StreamItem, StreamName } from '../../core/contract';
import { ApiError, hostUnreachable } from './errors';
import type { ConnectionState, Transport } from './transport';

/** The one client of the contract: every call and stream of the console, typed by name. */
export interface Api {
  readonly host: Transport['kind'];
  /** Resolves with the call's data; rejects with an ApiError carrying code, message and hint. */
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>>;
  subscribe<N extends StreamName>(
    name: N,
    input: StreamInput<N>,
    onBatch: (batch: StreamBatch<StreamItem<N>>) => void,
    onError?: (error: ApiError) => void,
  ): () => void;
  watchConnection(listener: (state: ConnectionState) => void): () => void;
  reconnectNow(): void;
}

export function createApi(transport: Transport): Api {
  return {
    host: transport.kind,

    async call(name, input) {
      let result;
      try {
        result = await transport.call(name, input);
      } catch (e) {
        // The transport itself broke (e.g. the preload bridge threw): the host is out of reach.
        throw new ApiError(hostUnreachable(`${name} could not reach the console host: ${e instanceof Error ? e.message : String(e)}`));
      }
      if (!result.ok) throw new ApiError(result.error);
      // The host parsed the input against the same contract and produced this output for `name`.
      return result.data as CallOutput<typeof name>;
    },

    subscribe(name, input, onBatch, onError) {
      return transport.subscribe(
        name,
        input,
        (batch) => onBatch(batch as StreamBatch<StreamItem<typeof name>>),
        (error) => (onError ?? warnStreamError)(new ApiError(error)),
      );
    },

    watchConnection: (listener) => transport.watchConnection(listener),
    reconnectNow: () => transport.reconnectNow?.(),
  };
}

function warnStreamError(error: ApiError) {
  console.warn(`stream failed: ${error.code}: ${error.message}`);
}
