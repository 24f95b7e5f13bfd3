import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * The headless host's gate. Every request and socket must:
 *  - name a loopback host in `Host` (a DNS-rebinding page reaches 127.0.0.1 under a foreign name),
 *  - carry the token (query `?token=`, `Authorization: Bearer`, or the cookie set from the URL),
 *  - if it has an `Origin`, come from our own origin (cross-site WebSocket hijacking); sockets
 *    must have one.
 */

export type Refusal = { status: 401 | 403; reason: string };

const loopbackNames = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function newToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

export function cookieName(port: number): string {
  return `cantareira_token_${port}`;
}

export function tokenCookie(port: number, token: string): string {
  return `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

function splitHost(host: string): { name: string; port: string } | null {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d+))?$/.exec(host);
  if (!m) return null;
  return { name: m[1]!.toLowerCase(), port: m[2] ?? '80' };
}

export function checkHost(hostHeader: string | undefined, port: number): Refusal | null {
  if (!hostHeader) return { status: 403, reason: 'Refused: no Host header.' };
  const h = splitHost(hostHeader);
  if (!h || !loopbackNames.has(h.name) || h.port !== String(port)) {
    return { status: 403, reason: `Refused: Host "${hostHeader.slice(0, 100)}" is not this console's loopback address.` };
  }
  return null;
}

export function checkOrigin(origin: string | undefined, port: number, required: boolean): Refusal | null {
  if (origin === undefined) {
    return required ? { status: 403, reason: 'Refused: a WebSocket must send an Origin.' } : null;
  }
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return { status: 403, reason: `Refused: Origin "${origin.slice(0, 100)}" is not a URL.` };
  }
  const ok = url.protocol === 'http:' && loopbackNames.has(url.hostname) && url.port === String(port);
  return ok ? null : { status: 403, reason: `Refused: Origin "${origin.slice(0, 100)}" is not this console.` };
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

export function presentedToken(req: IncomingMessage, url: URL, port: number): string | undefined {
  const q = url.searchParams.get('token');
  if (q) return q;
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice('Bearer '.length).trim();
  return readCookie(req.headers.cookie, cookieName(port));
}

export function checkToken(presented: string | undefined, token: string): Refusal | null {
  if (!presented) {
    return { status: 401, reason: 'Refused: no token. Open the URL the console printed at start (it carries ?token=).' };
  }
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  if (a.length !== b.length || !crypto.timingSafeEqual(a, b)) {
    return { status: 401, reason: 'Refused: wrong token. Use the URL the console printed at this start.' };
  }
  return null;
}

/** All checks, in the order that gives the most useful refusal. */
export function gate(req: IncomingMessage, url: URL, port: number, token: string, socket: boolean): Refusal | null {
  return (
    checkHost(req.headers.host, port) ??
    checkOrigin(req.headers.origin, port, socket) ??
    checkToken(presentedToken(req, url, port), token)
  );
}
