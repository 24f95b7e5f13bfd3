import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ContractError } from '../core/contract/index.js';

/**
 * The headless host's gate. Every request and socket must name a loopback host in `Host` (a
 * DNS-rebinding page reaches 127.0.0.1 under a foreign name) and, if it has an `Origin`, come
 * from our own origin (cross-site request forgery, WebSocket hijacking); sockets must have one.
 *
 * The token is never a cookie: cookies are not isolated by port, so a browser would send it to
 * every other web server on 127.0.0.1 it visits, and the token is worth a shell (`jobs.create`
 * runs commands). It travels only where no other origin can see it:
 *  - the page's first load carries it once in `?token=` (checked, so a wrong one is refused);
 *    the page keeps it in sessionStorage, which is per origin (port included), and drops it
 *    from the address bar;
 *  - the page's WebSocket offers it as a subprotocol, `cantareira.token.<token>` (a browser can
 *    set no header on a WebSocket; Kubernetes carries bearer tokens the same way);
 *  - scripts send `Authorization: Bearer <token>` (on /api/call and /ws).
 * The built page itself (HTML, scripts, styles) holds no secret and is served without it, so a
 * reload works from sessionStorage.
 */

export type Refusal = ContractError & { code: 'AUTH_REQUIRED' | 'HOST_FORBIDDEN' };

export const socketProtocol = 'cantareira.v1';
export const tokenProtocolPrefix = 'cantareira.token.';

const loopbackNames = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function newToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

function splitHost(host: string): { name: string; port: string } | null {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d+))?$/.exec(host);
  if (!m) return null;
  return { name: m[1]!.toLowerCase(), port: m[2] ?? '80' };
}

export function checkHost(hostHeader: string | undefined, port: number): Refusal | null {
  if (!hostHeader) return forbidden('Refused: no Host header.');
  const h = splitHost(hostHeader);
  if (!h || !loopbackNames.has(h.name) || h.port !== String(port)) {
    return forbidden(`Refused: Host "${hostHeader.slice(0, 100)}" is not this console's loopback address.`);
  }
  return null;
}

export function checkOrigin(origin: string | undefined, port: number, required: boolean): Refusal | null {
  if (origin === undefined) {
    return required ? forbidden('Refused: a WebSocket must send an Origin.') : null;
  }
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return forbidden(`Refused: Origin "${origin.slice(0, 100)}" is not a URL.`);
  }
  const ok = url.protocol === 'http:' && loopbackNames.has(url.hostname) && url.port === String(port);
  return ok ? null : forbidden(`Refused: Origin "${origin.slice(0, 100)}" is not this console.`);
}

function forbidden(message: string): Refusal {
  return {
    code: 'HOST_FORBIDDEN',
    message,
    hint: 'Open the console at the address it printed at start (http://127.0.0.1:<port>/?token=...).',
  };
}

/** Where a request may carry the token: a page load in the query, a socket as a subprotocol, anything as a bearer. */
export type TokenPlace = 'page' | 'api' | 'socket';

export function presentedToken(req: IncomingMessage, url: URL, place: TokenPlace): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice('Bearer '.length).trim();
  if (place === 'page') return url.searchParams.get('token') ?? undefined;
  if (place === 'socket') {
    const offered = String(req.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((p) => p.trim());
    return offered.find((p) => p.startsWith(tokenProtocolPrefix))?.slice(tokenProtocolPrefix.length);
  }
  return undefined;
}

export function checkToken(presented: string | undefined, token: string): Refusal | null {
  if (!presented) {
    return {
      code: 'AUTH_REQUIRED',
      message: 'Refused: no token.',
      hint: 'Open the URL the console printed at start (it carries ?token=); scripts send Authorization: Bearer <token>.',
    };
  }
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  if (a.length !== b.length || !crypto.timingSafeEqual(a, b)) {
    return {
      code: 'AUTH_REQUIRED',
      message: 'Refused: wrong token.',
      hint: 'The console makes a new token at every start: use the URL it printed at this start (also in <data dir>/headless.json).',
    };
  }
  return null;
}

/** Host and Origin: the checks every request and socket passes, token or not. */
export function checkCaller(req: IncomingMessage, port: number, socket: boolean): Refusal | null {
  return checkHost(req.headers.host, port) ?? checkOrigin(req.headers.origin, port, socket);
}
