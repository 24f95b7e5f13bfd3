/**
 * The headless host's token, as a browser carries it: the console page works, and no other
 * server on 127.0.0.1 that the same browser visits afterwards ever sees the token (cookies are
 * not isolated by port; the token is worth a shell). A page opened without the token, or
 * holding the token of an earlier start, says what to open instead.
 */
import http from 'node:http';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureRendererBuilt, launchChromium, openWatchedPage, readTable, screenshot } from './browser.js';
import { after, cleanUp, openConsole, startHost } from './host.js';

let browser: Browser;

beforeAll(async () => {
  await ensureRendererBuilt();
  browser = await launchChromium();
});
afterEach(cleanUp);
afterAll(async () => {
  await browser?.close();
});

/** Another local web server, as a developer has a few of: it records every request it gets. */
async function otherLocalServer() {
  const seen: { url: string; headers: http.IncomingHttpHeaders }[] = [];
  const server = http.createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>other</title><img src="/pixel.png"><script>fetch("/api", {credentials: "include"})</script>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  after(() => new Promise<void>((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}/`, seen };
}

describe('the token of the headless host', () => {
  it('never reaches another server on 127.0.0.1 that the browser visits after opening the console', async () => {
    const host = await startHost();
    const w = await openConsole(browser, host, 'light', '#/agents');
    await expect.poll(async () => (await readTable(w.page, /^Agents of profile embedded$/)).length).toBe(3);
    expect(w.page.url()).not.toContain(host.token);
    expect(await w.context.cookies()).toEqual([]);

    const other = await otherLocalServer();
    // The same tab goes there (a link, a typed address), and so does a new tab of the same browser.
    await w.page.goto(other.url);
    await w.page.goto(`${other.url.replace('127.0.0.1', 'localhost')}again`);
    const tab = await w.context.newPage();
    await tab.goto(other.url);
    await expect.poll(() => other.seen.filter((r) => r.url === '/api').length).toBeGreaterThanOrEqual(3);

    expect(other.seen.length).toBeGreaterThanOrEqual(9);
    for (const r of other.seen) {
      expect(JSON.stringify(r.headers)).not.toContain(host.token);
      expect(r.url).not.toContain(host.token);
    }
  });

  it('a page without the token, or with the token of an earlier start, says what to open', async () => {
    const host = await startHost();
    const w = await openWatchedPage(browser, 'light');
    after(() => w.context.close());
    await w.page.goto(`${host.origin}/#/agents`);
    await w.page.getByText('The console host refused this page.').waitFor();
    await w.page.getByText(/no token/).waitFor();
    await screenshot(w.page, 'host-refused-no-token');

    // The right address works in the same tab; a stale token (the host restarted) is refused again.
    await w.page.goto(`${host.url}#/agents`);
    await expect.poll(async () => (await readTable(w.page, /^Agents of profile embedded$/)).length).toBe(3);
    await w.page.evaluate(`sessionStorage.setItem('cantareira.token', 'an-earlier-token')`);
    await w.page.reload();
    await w.page.getByText('The console host refused this page.').waitFor();
    await w.page.getByText(/wrong token/).waitFor();
    await screenshot(w.page, 'host-refused-stale-token');
  });
});
