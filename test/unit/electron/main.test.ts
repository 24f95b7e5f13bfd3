import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';

const fake = await vi.hoisted(async () => {
  const { EventEmitter } = await import('node:events');
  const state = { ready: false, lock: true, order: [] as string[], resolveReady: () => {} };
  let readyPromise = Promise.resolve();

  class FakeBrowserWindow extends EventEmitter {
    static created: FakeBrowserWindow[] = [];
    static getAllWindows = () => FakeBrowserWindow.created;
    webContents = Object.assign(new EventEmitter(), { id: 100 + FakeBrowserWindow.created.length });
    loaded: string[] = [];
    focused = false;
    constructor(public options: { webPreferences: Record<string, unknown> }) {
      super();
      FakeBrowserWindow.created.push(this);
    }
    show() {}
    isMinimized = () => false;
    restore() {}
    focus() {
      this.focused = true;
    }
    loadURL(url: string) {
      this.loaded.push(url);
      return Promise.resolve();
    }
  }

  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    enableSandbox: vi.fn(() => state.order.push('enableSandbox')),
    whenReady: () => readyPromise,
    setPath: vi.fn(),
    requestSingleInstanceLock: vi.fn(() => state.lock),
    getVersion: () => '9.9.9',
    quit: vi.fn(),
    exit: vi.fn(),
  });

  type RequestHandler = (wc: unknown, permission: string, callback: (granted: boolean) => void) => void;
  type CheckHandler = (wc: unknown, permission: string) => boolean;
  const permissionHandlers: { request?: RequestHandler; check?: CheckHandler } = {};
  return {
    state,
    app,
    FakeBrowserWindow,
    permissionHandlers,
    reset() {
      state.ready = false;
      state.lock = true;
      state.order = [];
      readyPromise = new Promise<void>((resolve) => (state.resolveReady = resolve));
      FakeBrowserWindow.created = [];
      app.removeAllListeners();
    },
    protocol: {
      registerSchemesAsPrivileged: vi.fn(() => {
        // Electron refuses this after ready; so does the fake, so a late call fails the test.
        if (state.ready) throw new Error('registerSchemesAsPrivileged after ready');
        state.order.push('registerSchemesAsPrivileged');
      }),
      handle: vi.fn(() => state.order.push('protocol.handle')),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: RequestHandler) => (permissionHandlers.request = h),
        setPermissionCheckHandler: (h: CheckHandler) => (permissionHandlers.check = h),
      },
    },
    ipcMain: { handle: vi.fn(), on: vi.fn(), removeHandler: vi.fn(), removeListener: vi.fn() },
    dialog: { showErrorBox: vi.fn() },
    Menu: { buildFromTemplate: vi.fn((t: unknown) => ({ template: t })), setApplicationMenu: vi.fn() },
    core: { close: vi.fn(async () => {}), dispatch: vi.fn(), openStreamSession: vi.fn(), status: {} },
    createConsole: vi.fn(),
    lock: { owner: { pid: 1, host: 'desktop app', startedAt: 0 }, release: vi.fn() },
    lockDataDir: vi.fn(),
  };
});

vi.mock('electron', () => ({
  app: fake.app,
  BrowserWindow: fake.FakeBrowserWindow,
  protocol: fake.protocol,
  session: fake.session,
  ipcMain: fake.ipcMain,
  dialog: fake.dialog,
  Menu: fake.Menu,
  shell: { openExternal: vi.fn() },
}));
vi.mock('../../../core/console.js', () => ({ createConsole: fake.createConsole }));
vi.mock('../../../core/store/lock.js', () => ({ lockDataDir: fake.lockDataDir }));

// main.ts installs signal and crash handlers on the process; each test removes its own.
const processEvents = ['SIGINT', 'SIGTERM', 'SIGHUP', 'uncaughtException', 'unhandledRejection'] as const;
let listenersBefore: Map<string, unknown[]>;
// The process's typed overloads do not take a union of event names; these helpers do.
const untyped = process as unknown as NodeJS.EventEmitter;

