import path from 'node:path';
import { app, BrowserWindow, dialog, Menu, session } from 'electron';
import { createConsole, type Console } from '../core/console.js';
import { isConsoleError } from '../core/errors.js';
import { defaultDataDir } from '../core/paths.js';
import { lockDataDir, type DataDirLock } from '../core/store/lock.js';
import type { HostArgs } from './args.js';
import { parseHostArgs, profileTarget } from './args.js';
import { registerIpc } from './ipc.js';
import { handleStops } from './lifecycle.js';
import { applicationMenu } from './menu.js';
import { denyPermissions, hardenApp, openWindow, serveRenderer } from './window.js';

/**
 * The Electron host: bundled to out/electron/main.cjs, next to preload.cjs, with the built
 * renderer in out/renderer. All it does is wire the core to a window.
 */

const log = (msg: string, err?: unknown) => console.error(`[cantareira] ${msg}`, err ?? '');

function fail(message: string, code: number): void {
  console.error(message);
  dialog.showErrorBox('Cantareira Console could not start', message);
  app.exit(code);
}

function start(args: HostArgs): void {
  const dataDir = path.resolve(args.dataDir ?? defaultDataDir());
  // Chromium's profile, and with it the single-instance lock, lives beside the database: one
  // console per data directory, so two never write the same SQLite file.
  app.setPath('userData', path.join(dataDir, 'electron'));
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }

  const preload = path.join(__dirname, 'preload.cjs');
  const windows = new Set<number>();
  let core: Console | null = null;
  let lock: DataDirLock | null = null;
  let stopIpc = () => {};

  // The one way the console stops, whatever asked: quitting, a signal, an uncaught error.
  // The embedded cluster's tasks are child processes: stop them and close the store first.
  let closing: Promise<void> | null = null;
  const closeConsole = () =>
    (closing ??= (async () => {
      stopIpc();
      const c = core;
      core = null;
      try {
        await c?.close();
      } finally {
        lock?.release();
        lock = null;
      }
    })());
  // Everything the console and its tasks create is readable by this user only.
  process.umask(0o077);
  void handleStops(process, closeConsole, log).stopped.then((code) => app.exit(code));

  const focusOrOpen = () => {
    const [win] = BrowserWindow.getAllWindows();
    if (!win) return void openWindow(preload, windows, log);
    if (win.isMinimized()) win.restore();
    win.focus();
  };

  app.on('second-instance', () => {
    if (core) focusOrOpen();
  });
  app.on('activate', () => {
    if (core) focusOrOpen();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', (event) => {
    if (!core && !closing) return;
    event.preventDefault();
    closeConsole().then(
      () => app.exit(0),
      (err: unknown) => {
        log('closing the console failed', err);
        app.exit(1);
      },
    );
  });

  app
    .whenReady()
    .then(() => {
      // Before anything is opened: the headless host on the same folder takes the same lock.
      try {
        lock = lockDataDir(dataDir, 'desktop app');
      } catch (e) {
        if (!isConsoleError(e)) throw e;
        return fail(`${e.message}${e.hint ? `\n\n${e.hint}` : ''}`, 1);
      }
      core = createConsole({
        dataDir,
        host: 'electron',
        version: process.env.CANTAREIRA_VERSION ?? app.getVersion(),
        ...profileTarget(args),
        demoJobsDir: app.isPackaged ? path.join(process.resourcesPath, 'jobs', 'demo') : path.join(__dirname, '..', '..', 'jobs', 'demo'),
        log,
      });
      stopIpc = registerIpc(core, windows, log);
      denyPermissions(session.defaultSession);
      serveRenderer(path.join(__dirname, '..', 'renderer'));
      Menu.setApplicationMenu(applicationMenu(app.isPackaged));
      openWindow(preload, windows, log);
    })
    .catch((err: unknown) => fail(`${err instanceof Error ? err.message : String(err)}`, 1));
}

// Before anything else: the sandbox and the app:// scheme can only be set up before 'ready'.
hardenApp();

// Electron's argv starts with the binary (and, unpackaged, the app path); Chromium adds flags of its own.
const parsed = parseHostArgs(process.argv.slice(app.isPackaged ? 1 : 2), { allowUnknown: true });
if (parsed.ok) start(parsed.args);
else fail(parsed.message, 2);
