import { beforeEach, describe, expect, test, vi } from 'vitest';

const electron = await vi.hoisted(async () => {
  const { EventEmitter } = await import('node:events');

  class FakeWebContents extends EventEmitter {
    static nextId = 1;
    id = FakeWebContents.nextId++;
    openHandler: ((details: { url: string }) => { action: string }) | null = null;
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
      this.openHandler = handler;
    }
  }

  class FakeBrowserWindow extends EventEmitter {
    static created: FakeBrowserWindow[] = [];
    webContents = new FakeWebContents();
    shown = false;
    loaded: string[] = [];
    constructor(public options: Record<string, unknown>) {
      super();
      FakeBrowserWindow.created.push(this);
    }
    show() {
      this.shown = true;
    }
    loadURL(url: string) {
      this.loaded.push(url);
      return Promise.resolve();
    }
  }

  const app = Object.assign(new EventEmitter(), { enableSandbox: vi.fn() });
  return {
    FakeWebContents,
    FakeBrowserWindow,
    app,
    protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
    shell: { openExternal: vi.fn(() => Promise.resolve()) },
  };
});

vi.mock('electron', () => ({
  app: electron.app,
  protocol: electron.protocol,
  shell: electron.shell,
  BrowserWindow: electron.FakeBrowserWindow,
}));

import {
  appEntryUrl,
  denyPermissions,
  guardWebContents,
  hardenApp,
  isAllowedExternal,
  isAppUrl,
  openWindow,
  webPreferences,
  windowOptions,
} from '../../../electron/window.js';

/** A navigation event as Electron hands it to will-navigate and friends. */
function navigation(url: string) {
  return {
    url,
    prevented: false,
    preventDefault() {
      this.prevented = true;
    },
  };
}

function guarded() {
  const contents = new electron.FakeWebContents();
  guardWebContents(contents as never);
  return contents;
}

const foreignUrls = [
  'https://evil.example/',
  'http://bundle/index.html',
  'file:///etc/passwd',
  'app://other/index.html',
  'app://bundle.evil.example/index.html',
  'app://bundle:8080/index.html',
  'app://user@bundle/index.html',
  'javascript:alert(1)',
  'not a url',
];

beforeEach(() => {
  vi.clearAllMocks();
  electron.app.removeAllListeners();
  electron.FakeBrowserWindow.created = [];
});

describe('the window', () => {
  test('runs the renderer isolated, sandboxed and without Node, with only our preload', () => {
    const prefs = webPreferences('/app/out/electron/preload.cjs');
    expect(prefs).toEqual({
      preload: '/app/out/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      disableBlinkFeatures: 'Auxclick',
    });
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
  });

  test('stays hidden until its first paint is ready', () => {
    const options = windowOptions('/p.cjs');
    expect(options.show).toBe(false);
    expect(options.webPreferences).toEqual(webPreferences('/p.cjs'));
  });

  test('opens on app://bundle/index.html, is trusted while it lives, and shows when ready', () => {
    const windows = new Set<number>();
    openWindow('/p.cjs', windows, () => {});
    const win = electron.FakeBrowserWindow.created[0]!;

    expect(win.options).toEqual(windowOptions('/p.cjs'));
    expect(win.loaded).toEqual([appEntryUrl]);
    expect(appEntryUrl).toBe('app://bundle/index.html');
    expect(windows.has(win.webContents.id)).toBe(true);
    expect(win.shown).toBe(false);

    win.emit('ready-to-show');
    expect(win.shown).toBe(true);

    win.webContents.emit('destroyed');
    expect(windows.size).toBe(0);
  });
});

describe('app URLs', () => {
  test('only app://bundle is ours, compared by parsed scheme and host', () => {
    expect(isAppUrl('app://bundle/index.html')).toBe(true);
    expect(isAppUrl('app://bundle/x')).toBe(true);
    for (const url of foreignUrls) expect(isAppUrl(url), url).toBe(false);
  });
});

describe('before ready', () => {
  test('hardenApp turns on the sandbox for all renderers and makes app:// a secure standard scheme', () => {
    hardenApp();
    expect(electron.app.enableSandbox).toHaveBeenCalledTimes(1);
    expect(electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
  });

  test('hardenApp guards every web contents Electron creates, not only our windows', () => {
    hardenApp();
    const contents = new electron.FakeWebContents();
    electron.app.emit('web-contents-created', {}, contents);

    const nav = navigation('https://evil.example/');
    contents.emit('will-navigate', nav);
    expect(nav.prevented).toBe(true);
    expect(contents.openHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
  });
});

describe('navigation', () => {
  test.each(['will-navigate', 'will-redirect', 'will-frame-navigate'])('%s to a foreign URL is prevented', (name) => {
    const contents = guarded();
    for (const url of foreignUrls) {
      const nav = navigation(url);
      contents.emit(name, nav);
      expect(nav.prevented, `${name} ${url}`).toBe(true);
    }
  });

  test.each(['will-navigate', 'will-redirect', 'will-frame-navigate'])('%s within app://bundle goes ahead', (name) => {
    const contents = guarded();
    const nav = navigation('app://bundle/x');
    contents.emit(name, nav);
    expect(nav.prevented).toBe(false);
  });

  test('a webview is never attached', () => {
    const contents = guarded();
    const attach = navigation('https://evil.example/');
    contents.emit('will-attach-webview', attach, {}, { src: 'https://evil.example/' });
    expect(attach.prevented).toBe(true);
  });
});

describe('new windows', () => {
  test('are always denied; an allow-listed https link opens in the user browser instead', () => {
    const contents = guarded();
    const url = 'https://us-east-1.console.aws.amazon.com/ec2/home';
    expect(contents.openHandler?.({ url })).toEqual({ action: 'deny' });
    expect(electron.shell.openExternal).toHaveBeenCalledWith(url);
  });

  test.each([
    'https://evil.example/',
    'http://console.aws.amazon.com/',
    'https://console.aws.amazon.com.evil.example/',
    'https://user@docs.aws.amazon.com/',
    'file:///etc/passwd',
    'app://bundle/index.html',
  ])('%s is denied and not opened anywhere', (url) => {
    const contents = guarded();
    expect(contents.openHandler?.({ url })).toEqual({ action: 'deny' });
    expect(electron.shell.openExternal).not.toHaveBeenCalled();
  });

  test('the external allowlist takes only https on known hosts and their subdomains', () => {
    expect(isAllowedExternal('https://docs.aws.amazon.com/ec2/')).toBe(true);
    expect(isAllowedExternal('https://aurora.apache.org/documentation/')).toBe(true);
    expect(isAllowedExternal('https://notdocs.aws.amazon.com/')).toBe(false);
    expect(isAllowedExternal('https://docs.aws.amazon.com:8443/')).toBe(false);
  });
});

describe('permissions', () => {
  test('every permission request is answered no, and every check says no', () => {
    let request: ((wc: unknown, permission: string, callback: (granted: boolean) => void) => void) | null = null;
    let check: ((wc: unknown, permission: string) => boolean) | null = null;
    denyPermissions({
      setPermissionRequestHandler: (h: typeof request) => (request = h),
      setPermissionCheckHandler: (h: typeof check) => (check = h),
    } as never);

    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read']) {
      const answers: boolean[] = [];
      request!({}, permission, (granted) => answers.push(granted));
      expect(answers, permission).toEqual([false]);
      expect(check!({}, permission), permission).toBe(false);
    }
  });
});
