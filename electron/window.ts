import fs from 'node:fs/promises';
import {
  app,
  BrowserWindow,
  protocol,
  shell,
  type BrowserWindowConstructorOptions,
  type Session,
  type WebContents,
  type WebPreferences,
} from 'electron';
import { contentSecurityPolicy, resolveStatic } from './static.js';

/**
 * The desktop window and everything that keeps web content inside it: the only page it ever
 * shows is our renderer, served from app://bundle, sandboxed, without Node, without
 * permissions, without popups, webviews or navigation elsewhere.
 */

export const appEntryUrl = 'app://bundle/index.html';

/** Links the renderer may open in the user's browser: https only, these hosts and their subdomains. */
const externalHosts = ['console.aws.amazon.com', 'docs.aws.amazon.com', 'mesos.apache.org', 'aurora.apache.org'];

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * Whether `url` belongs to our renderer. Node's URL reports origin "null" for schemes it does not
 * know (app: is one), so the scheme and host are compared instead of `origin`.
 */
export function isAppUrl(url: string): boolean {
  const u = parse(url);
  return u !== null && u.protocol === 'app:' && u.host === 'bundle' && u.username === '' && u.password === '';
}

export function isAllowedExternal(url: string): boolean {
  const u = parse(url);
  if (!u || u.protocol !== 'https:' || u.username !== '' || u.password !== '' || u.port !== '') return false;
  return externalHosts.some((h) => u.hostname === h || u.hostname.endsWith('.' + h));
}

export function webPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    // Middle-click would otherwise open links in a new window, around setWindowOpenHandler's UI.
    disableBlinkFeatures: 'Auxclick',
  };
}

export function windowOptions(preload: string): BrowserWindowConstructorOptions {
  return {
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: 'Cantareira Console',
    // Shown on ready-to-show, so the user never sees an empty frame.
    show: false,
    webPreferences: webPreferences(preload),
  };
}

/**
 * What must happen before the app is ready: the sandbox for every renderer, app:// as a secure
 * standard scheme (so it has an origin, fetch and a CSP), and guards on every web contents
 * Electron ever creates, not only the windows we open.
 */
export function hardenApp(): void {
  app.enableSandbox();
  protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents));
}

export function guardWebContents(contents: WebContents): void {
  const stayInApp = (event: { url: string; preventDefault(): void }) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  };
  contents.on('will-navigate', stayInApp);
  contents.on('will-frame-navigate', stayInApp);
  contents.on('will-redirect', stayInApp);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternal(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

/** Electron grants every permission by default; the console needs none. */
export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

export function serveRenderer(rendererDir: string): void {
  protocol.handle('app', rendererResponder(rendererDir));
}

/**
 * The app:// handler: files of the built renderer, confined to its folder, each with our CSP.
 * It takes the path from the URL as written rather than the parsed one, so `/../x` is refused
 * instead of being folded into `/x` (the same rule as the headless host).
 */
export function rendererResponder(rendererDir: string, csp: string = contentSecurityPolicy()) {
  const text = (status: number, body: string) =>
    new Response(body + '\n', { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'content-security-policy': csp } });

  return async (request: Request): Promise<Response> => {
    if (!isAppUrl(request.url)) return text(404, 'Only app://bundle is served.');
    if (request.method !== 'GET' && request.method !== 'HEAD') return text(405, 'Only GET and HEAD are served.');
    try {
      const found = resolveStatic(rendererDir, rawPath(request.url));
      if (!found.ok) return text(found.status, found.reason);
      const body = request.method === 'HEAD' ? null : new Uint8Array(await fs.readFile(found.file));
      return new Response(body, {
        status: 200,
        headers: {
          'content-type': found.contentType,
          'content-security-policy': csp,
          'x-content-type-options': 'nosniff',
          'cache-control': 'no-cache',
        },
      });
    } catch {
      return text(500, `The renderer could not be read from ${rendererDir}; run npm run build.`);
    }
  };
}

/** The path part of an app://bundle URL, still percent-encoded and with its dot segments. */
function rawPath(url: string): string {
  const beforeQuery = url.split(/[?#]/, 1)[0]!;
  const afterScheme = beforeQuery.slice(beforeQuery.indexOf('//') + 2);
  const slash = afterScheme.indexOf('/');
  return slash < 0 ? '/' : afterScheme.slice(slash);
}

/**
 * Opens the console's window on the renderer. `windows` holds the web contents ids IPC trusts;
 * the id is added before the page loads (its preload talks at once) and dropped when it dies.
 */
export function openWindow(preload: string, windows: Set<number>, log: (msg: string, err?: unknown) => void): BrowserWindow {
  const win = new BrowserWindow(windowOptions(preload));
  const id = win.webContents.id;
  windows.add(id);
  win.webContents.once('destroyed', () => windows.delete(id));
  win.once('ready-to-show', () => win.show());
  win.loadURL(appEntryUrl).catch((err: unknown) => log(`could not load ${appEntryUrl}`, err));
  return win;
}