const dataDir = path.join(os.tmpdir(), 'cantareira-main-test');
const savedArgv = process.argv;

async function start(...args: string[]) {
  process.argv = ['/usr/bin/electron', 'out/electron/main.cjs', ...args];
  await import('../../../electron/main.js');
}

async function becomeReady() {
  fake.state.ready = true;
  fake.state.order.push('ready');
  fake.state.resolveReady();
  await new Promise((r) => setTimeout(r, 0));
}

beforeEach(() => {
  listenersBefore = new Map(processEvents.map((e) => [e, untyped.listeners(e)]));
  vi.spyOn(process, 'umask').mockImplementation(() => 0o022);
  vi.resetModules();
  vi.clearAllMocks();
  vi.spyOn(console, 'error').mockImplementation(() => {});
  fake.reset();
  fake.createConsole.mockReturnValue(fake.core);
  fake.lockDataDir.mockReturnValue(fake.lock);
});
afterEach(() => {
  for (const e of processEvents) {
    for (const l of untyped.listeners(e)) if (!listenersBefore.get(e)!.includes(l)) untyped.removeListener(e, l as () => void);
  }
  process.argv = savedArgv;
  vi.restoreAllMocks();
});

describe('Electron main', () => {
  test('enables the sandbox, registers app:// and guards web contents before ready, and does nothing else yet', async () => {
    await start('--data-dir', dataDir);
    expect(fake.app.listenerCount('web-contents-created')).toBe(1);
    expect(fake.createConsole).not.toHaveBeenCalled();
    expect(fake.FakeBrowserWindow.created).toEqual([]);

    await becomeReady();
    const order = fake.state.order;
    expect(order.indexOf('enableSandbox')).toBeGreaterThanOrEqual(0);
    expect(order.indexOf('enableSandbox')).toBeLessThan(order.indexOf('ready'));
    expect(order.indexOf('registerSchemesAsPrivileged')).toBeLessThan(order.indexOf('ready'));
    expect(order.indexOf('protocol.handle')).toBeGreaterThan(order.indexOf('ready'));
  });

  test('once ready, opens the console on the data dir and one hardened window on app://bundle', async () => {
    await start('--data-dir', dataDir, '--profile', 'prod', '--enable-logging');
    await becomeReady();

    expect(fake.createConsole).toHaveBeenCalledWith(
      expect.objectContaining({ dataDir, host: 'electron', version: '9.9.9', profileId: 'prod' }),
    );
    expect(fake.app.setPath).toHaveBeenCalledWith('userData', path.join(dataDir, 'electron'));
    expect(fake.ipcMain.handle).toHaveBeenCalledWith('cantareira:call', expect.any(Function));
    expect(fake.ipcMain.on).toHaveBeenCalledWith('cantareira:streams', expect.any(Function));
    expect(fake.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));

    const [win] = fake.FakeBrowserWindow.created;
    expect(fake.FakeBrowserWindow.created).toHaveLength(1);
    expect(win!.loaded).toEqual(['app://bundle/index.html']);
    expect(path.basename(String(win!.options.webPreferences.preload))).toBe('preload.cjs');
    expect(win!.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
  });

  test('once ready, the default session denies every permission', async () => {
    await start('--data-dir', dataDir);
    await becomeReady();
    const answers: boolean[] = [];
    fake.permissionHandlers.request!({}, 'media', (granted: boolean) => answers.push(granted));
    expect(answers).toEqual([false]);
    expect(fake.permissionHandlers.check!({}, 'media')).toBe(false);
  });

  test('a second console on the same data dir quits and opens nothing', async () => {
    fake.state.lock = false;
    await start('--data-dir', dataDir);
    await becomeReady();
    expect(fake.app.quit).toHaveBeenCalled();
    expect(fake.createConsole).not.toHaveBeenCalled();
    expect(fake.FakeBrowserWindow.created).toEqual([]);
  });

  test('a second launch focuses the open window instead', async () => {
    await start('--data-dir', dataDir);
    await becomeReady();
    fake.app.emit('second-instance');
    expect(fake.FakeBrowserWindow.created).toHaveLength(1);
    expect(fake.FakeBrowserWindow.created[0]!.focused).toBe(true);
  });

  test('bad arguments are shown to the user and exit with 2, without opening the console', async () => {
    await start('--data-dir');
    await becomeReady();
    expect(fake.dialog.showErrorBox).toHaveBeenCalledWith(expect.any(String), expect.stringContaining('--data-dir needs a value'));
    expect(fake.app.exit).toHaveBeenCalledWith(2);
    expect(fake.createConsole).not.toHaveBeenCalled();
  });

  test('quitting waits for the console to stop its tasks and close, then exits', async () => {
    await start('--data-dir', dataDir);
    await becomeReady();
    const event = { preventDefault: vi.fn() };
    fake.app.emit('will-quit', event);
    expect(event.preventDefault).toHaveBeenCalled();
    expect(fake.core.close).toHaveBeenCalledTimes(1);
    expect(fake.ipcMain.removeHandler).toHaveBeenCalledWith('cantareira:call');
    await vi.waitFor(() => expect(fake.app.exit).toHaveBeenCalledWith(0));
  });

  test('a data folder another console holds (the headless host, say) is reported by name, and nothing opens', async () => {
    const { ConsoleError } = await import('../../../core/errors.js');
    fake.lockDataDir.mockImplementation(() => {
      throw new ConsoleError(
        'DATA_DIR_LOCKED',
        'Another Cantareira Console (headless, pid 4242, started …) is using the data folder.',
        'Stop it.',
      );
    });
    await start('--data-dir', dataDir);
    await becomeReady();
    expect(fake.lockDataDir).toHaveBeenCalledWith(dataDir, 'desktop app');
    expect(fake.dialog.showErrorBox).toHaveBeenCalledWith(expect.any(String), expect.stringContaining('pid 4242'));
    expect(fake.app.exit).toHaveBeenCalledWith(1);
    expect(fake.createConsole).not.toHaveBeenCalled();
    expect(fake.FakeBrowserWindow.created).toEqual([]);
  });

  test('the data folder is locked before the console opens, and released after it closed', async () => {
    await start('--data-dir', dataDir);
    await becomeReady();
    expect(fake.lockDataDir.mock.invocationCallOrder[0]!).toBeLessThan(fake.createConsole.mock.invocationCallOrder[0]!);
    fake.app.emit('will-quit', { preventDefault: vi.fn() });
    await vi.waitFor(() => expect(fake.app.exit).toHaveBeenCalledWith(0));
    expect(fake.lock.release.mock.invocationCallOrder[0]!).toBeGreaterThan(fake.core.close.mock.invocationCallOrder[0]!);
  });

  test.each(['SIGTERM', 'SIGINT', 'SIGHUP'] as const)(
    '%s stops the tasks and closes the console once, then exits with 0',
    async (signal) => {
      await start('--data-dir', dataDir);
      await becomeReady();
      process.emit(signal);
      process.emit(signal);
      await vi.waitFor(() => expect(fake.app.exit).toHaveBeenCalledWith(0));
      expect(fake.core.close).toHaveBeenCalledTimes(1);
      expect(fake.lock.release).toHaveBeenCalledTimes(1);
    },
  );

  test('an uncaught exception in main stops the tasks before the app exits with 1', async () => {
    await start('--data-dir', dataDir);
    await becomeReady();
    untyped.emit('uncaughtException', new Error('bug'));
    await vi.waitFor(() => expect(fake.app.exit).toHaveBeenCalledWith(1));
    expect(fake.core.close).toHaveBeenCalledTimes(1);
  });

  test('a console that cannot start is reported and the app exits', async () => {
    fake.createConsole.mockImplementation(() => {
      throw new Error('disk on fire');
    });
    await start('--data-dir', dataDir);
    await becomeReady();
    expect(fake.dialog.showErrorBox).toHaveBeenCalledWith(expect.any(String), expect.stringContaining('disk on fire'));
    expect(fake.app.exit).toHaveBeenCalledWith(1);
    expect(fake.FakeBrowserWindow.created).toEqual([]);
  });
});
