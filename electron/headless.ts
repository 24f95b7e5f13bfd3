import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { WebSocketServer } from 'ws';
import type { ContractError } from '../core/contract/index.js';
import type { CommandLineCluster } from '../core/handlers/profiles.js';
import { createConsole, type Console } from '../core/console.js';
import { lockDataDir } from '../core/store/lock.js';
import { checkCaller, checkToken, newToken, presentedToken, socketProtocol } from './headless-auth.js';
import { serveSocket } from './headless-socket.js';
import { sendError, sendResult } from './http-status.js';
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
  /** Open this in a browser: it carries the token once; the page keeps it in sessionStorage. */
  url: string;
  origin: string;
  port: number;
  token: string;
  console: Console;
  close(): Promise<void>;
}

const maxBodyBytes = 1024 * 1024;

function refuseUpgrade(socket: import('node:stream').Duplex, status: number, error: ContractError) {
  const text = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 503: 'Service Unavailable' }[status] ?? 'Refused';
  const body = JSON.stringify({ ok: false, error });
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** A document load (not a script, style or image): the only request that may carry `?token=`. */
const isPageLoad = (pathname: string) => path.extname(pathname) === '';

/**
 * Starts the host. In this order, so a failed start leaves nothing behind: the data folder's
 * lock (a second console on it is refused before it touches anything), the port (a port in
 * use fails before a single task is started), then the console and its cluster.
 */
export async function startHeadlessHost(options: HeadlessOptions): Promise<HeadlessHost> {
  const log = options.log ?? ((msg, err) => console.error(msg, err ?? ''));
  const lock = lockDataDir(options.dataDir, 'headless');
  const token = newToken();
  let port = 0;
  let consoleCore: Console | null = null;
  const csp = () => contentSecurityPolicy([`ws://127.0.0.1:${port}`, `ws://localhost:${port}`]);
  const notReady: ContractError = {
    code: 'HOST_NOT_READY',
    message: 'The console is starting or stopping.',
    hint: 'Try again in a moment.',
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const refusal = checkCaller(req, port, false);
    if (refusal) return sendError(res, refusal);

    if (url.pathname === '/api/call') {
      const denied = checkToken(presentedToken(req, url, 'api'), token);
      if (denied) return sendError(res, denied);
      return void handleApiCall(req, res);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendError(
        res,
        { code: 'HTTP_METHOD_NOT_ALLOWED', message: `${req.method} is not served here.`, hint: 'Pages are GET; calls are POST /api/call.' },
        { allow: 'GET, HEAD' },
      );
    }
    // The page's first load carries the token; a wrong one is refused so the user knows at once.
    if (url.searchParams.has('token') && isPageLoad(url.pathname)) {
      const denied = checkToken(presentedToken(req, url, 'page'), token);
      if (denied) return sendError(res, denied);
    }
    // The raw path, not the URL parser's normalised one, so `/../x` is refused rather than folded.
    const rawPath = (req.url ?? '/').split('?')[0]!;
    const found = resolveStatic(options.rendererDir, rawPath);
    if (!found.ok) {
      const code = found.status === 404 ? 'HTTP_NOT_FOUND' : found.status === 403 ? 'HOST_FORBIDDEN' : 'CONTRACT_INVALID_INPUT';
      return sendError(res, { code, message: found.reason });
    }
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
    if (req.method !== 'POST') {
      return sendError(
        res,
        {
          code: 'HTTP_METHOD_NOT_ALLOWED',
          message: `${req.method} /api/call is not served.`,
          hint: 'POST a JSON {name, input} to /api/call.',
        },
        { allow: 'POST' },
      );
    }
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return sendError(res, {
        code: 'HTTP_UNSUPPORTED_MEDIA_TYPE',
        message: 'A call is JSON.',
        hint: 'Send Content-Type: application/json.',
      });
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > maxBodyBytes) {
        return sendError(
          res,
          { code: 'HTTP_BODY_TOO_LARGE', message: 'A call body may be at most 1 MiB.', hint: 'Send a smaller call.' },
          { connection: 'close' },
        );
      }
      chunks.push(chunk as Buffer);
    }
    let envelope: unknown;
    try {
      envelope = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return sendError(res, { code: 'CONTRACT_INVALID_INPUT', message: 'The body is not valid JSON.', hint: 'POST a JSON {name, input}.' });
    }
    if (!consoleCore) return sendError(res, notReady);
    sendResult(res, await consoleCore.dispatch(envelope));
  }

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: maxBodyBytes,
    // Never echo the token protocol back: the page asks for ours and gets it.
    handleProtocols: (offered) => (offered.has(socketProtocol) ? socketProtocol : false),
  });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/ws') return refuseUpgrade(socket, 404, { code: 'HTTP_NOT_FOUND', message: 'WebSockets live at /ws.' });
    const refusal = checkCaller(req, port, true);
    if (refusal) return refuseUpgrade(socket, 403, refusal);
    const denied = checkToken(presentedToken(req, url, 'socket'), token);
    if (!consoleCore && !denied) return refuseUpgrade(socket, 503, notReady);
    wss.handleUpgrade(req, socket, head, (ws) => {
      // A browser cannot read the status of a refused handshake, so a wrong token is said on
      // an open socket: close code 4401 and the reason, and the page asks for the new address.
      if (denied) {
        const why = denied.message.includes('wrong') ? `${denied.message} The console makes a new one at every start.` : denied.message;
        return ws.close(4401, why.slice(0, 120));
      }
      serveSocket(ws, consoleCore!, log);
    });
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
  } catch (e) {
    lock.release();
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE') {
      throw new Error(
        `port ${options.port} on 127.0.0.1 is in use by another program; start with --port <another port>, or without --port for a free one.`,
      );
    }
    throw e;
  }
  port = (server.address() as import('node:net').AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  const closeServer = async () => {
    for (const ws of wss.clients) ws.terminate();
    wss.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };

  try {
    consoleCore = createConsole({
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
  } catch (e) {
    await closeServer();
    lock.release();
    throw e;
  }
  const core = consoleCore;

  let closing: Promise<void> | null = null;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    console: core,
    close() {
      // Once: a second signal while stopping waits for the same stop.
      closing ??= (async () => {
        await closeServer();
        try {
          await core.close();
        } finally {
          lock.release();
        }
      })();
      return closing;
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
