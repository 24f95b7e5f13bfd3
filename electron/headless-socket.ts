import type { RawData, WebSocket } from 'ws';
import { clientWireMessage, type ContractError, type ServerWireMessage } from '../core/contract/index.js';
import type { Console } from '../core/console.js';

type Log = (msg: string, err?: unknown) => void;

const invalid = (message: string): ContractError => ({
  code: 'CONTRACT_INVALID_INPUT',
  message,
  hint: 'Send {t: "call", id, name, input} or a subscription message of the contract (core/contract/wire.ts).',
});

function idOf(msg: unknown): number | null {
  if (typeof msg !== 'object' || msg === null) return null;
  const id = (msg as { id?: unknown }).id;
  return typeof id === 'number' && Number.isInteger(id) ? id : null;
}

/**
 * One page's WebSocket: calls and subscriptions multiplexed by id. Whatever arrives, the host
 * answers and stays up: a frame that is not JSON, not an object or not a message of the
 * contract gets an error frame (with the call's id when it has one), never an exception.
 */
export function serveSocket(ws: WebSocket, core: Pick<Console, 'dispatch' | 'openStreamSession'>, log: Log): void {
  const send = (msg: ServerWireMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
  };
  const session = core.openStreamSession(send);

  const receive = (data: RawData, isBinary: boolean) => {
    let raw: unknown;
    try {
      if (isBinary) throw new Error('binary');
      raw = JSON.parse(data.toString());
    } catch {
      return send({ t: 'error', id: null, error: invalid('The frame is not a JSON text message.') });
    }
    const parsed = clientWireMessage.safeParse(raw);
    if (!parsed.success) {
      const id = idOf(raw);
      const error = invalid(`The frame is not a message of the contract (${parsed.error.issues[0]?.message ?? 'wrong shape'}).`);
      const t = (raw as { t?: unknown } | null)?.t;
      if (id !== null && t === 'call') return send({ t: 'result', id, result: { ok: false, error } });
      return send({ t: 'error', id, error });
    }
    const msg = parsed.data;
    if (msg.t === 'call') {
      void core
        .dispatch({ name: msg.name, input: msg.input })
        .then((result) => send({ t: 'result', id: msg.id, result }))
        .catch((e: unknown) => {
          log(`${msg.name} failed outside its handler`, e);
          send({
            t: 'result',
            id: msg.id,
            result: {
              ok: false,
              error: {
                code: 'INTERNAL',
                message: `${msg.name} failed.`,
                hint: 'This is a bug in the console; the full error is in its log.',
              },
            },
          });
        });
      return;
    }
    session.handle(msg);
  };

  ws.on('message', (data, isBinary) => {
    try {
      receive(data, isBinary);
    } catch (e) {
      log('a socket message could not be handled', e);
      send({
        t: 'error',
        id: null,
        error: {
          code: 'INTERNAL',
          message: 'The host could not handle that message.',
          hint: 'This is a bug in the console; the full error is in its log.',
        },
      });
    }
  });
  ws.on('close', () => session.closeAll());
  ws.on('error', (err) => log('headless socket error', err));
}
