import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const rendererDir = path.join(repoRoot, 'out', 'renderer');
export const resultsDir = path.join(repoRoot, 'test-results');
export const chromiumPath = '/usr/bin/chromium';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/**
 * `npm run test:e2e` builds first; when this file is run on its own, build the renderer if
 * out/renderer is missing or older than the sources, so the test never checks a stale page.
 */
export async function ensureRendererBuilt(): Promise<void> {
  const index = path.join(rendererDir, 'index.html');
  const sources = Math.max(newestMtime(path.join(repoRoot, 'renderer')), newestMtime(path.join(repoRoot, 'core', 'contract')));
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs >= sources) return;
  // A child process, because inside vitest NODE_ENV is "test" and Vite would bundle React's
  // development build: the page under test must be the one users get.
  const vite = path.join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js');
  const run = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
    cwd: repoRoot,
    env: { ...process.env, NODE_ENV: 'production' },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`vite build failed:\n${run.stdout}\n${run.stderr}`);
}

export function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(chromiumPath)) throw new Error(`${chromiumPath} is missing: apt-get install chromium`);
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

export interface Watched {
  context: BrowserContext;
  page: Page;
  /** Console errors and warnings, uncaught exceptions and CSP violations, in order. */
  problems: string[];
  /** Every WebSocket message, as text: `>` sent by the page, `<` received. */
  frames: string[];
}

/**
 * Records CSP violations in the page. Added through the debugger protocol, so the page's own
 * CSP does not block it. A string, because this file is type-checked without the DOM library.
 */
const recordCspViolations = `
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') +
      ' (' + e.sourceFile + ':' + e.lineNumber + ')');
  });
`;

/** A fresh page that records everything that would mean the console misbehaved. */
export async function openWatchedPage(browser: Browser, colorScheme: 'light' | 'dark'): Promise<Watched> {
  const context = await browser.newContext({ colorScheme, viewport: { width: 1440, height: 900 } });
  await context.addInitScript({ content: recordCspViolations });
  const page = await context.newPage();
  const problems: string[] = [];
  const frames: string[] = [];
  page.on('websocket', (ws) => {
    ws.on('framesent', (f) => frames.push(`> ${String(f.payload)}`));
    ws.on('framereceived', (f) => frames.push(`< ${String(f.payload)}`));
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`console.${msg.type()}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`uncaught: ${err.message}`));
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()} for ${new URL(res.url()).pathname}`);
  });
  return { context, page, problems, frames };
}

/** Everything gone wrong so far, CSP violations included. */
export async function collectProblems(w: Watched): Promise<string[]> {
  const csp = (await w.page.evaluate('window.__cspViolations ?? []')) as string[];
  return [...w.problems, ...csp.map((v) => `CSP: ${v}`)];
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** The data rows of an ARIA table, each as {column label: cell text}. */
export function readTable(page: Page, name: string | RegExp): Promise<Record<string, string>[]> {
  return page.getByRole('table', { name }).evaluate((table) => {
    const text = (el: { textContent: string | null }) => (el.textContent ?? '').trim();
    const labels = [...table.querySelectorAll('[role=columnheader]')].map(text);
    const rows = [...table.querySelectorAll('[role=rowgroup] + [role=rowgroup] [role=row]')];
    return rows
      .sort((a, b) => Number(a.getAttribute('aria-rowindex')) - Number(b.getAttribute('aria-rowindex')))
      .map((row) => Object.fromEntries([...row.querySelectorAll('[role=cell]')].map((cell, i) => [labels[i] ?? String(i), text(cell)])));
  });
}

/** What `standInForClusterChanges` lets a test do on the page's connection. */
export interface ChangesStandIn {
  /** Sends one batch of `cluster.changes` items to the page; waits until the page subscribed. */
  push(items: unknown[], dropped?: number): Promise<void>;
  /** How many `cluster.changes` subscriptions the page opened. */
  readonly subscribed: number;
}

/**
 * For a host that does not serve `cluster.changes` and `app.status.capabilities` yet: sits in
 * the page's WebSocket (call before the page loads), passes every frame through, answers the
 * page's `cluster.changes` subscription itself with the batches the test pushes, and adds
 * `capabilities` to the `app.status` result. It tests the renderer's half of the seam only.
 */
export async function standInForClusterChanges(page: Page, capabilities: unknown): Promise<ChangesStandIn> {
  let subId: number | null = null;
  let subscribed = 0;
  let toPage: ((message: string) => void) | null = null;
  const statusCalls = new Set<number>();
  await page.routeWebSocket(/\/ws$/, (ws) => {
    const server = ws.connectToServer();
    toPage = (m) => ws.send(m);
    ws.onMessage((raw) => {
      const msg = JSON.parse(String(raw)) as { t: string; id: number; name?: string };
      if (msg.t === 'sub' && msg.name === 'cluster.changes') {
        subId = msg.id;
        subscribed++;
        return;
      }
      if ((msg.t === 'ack' || msg.t === 'unsub') && msg.id === subId) return;
      if (msg.t === 'call' && msg.name === 'app.status') statusCalls.add(msg.id);
      server.send(String(raw));
    });
    server.onMessage((raw) => {
      const msg = JSON.parse(String(raw)) as { t: string; id: number; result?: { ok: boolean; data?: Record<string, unknown> } };
      if (msg.t === 'result' && statusCalls.delete(msg.id) && msg.result?.ok && msg.result.data) {
        msg.result.data['capabilities'] = capabilities;
        ws.send(JSON.stringify(msg));
        return;
      }
      ws.send(String(raw));
    });
  });
  return {
    get subscribed() {
      return subscribed;
    },
    async push(items, dropped = 0) {
      const deadline = Date.now() + 30_000;
      while ((subId === null || toPage === null) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      if (subId === null || toPage === null) throw new Error('the page never subscribed to cluster.changes');
      (toPage as (m: string) => void)(JSON.stringify({ t: 'batch', id: subId, batch: { items, cursor: null, dropped } }));
    },
  };
}
