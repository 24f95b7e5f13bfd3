import { tooManyRedirects } from './failures.js';
import { TransportError, type HttpAnswer, type Transport } from './transport.js';

/**
 * Where calls go: the configured scheduler, or the leader it last redirected us to. A follower
 * answers 307 with Location = leader + original path + query (http/LeaderRedirectFilter.java);
 * the body is POSTed again to the leader, for at most MAX_HOPS hops. The leader found is
 * remembered, and forgotten (back to the configured URL) as soon as it fails: after a
 * failover the old leader refuses or answers 503, and the configured URL knows the new one.
 */

const MAX_HOPS = 3;
const REDIRECTS = new Set([301, 302, 307, 308]);

export interface Sent {
  answer: HttpAnswer;
  /** The scheduler base URL that gave the answer, after redirects. */
  base: string;
}

export interface Endpoint {
  post(path: string, body: string, headers: Record<string, string>, call: { method: string; idempotent: boolean }): Promise<Sent>;
  /** The leader remembered from a redirect, or null when the configured URL answers itself. */
  leader(): string | null;
}

export function createEndpoint(configuredUrl: string, transport: Transport): Endpoint {
  const configured = configuredUrl.replace(/\/+$/, '');
  let leader: string | null = null;

  async function walk(start: string, path: string, body: string, headers: Record<string, string>, method: string): Promise<Sent> {
    let base = start;
    let url = base + path;
    const hops = [url];
    for (;;) {
      const answer = await transport.post(url, body, headers);
      const location = answer.headers.location;
      if (!REDIRECTS.has(answer.status) || typeof location !== 'string' || location === '') return { answer, base };
      if (hops.length > MAX_HOPS) throw tooManyRedirects(configured, method, hops);
      let next: URL;
      try {
        next = new URL(location, url); // relative Locations resolve against the URL that said them
      } catch {
        return { answer, base }; // an unreadable Location: the caller reports the 30x as it came
      }
      base = baseOf(next, path);
      url = next.href;
      hops.push(url);
    }
  }

  function remember(sent: Sent): Sent {
    // Only a scheduler that answered for itself is worth coming back to.
    if (sent.answer.status < 500) leader = sent.base === configured ? null : sent.base;
    return sent;
  }

  return {
    leader: () => leader,
    async post(path, body, headers, call) {
      const start = leader ?? configured;
      if (start === configured) return remember(await walk(configured, path, body, headers, call.method));
      try {
        const sent = await walk(start, path, body, headers, call.method);
        if (sent.answer.status !== 503) return remember(sent);
      } catch (e) {
        if (!(e instanceof TransportError) || !worthRetrying(e, call.idempotent)) throw e;
      }
      leader = null;
      return remember(await walk(configured, path, body, headers, call.method));
    },
  };
}

/**
 * A write is sent again only when it surely never arrived (refused, no route, no name): after a
 * timeout or a reset the old leader may have done it, and a restart done twice restarts twice.
 */
function worthRetrying(e: TransportError, idempotent: boolean): boolean {
  if (e.kind === 'refused' || e.kind === 'unreachable' || e.kind === 'dns') return true;
  return idempotent && (e.kind === 'timeout' || e.kind === 'reset' || e.kind === 'truncated');
}

/** `http://leader:8081/api?x` asked for `/api` → `http://leader:8081`; a path prefix before it (a proxy) is kept. */
function baseOf(url: URL, path: string): string {
  const root = url.pathname.endsWith(path) ? url.pathname.slice(0, url.pathname.length - path.length) : '';
  return `${url.origin}${root}`.replace(/\/+$/, '');
}
