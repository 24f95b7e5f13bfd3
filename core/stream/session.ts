import { clientStreamMessage, type ServerStreamMessage } from '../contract/stream.js';
import type { ContractError } from '../contract/errors.js';
import { createPump, type Pump, type PumpOptions } from './pump.js';

/**
 * Starts a stream's source; it pushes items with the cursor after them until closed. A source
 * that finds out only later that it cannot go on (a log file that turns out to be missing, a
 * search that fails half-way) calls `fail`: the subscriber gets the error and the stream ends.
 */
export type OpenStream = (
  name: string,
  input: unknown,
  push: (items: readonly unknown[], cursor: string | null) => void,
  fail: (error: ContractError) => void,
) => { ok: true; close: () => void } | { ok: false; error: ContractError };

/**
 * One connection's subscriptions (a window's MessagePort, or one WebSocket): many streams
 * multiplexed by id, each behind its own bounded pump. Ends every source when the
 * connection goes away.
 */
export function createStreamSession(openStream: OpenStream, post: (msg: ServerStreamMessage) => void, options?: PumpOptions) {
  const subs = new Map<number, { pump: Pump<unknown>; close: () => void }>();
  const maxSubscriptions = 64;

  function end(id: number) {
    const sub = subs.get(id);
    if (!sub) return;
    subs.delete(id);
    sub.pump.close();
    sub.close();
  }

  return {
    handle(raw: unknown): void {
      const parsed = clientStreamMessage.safeParse(raw);
      if (!parsed.success) return; // a malformed message has no id to answer; ignore it
      const msg = parsed.data;
      switch (msg.t) {
        case 'sub': {
          if (subs.has(msg.id)) end(msg.id);
          if (subs.size >= maxSubscriptions) {
            post({
              t: 'error',
              id: msg.id,
              error: { code: 'CONTRACT_INVALID_INPUT', message: `At most ${maxSubscriptions} streams per window.` },
            });
            return;
          }
          const pump = createPump<unknown>((batch) => post({ t: 'batch', id: msg.id, batch }), options);
          let failedEarly: ContractError | null = null;
          const fail = (error: ContractError) => {
            if (pump.closed) return;
            if (subs.get(msg.id)?.pump !== pump) {
              failedEarly ??= error; // during openStream itself
              return;
            }
            end(msg.id);
            post({ t: 'error', id: msg.id, error });
          };
          const opened = openStream(msg.name, msg.input, (items, cursor) => pump.push(items, cursor), fail);
          if (!opened.ok || failedEarly) {
            pump.close();
            if (opened.ok) opened.close();
            post({ t: 'error', id: msg.id, error: opened.ok ? failedEarly! : opened.error });
            return;
          }
          subs.set(msg.id, { pump, close: opened.close });
          return;
        }
        case 'ack':
          subs.get(msg.id)?.pump.ack();
          return;
        case 'unsub':
          end(msg.id);
          return;
      }
    },
    get size() {
      return subs.size;
    },
    closeAll(): void {
      for (const id of [...subs.keys()]) end(id);
    },
  };
}
export type StreamSession = ReturnType<typeof createStreamSession>;
