import type { CallResult, ClientWireMessage, ServerWireMessage, StreamBatch, ContractError } from '../../core/contract';
import { asContractError, hostUnreachable } from './errors';
import type { ConnectionState, Transport } from './transport';

export interface SocketOptions {
  url: string;
  /** Offered on each handshake, read anew at each (the token rides here, see token.ts). */
  protocols?: () => string[];
  /** The input that resumes stream `name` after `cursor`, used to re-subscribe after a reconnect. */
  resume: (name: string, input: unknown, cursor: string) => unknown;
  /** How long a call made before the first connection waits for it. */
  firstConnectTimeoutMs?: number;
  /** Delay before reconnection attempt `n` (1-based). */
  backoff?: (attempt: number) => number;
}

interface Subscription {
  name: string;
  input: unknown;
  /** Where the last delivered batch ended; null until the first batch with a cursor. */
  cursor: string | null;
  onBatch: (batch: StreamBatch<unknown>) => void;
  onError: (error: ContractError) => void;
}

type Reply = (result: CallResult<unknown>) => void;

/** 250 ms, 500 ms, 1 s ... up to 10 s, with ±20 % jitter so many windows do not retry in step. */
export function defaultBackoff(attempt: number): number {
  const base = Math.min(10_000, 250 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

export function socketUrl(loc: Pick<Location, 'protocol' | 'host'> = window.location): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/ws`;
}

const fail = (error: ContractError): CallResult<unknown> => ({ ok: false, error });

/**
 * The headless host's WebSocket (the token rides on the handshake as a subprotocol). Calls and
 * subscriptions are multiplexed by id. When the socket drops, calls still waiting fail at once
 * with HOST_UNREACHABLE, the socket reconnects with backoff, and every live subscription is
 * sent again from the cursor of the last batch it received, so a stream resumes without a gap.
 * A socket the host closes with 4401 (the token is refused) is not retried: retrying cannot
 * help, and the page says what to open instead.
 */
export const tokenRefusedCode = 4401;

export function socketTransport(options: SocketOptions): Transport {
  const backoff = options.backoff ?? defaultBackoff;
  const firstConnectTimeoutMs = options.firstConnectTimeoutMs ?? 15_000;

  let socket: WebSocket | null = null;
  let state: ConnectionState = { kind: 'connecting' };
  let everOpened = false;
  let attempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let nextId = 1;
  const listeners = new Set<(s: ConnectionState) => void>();
  /** Sent, waiting for their result. */
  const inFlight = new Map<number, { name: string; reply: Reply }>();
  /** Made before the first connection opened. */
  const waiting = new Map<number, { name: string; input: unknown; reply: Reply; timer: ReturnType<typeof setTimeout> }>();
  const subs = new Map<number, Subscription>();

  const setState = (next: ConnectionState) => {
    state = next;
    for (const l of listeners) l(next);
  };
  const isOpen = () => socket !== null && socket.readyState === WebSocket.OPEN;
  const send = (msg: ClientWireMessage) => socket?.send(JSON.stringify(msg));

  function sendCall(id: number, name: string, input: unknown, reply: Reply) {
    inFlight.set(id, { name, reply });
    send({ t: 'call', id, name, input });
  }

  function sendSub(id: number, sub: Subscription) {
    const input = sub.cursor === null ? sub.input : options.resume(sub.name, sub.input, sub.cursor);
    send({ t: 'sub', id, name: sub.name, input });
  }

  function receive(raw: unknown) {
    let msg: ServerWireMessage;
    try {
      msg = JSON.parse(String(raw)) as ServerWireMessage;
    } catch {
      return;
    }
    switch (msg.t) {
      case 'result': {
        const call = inFlight.get(msg.id);
        inFlight.delete(msg.id);
        call?.reply(msg.result);
        return;
      }
      case 'batch': {
        const sub = subs.get(msg.id);
        if (!sub) return; // unsubscribed while the batch was on its way
        if (msg.batch.cursor !== null) sub.cursor = msg.batch.cursor;
        try {
          sub.onBatch(msg.batch);
        } finally {
          if (isOpen()) send({ t: 'ack', id: msg.id });
        }
        return;
      }
      case 'error': {
        if (msg.id === null) return; // the host could not read a frame; this client sends none such
        const sub = subs.get(msg.id);
        subs.delete(msg.id);
        sub?.onError(asContractError(msg.error));
        return;
      }
    }
  }

  function opened() {
    everOpened = true;
    attempt = 0;
    setState({ kind: 'open' });
    for (const [id, w] of waiting) {
      clearTimeout(w.timer);
      sendCall(id, w.name, w.input, w.reply);
    }
    waiting.clear();
    for (const [id, sub] of subs) sendSub(id, sub);
  }

  function failInFlight() {
    for (const [, call] of inFlight)
      call.reply(fail(hostUnreachable(`The connection to the console host was lost before it answered ${call.name}.`)));
    inFlight.clear();
  }

  function refused(reason: string) {
    failInFlight();
    for (const [id, w] of waiting) {
      clearTimeout(w.timer);
      w.reply(fail(hostUnreachable(`${w.name} was not sent: ${reason}`)));
      waiting.delete(id);
    }
    setState({ kind: 'refused', reason });
  }

  function dropped() {
    failInFlight();
    attempt++;
    const delay = backoff(attempt);
    setState({ kind: 'reconnecting', attempt, retryAt: Date.now() + delay });
    retryTimer = setTimeout(connect, delay);
  }

  function connect() {
    retryTimer = null;
    const ws = new WebSocket(options.url, options.protocols?.());
    socket = ws;
    ws.onopen = () => {
      if (socket === ws) opened();
    };
    ws.onmessage = (ev: MessageEvent) => {
      if (socket === ws) receive(ev.data);
    };
    ws.onclose = (ev: CloseEvent) => {
      if (socket !== ws) return;
      socket = null;
      if (ev.code === tokenRefusedCode) refused(ev.reason || 'The console host refused this page.');
      else dropped();
    };
  }

  connect();

  return {
    kind: 'websocket',

    call(name, input) {
      const id = nextId++;
      return new Promise<CallResult<unknown>>((reply) => {
        if (isOpen()) return sendCall(id, name, input, reply);
        if (state.kind === 'refused') return reply(fail(hostUnreachable(`${name} was not sent: ${state.reason}`)));
        if (everOpened) {
          return reply(fail(hostUnreachable(`${name} was not sent: the connection to the console host is lost.`)));
        }
        const timer = setTimeout(() => {
          waiting.delete(id);
          reply(fail(hostUnreachable(`No connection to the console host after ${firstConnectTimeoutMs / 1000} s.`)));
        }, firstConnectTimeoutMs);
        waiting.set(id, { name, input, reply, timer });
      });
    },

    subscribe(name, input, onBatch, onError) {
      const id = nextId++;
      const sub: Subscription = { name, input, cursor: null, onBatch, onError };
      subs.set(id, sub);
      if (isOpen()) sendSub(id, sub);
      return () => {
        if (subs.delete(id) && isOpen()) send({ t: 'unsub', id });
      };
    },

    watchConnection(listener) {
      listeners.add(listener);
      listener(state);
      return () => listeners.delete(listener);
    },

    reconnectNow() {
      if (retryTimer === null && state.kind !== 'refused') return;
      if (retryTimer !== null) clearTimeout(retryTimer);
      connect();
    },
  };
}
