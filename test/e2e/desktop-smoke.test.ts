import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { electronPackageDir, installedElectron } from '../../scripts/electron-binary.mjs';
import { repoRoot } from './browser.js';

// Smoke test of the desktop app itself: it starts, shows its window, and the window's bridge
// answers `app.status`. It needs an Electron binary, which cannot be downloaded on our build
// machines: where there is none, each case is skipped and says why.
//
// The packaged app's fuses turn off Node's --inspect flags, which Playwright's _electron.launch
// drives the main process through; so the app is started as a user would, with Chromium's
// --remote-debugging-port, and the window is reached over CDP.

/** The packaged app electron-builder left in release/ (or CANTAREIRA_PACKAGED_APP). */
function packagedApp(): string | null {
  if (process.env.CANTAREIRA_PACKAGED_APP) return process.env.CANTAREIRA_PACKAGED_APP;
  const release = path.join(repoRoot, 'release');
  const candidates =
    {
      linux: [path.join(release, 'linux-unpacked', 'cantareira-console')],
      darwin: ['mac', 'mac-arm64', 'mac-universal'].map((d) =>
        path.join(release, d, 'Cantareira Console.app', 'Contents', 'MacOS', 'Cantareira Console'),
      ),
      win32: [path.join(release, 'win-unpacked', 'Cantareira Console.exe')],
    }[process.platform as 'linux' | 'darwin' | 'win32'] ?? [];
  return candidates.find((c) => fs.existsSync(c)) ?? null;
}

function noDisplay(): string | null {
  if (process.platform !== 'linux' || process.env.DISPLAY || process.env.WAYLAND_DISPLAY) return null;
  return 'no display on this Linux machine (run it under xvfb-run)';
}

const builtApp = () => fs.existsSync(path.join(repoRoot, 'out', 'electron', 'main.cjs'));

let running: { app: ChildProcess; browser: Browser | null; dataDir: string } | null = null;
afterEach(async () => {
  if (!running) return;
  const { app, browser, dataDir } = running;
  running = null;
  await browser?.close().catch(() => {});
  if (app.exitCode === null && app.signalCode === null) {
    const exited = new Promise((r) => app.once('exit', r));
    app.kill('SIGTERM');
    await exited;
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Starts the app, waits for Chromium's "DevTools listening on ws://..." line, connects to it. */
async function launch(executable: string, args: string[]): Promise<Browser> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cantareira-desktop-'));
  const app = spawn(executable, [...args, `--data-dir=${dataDir}`, '--remote-debugging-port=0'], {
    cwd: repoRoot,
    env: { ...process.env, ELECTRON_ENABLE_LOGGING: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running = { app, browser: null, dataDir };
  const endpoint = await new Promise<string>((resolve, reject) => {
    let err = '';
    app.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(err);
      if (m) resolve(m[1]!);
    });
    app.once('error', reject);
    app.once('exit', (code) => reject(new Error(`the app exited (${code}) before its window came up:\n${err.slice(-2000)}`)));
  });
  running.browser = await chromium.connectOverCDP(endpoint);
  return running.browser;
}

async function expectWindowAnswers(browser: Browser): Promise<void> {
  const context = browser.contexts()[0]!;
  const page = context.pages().find((p) => p.url().startsWith('app://')) ?? (await context.waitForEvent('page'));
  await page.waitForLoadState('domcontentloaded');
  expect(new URL(page.url()).origin).toBe('app://bundle');
  expect(await page.evaluate('document.visibilityState')).toBe('visible');
  // The page's own bridge (preload.ts), as the renderer calls it.
  const status = await page.evaluate("window.cantareira.call('app.status', {})");
  expect(status).toMatchObject({ ok: true, data: expect.objectContaining({ host: 'electron' }) });
}

/** Skips with the reason, which npm test (scripts/test.mjs) lists from the JSON report's meta. */
function skipBecause(task: { meta: object }, skip: (note?: string) => never, why: string): never {
  (task.meta as { skipReason?: string }).skipReason = why;
  console.warn(`skipped: ${why}`);
  return skip(why);
}

describe('the desktop app (a real Electron)', () => {
  it('packaged (release/ from npm run dist): starts, shows its window, and answers app.status', async ({ skip, task }) => {
    const exe = packagedApp();
    const why = !exe ? 'no packaged app in release/ (npm run dist on a networked machine, or CANTAREIRA_PACKAGED_APP)' : noDisplay();
    if (why) return skipBecause(task, skip, why);
    await expectWindowAnswers(await launch(exe!, []));
  });

  it('from the source tree (electron .): starts, shows its window, and answers app.status', async ({ skip, task }) => {
    const pkg = electronPackageDir(path.join(repoRoot, 'package.json'));
    const exe = pkg ? installedElectron(pkg) : null;
    const why = !exe
      ? 'no Electron binary in node_modules/electron/dist (npm start downloads it where the network allows)'
      : !builtApp()
        ? 'the app is not built (npm run build)'
        : noDisplay();
    if (why) return skipBecause(task, skip, why);
    await expectWindowAnswers(await launch(exe!, ['.']));
  });
});
