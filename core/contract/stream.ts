import { z } from 'zod';

/**
 * What a subscriber receives. Batches, never single items; `cursor` is where to resume
 * after this batch; `dropped` counts items discarded since the previous batch because the
 * subscriber fell behind (the UI shows a marker and can re-read the gap through a call).
 */
export interface StreamBatch<T> {
  items: T[];
  cursor: string | null;
  dropped: number;
}

export const streamBatch = z.object({
  items: z.array(z.unknown()),
  cursor: z.string().nullable(),
  dropped: z.number().int().min(0),
});

/** Messages of the subscription protocol, the same over a MessagePort and a WebSocket. */
export const clientStreamMessage = z.discriminatedUnion('t', [
  z.object({ t: z.literal('sub'), id: z.number().int(), name: z.string(), input: z.unknown() }),
  z.object({ t: z.literal('ack'), id: z.number().int() }),
  z.object({ t: z.literal('unsub'), id: z.number().int() }),
]);
export type ClientStreamMessage = z.infer<typeof clientStreamMessage>;

/** Messages the host sends back on the same channel. */
export type ServerStreamMessage =
  | { t: 'batch'; id: number; batch: StreamBatch<unknown> }
  | { t: 'error'; id: number; error: { code: string; message: string; hint?: string } };
