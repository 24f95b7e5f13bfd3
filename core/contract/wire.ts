import type { CallResult } from './errors.js';
import type { ClientStreamMessage, ServerStreamMessage } from './stream.js';

/**
 * What travels over one WebSocket of the headless host (and, for streams, over the
 * MessagePort of an Electron window): calls with an id answered by a result with the same id,
 * and the subscription messages of `stream.ts`.
 */
export type ClientWireMessage = { t: 'call'; id: number; name: string; input: unknown } | ClientStreamMessage;

export type ServerWireMessage = { t: 'result'; id: number; result: CallResult<unknown> } | ServerStreamMessage;
