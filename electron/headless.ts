import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { CallResult, ServerWireMessage } from '../core/contract/index.js';
import type { CommandLineCluster } from '../core/handlers/profiles.js';
import { createConsole, type Console } from '../core/console.js';
import { gate, newToken, tokenCookie, type Refusal } from './headless-auth.js';
import { contentSecurityPolicy, resolveStatic } from './static.js';

/**
 * The plain-Node host: the same core as the desktop app, served to a browser on 127.0.0.1.
 * Used where the Electron binary cannot run, by scripts (POST /api/call) and by the e2e tests.
 */

export interface HeadlessOptions {
  dataDir: string;
  rendererDir: string;
  /** 0 or absent: a free port. */
  port?: number;
  profileId?: string;
  /** A real cluster named on the command line, created or updated and opened. */
  connect?: CommandLineCluster;
  /** How often a real cluster is read (tests shorten it). */
  mesosPollMs?: number;
  auroraPollMs?: number;
  version?: string;
  /** Job files the embedded profile submits on its first start. */
  demoJobsDir?: string;
  /** Embedded cluster timings (tests shorten them). */
  embedded?: { tickMs?: number; graceMs?: number };
  log?: (msg: string, err?: unknown) => void;
}

export interface HeadlessHost {
  /** Open this in a browser: it carries the token once, then a cookie does. */
  url: string;
  origin: string;
  port: number;
  token: string;
  console: Console;
  close(): Promise<void>;
}

const maxBodyBytes = 1024 * 1024;

function refuse(res: http.ServerResponse, r: { status: number; reason: string }) {
  res.writeHead(r.status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(r.reason + '\n');
}

function refuseUpgrade(socket: import('node:stream').Duplex, r: Refusal | { status: 404; reason: string }) {
  const text = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' }[r.status];
  const body = r.reason + '\n';
  socket.end(
    `HTTP/1.1 ${r.status} ${text}\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function statusFor(result: CallResult<unknown>): number {
  if (result.ok) return 200;
  return result.error.code.startsWith('CONTRACT_') ? 400 : 500;
}

export async function startHeadlessHost(options: HeadlessOptions): Promise<HeadlessHost> {
  const log = options.log ?? ((msg, err) => console.error(msg, err ?? ''));
  const consoleCore = createConsole({
    dataDir: options.dataDir,
    host: 'headless',
    version: options.version ?? 'dev',
    ...(options.profileId === undefined ? {} : { profileId: options.profileId }),
    ...(options.connect === undefined ? {} : { connect: options.connect }),
    ...(options.mesosPollMs === undefined ? {} : { mesosPollMs: options.mesosPollMs }),
    ...(options.auroraPollMs === undefined ? {} : { auroraPollMs: options.auroraPollMs }),
    ...(options.demoJobsDir === undefined ? {} : { demoJobsDir: options.demoJobsDir }),
    ...(options.embedded === undefined ? {} : { embedded: options.embedded }),
    log,
  });
  const token = newToken();
  let port = 0;
  const csp = () => contentSecurityPolicy([`ws://127.0.0.1:${port}`, `ws://localhost:${port}`]);

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const refusal = gate(req, url, port, token, false);
    if (refusal) return refuse(res, refusal);

    if (url.pathname === '/api/call') return void handleApiCall(req, res);

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return refuse(res, { status: 405, reason: 'Only GET and HEAD are served here; calls go to POST /api/call.' });
    }
    if (url.searchParams.has('token')) {
      // Trade the token in the URL for a cookie, so it leaves the address bar and history.
      url.searchParams.delete('token');
      res.writeHead(303, {
        location: url.pathname + url.search,
        'set-cookie': tokenCookie(port, token),
        'cache-control': 'no-store',
      });
      return res.end();
    }
    // The raw path, not the URL parser's normalised one, so `/../x` is refused rather than folded.
    const rawPath = (req.url ?? '/').split('?')[0]!;
    const found = resolveStatic(options.rendererDir, rawPath);
    if (!found.ok) return refuse(res, { status: found.status, reason: found.reason });
    res.writeHead(200, {
      'content-type': found.contentType,
      'content-security-policy': csp(),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-cache',
    });
    if (req.method === 'HEAD') return res.end();
    fs.createReadStream(found.file).pipe(res);
  });

  async function handleApiCall(req: http.IncomingMessage, res: http.ServerResponse) {
    if (req.method !== 'POST') return refuse(res, { status: 405, reason: 'POST a JSON {name, input} to /api/call.' });
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return refuse(res, { status: 415, reason: 'Send Content-Type: application/json.' });
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > maxBodyBytes) return refuse(res, { status: 413, reason: 'A call body may be at most 1 MiB.' });
      chunks.push(chunk as Buffer);
    }
    let envelope: unknown;
    try {
      envelope = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      const result: CallResult<never> = {
        ok: false,
        error: { code: 'CONTRACT_INVALID_INPUT', message: 'The body is not valid JSON.' },
      };
      res.writeHead(400, { 'content-type': 'application/json' });
      return res.end(JSON.stringify(result));
    }
    const result = await consoleCore.dispatch(envelope);
    res.writeHead(statusFor(result), { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(result));
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: maxBodyBytes });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/ws') return refuseUpgrade(socket, { status: 404, reason: 'WebSockets live at /ws.' });
    const refusal = gate(req, url, port, token, true);
    if (refusal) return refuseUpgrade(socket, refusal);
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws));
  });

  function serveSocket(ws: WebSocket) {
    const send = (msg: ServerWireMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
    };
    const session = consoleCore.openStreamSession(send);
    ws.on('message', (data) => {
      let msg: unknown;
      try {
        msg = JSON.parse(data.toString());
      } catch {
        return;
      }
      const m = msg as { t?: unknown; id?: unknown; name?: unknown; input?: unknown };
      if (m.t === 'call' && typeof m.id === 'number') {
        const id = m.id;
        void consoleCore.dispatch({ name: m.name, input: m.input }).then((result) => send({ t: 'result', id, result }));
        return;
      }
      session.handle(msg);
    });
    ws.on('close', () => session.closeAll());
    ws.on('error', (err) => log('headless socket error', err));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as import('node:net').AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    console: consoleCore,
    async close() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await consoleCore.close();
    },
  };
}

export function defaultRendererDir(hostDir: string): string {
  return path.resolve(hostDir, '..', 'renderer');
}

/** The demo job files shipped in the repository (jobs/demo), from the built host's folder (out/electron). */
export function defaultDemoJobsDir(hostDir: string): string {
  return path.resolve(hostDir, '..', '..', 'jobs', 'demo');
}
