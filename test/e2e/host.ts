import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { startHeadlessHost, type HeadlessHost } from '../../electron/headless.js';
import { openWatchedPage, rendererDir, type Watched } from './browser.js';

const cleanups: (() => Promise<void> | void)[] = [];

/** Registers something to close when the test ends, after what was opened before it. */
export function after(cleanup: () => Promise<void> | void): void {
  cleanups.push(cleanup);
}

/** Closes every host, page and temp folder the test opened (call in afterEach). */
export async function cleanUp(): Promise<void> {
  for (const c of cleanups.splice(0).reverse()) await c();
}

export interface HostOptions {
  /** Seeds the data dir before the host starts. */
  prepare?: (dataDir: string) => void;
  profileId?: string;
  /** Job files the embedded profile submits on its first start (the repository's jobs/demo). */
  demoJobsDir?: string;
  /** Shorter embedded-cluster timings, so tests do not wait on production pacing. */
  embedded?: { tickMs?: number; graceMs?: number };
  /** How often a real cluster is read (its servers are loopback fixtures here). */
  mesosPollMs?: number;
  auroraPollMs?: number;
}

/** A headless host on a fresh temp data dir. */
export async function startHost(options: HostOptions = {}): Promise<HeadlessHost> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cantareira-e2e-'));
  const dataDir = path.join(dir, 'data');
  fs.mkdirSync(dataDir, { recursive: true });
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  options.prepare?.(dataDir);
  const host = await startHeadlessHost({
    dataDir,
    rendererDir,
    version: '0.1.0',
    log: () => {},
    ...(options.profileId ? { profileId: options.profileId } : {}),
    ...(options.demoJobsDir ? { demoJobsDir: options.demoJobsDir } : {}),
    ...(options.embedded ? { embedded: options.embedded } : {}),
    ...(options.mesosPollMs === undefined ? {} : { mesosPollMs: options.mesosPollMs }),
    ...(options.auroraPollMs === undefined ? {} : { auroraPollMs: options.auroraPollMs }),
  });
  cleanups.push(() => host.close());
  return host;
}

/**
 * Opens the host's one-time URL in a fresh, watched browser context, on the first screen or on
 * `hash` (e.g. `#/agents`; the page moves the token to sessionStorage and keeps the fragment).
 */
export async function openConsole(browser: Browser, host: HeadlessHost, colorScheme: 'light' | 'dark', hash = ''): Promise<Watched> {
  const w = await openWatchedPage(browser, colorScheme);
  cleanups.push(() => w.context.close());
  await w.page.goto(host.url + hash);
  return w;
}
