import { z } from 'zod';
import type { CallResult, ContractError } from './errors.js';
import { clientStreamMessage, type ClientStreamMessage, type ServerStreamMessage } from './stream.js';

/**
 * What travels over one WebSocket of the headless host (and, for streams, over the
 * MessagePort of an Electron window): calls with an id answered by a result with the same id,
 * and the subscription messages of `stream.ts`.
 */
export type ClientWireMessage = { t: 'call'; id: number; name: string; input: unknown } | ClientStreamMessage;

export const clientWireMessage: z.ZodType<ClientWireMessage> = z.union([
  z.object({ t: z.literal('call'), id: z.number().int(), name: z.string(), input: z.unknown() }),
  clientStreamMessage,
]);

/**
 * `{t: 'error', id: null}` answers a frame the host could not read at all (not JSON, not an
 * object, no id): the connection stays open and nothing else happens.
 */
export type ServerWireMessage =
  { t: 'result'; id: number; result: CallResult<unknown> } | ServerStreamMessage | { t: 'error'; id: null; error: ContractError };
