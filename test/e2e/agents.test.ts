import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHeadlessHost, type HeadlessHost } from '../../electron/headless.js';
import { collectProblems, ensureRendererBuilt, launchChromium, readTable, rendererDir, screenshot } from './browser.js';
import { after, cleanUp, openConsole, startHost } from './host.js';
import { eventIdsAfter, lastCursor, subscriptions } from './frames.js';

let browser: Browser;

beforeAll(async () => {
  await ensureRendererBuilt();
  browser = await launchChromium();
});
afterEach(cleanUp);
afterAll(async () => {
  await browser?.close();
});

const open = (host: HeadlessHost, colorScheme: 'light' | 'dark') => openConsole(browser, host, colorScheme, '#/agents');
const agentsTable = /^Agents of profile embedded$/;

describe('Agents screen on the embedded cluster', () => {
  it('lists the three embedded agents, filters by type and text, sorts, and logs nothing bad', async () => {
    const host = await startHost();
    const w = await open(host, 'light');
    const { page } = w;

    // The token left the address bar (for sessionStorage), and the console opened on Agents as linked.
    await expect.poll(() => page.url()).toMatch(/\/#\/agents$/);
    expect(page.url()).not.toContain('token=');
    await page.getByRole('table', { name: agentsTable }).waitFor();
    await expect.poll(async () => (await readTable(page, agentsTable)).length).toBe(3);

    expect(await page.getByTestId('active-profile').textContent()).toContain('embedded');
    expect(await page.title()).toBe('Agents · embedded · Cantareira Console');

    const rows = await readTable(page, agentsTable);
    const byHost = Object.fromEntries(rows.map((r) => [r['Hostname'], r]));
    expect(Object.keys(byHost).sort()).toEqual([
      'mesos-fixed-1.embedded.local',
      'mesos-on-demand-1.embedded.local',
      'mesos-on-demand-2.embedded.local',
    ]);
    expect(byHost['mesos-fixed-1.embedded.local']).toMatchObject({
      'Slave type': 'mesos-fixed',
      'Instance type': 'm5.2xlarge',
      CPUs: '0 / 8',
      'Mem GiB': '0 / 32',
      'Disk GiB': '0 / 100',
      Tasks: '0',
      State: 'registered',
      Registered: 'just now',
    });
    for (const h of ['mesos-on-demand-1.embedded.local', 'mesos-on-demand-2.embedded.local']) {
      expect(byHost[h]).toMatchObject({
        'Slave type': 'mesos-on-demand',
        'Instance type': 'm5.xlarge',
        CPUs: '0 / 4',
        'Mem GiB': '0 / 16',
      });
    }
    // A click on an agent opens it beside the table, with its sandbox root.
    await page.getByRole('table', { name: agentsTable }).getByRole('row').filter({ hasText: 'mesos-fixed-1.embedded.local' }).click();
    const panel = page.getByRole('complementary', { name: 'Agent mesos-fixed-1.embedded.local' });
    const sandbox = await panel
      .getByRole('button', { name: 'Copy sandbox root of mesos-fixed-1.embedded.local' })
      .locator('xpath=..')
      .textContent();
    expect(sandbox).toContain(path.join('embedded', 'embedded', 'agents', 'embedded-mesos-fixed-1'));
    expect(await panel.getByRole('table', { name: 'Tasks on this agent' }).count()).toBe(0);
    expect(await panel.textContent()).toContain('No active tasks on this agent.');
    await panel.getByRole('button', { name: 'Close agent details' }).click();
    await panel.waitFor({ state: 'detached' });

    // Counts per slave type, including the profile's pools that have no agents yet.
    const types = page.getByRole('group', { name: 'Filter by slave type' });
    expect(await types.getByRole('button').evaluateAll((bs) => bs.map((b) => b.getAttribute('aria-label')))).toEqual([
      'All types: 3 agents',
      'mesos-fixed: 1 agent',
      'mesos-on-demand: 2 agents',
      'mesos-spot: 0 agents',
      'model: 0 agents',
    ]);
    await screenshot(page, 'agents');

    // Filter by slave type: only on-demand agents, and the URL keeps the filter.
    await types.getByRole('button', { name: /^mesos-on-demand/ }).click();
    await expect
      .poll(async () => (await readTable(page, agentsTable)).map((r) => r['Hostname']))
      .toEqual(['mesos-on-demand-1.embedded.local', 'mesos-on-demand-2.embedded.local']);
    expect(page.url()).toContain('type=mesos-on-demand');
    expect(await page.getByTestId('agents-summary').textContent()).toBe('2 of 3 agents · 8 CPUs · 32 GiB memory');
    await screenshot(page, 'agents-filtered');

    // A type with no agents says so and offers to clear the filter.
    await types.getByRole('button', { name: /^mesos-spot/ }).click();
    await page.getByText('No agents match the filters').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(async () => (await readTable(page, agentsTable)).length).toBe(3);

    // Free text over hostname and attributes.
    const filter = page.getByRole('searchbox', { name: /Filter agents/ });
    await filter.fill('pool-kind=fixed');
    await expect.poll(async () => (await readTable(page, agentsTable)).map((r) => r['Hostname'])).toEqual(['mesos-fixed-1.embedded.local']);
    await filter.fill('on-demand-2');
    await expect
      .poll(async () => (await readTable(page, agentsTable)).map((r) => r['Hostname']))
      .toEqual(['mesos-on-demand-2.embedded.local']);
    await filter.fill('');

    // Sorting by a column header, both ways.
    const instanceType = page.getByRole('columnheader', { name: 'Instance type' });
    await instanceType.getByRole('button').click();
    await expect
      .poll(async () => (await readTable(page, agentsTable)).map((r) => r['Instance type']))
      .toEqual(['m5.2xlarge', 'm5.xlarge', 'm5.xlarge']);
    expect(await instanceType.getAttribute('aria-sort')).toBe('ascending');
    await instanceType.getByRole('button').click();
    await expect
      .poll(async () => (await readTable(page, agentsTable)).map((r) => r['Instance type']))
      .toEqual(['m5.xlarge', 'm5.xlarge', 'm5.2xlarge']);

    expect(await collectProblems(w)).toEqual([]);
  });

  it('follows a dark system theme', async () => {
    const host = await startHost();
    const w = await open(host, 'dark');
    await expect.poll(async () => (await readTable(w.page, agentsTable)).length).toBe(3);
    expect(await w.page.locator('body').getAttribute('class')).toContain('bp6-dark');
    await screenshot(w.page, 'agents-dark');
    expect(await collectProblems(w)).toEqual([]);
  });

  it('says so when the host goes away, and picks up where it left off when it is back', async () => {
    const first = await startHost();
    const w = await open(first, 'dark');
    const { page } = w;
    await expect.poll(async () => (await readTable(page, agentsTable)).length).toBe(3);
    // The page follows cluster events; note where the stream stood before the host went away.
    await expect.poll(() => lastCursor(w.frames)).toBeGreaterThan(0);
    const cursor = lastCursor(w.frames);

    await first.close();
    await page.getByText('Lost the connection to the console host.').waitFor();
    expect((await readTable(page, agentsTable)).length).toBe(3);
    // A refresh now fails at once and says so, and the last list stays on screen.
    await page.getByRole('button', { name: 'Refresh agents' }).click();
    await page.getByText(/not refreshed while the console host is out of reach/).waitFor();
    expect((await readTable(page, agentsTable)).length).toBe(3);
    await screenshot(page, 'connection-lost');

    // The host comes back on the same port and data with a new token. The page asks for the
    // new address: here it gets the token that address would have given it.
    const second = await startHeadlessHost({ dataDir: first.console.status.dataDir, rendererDir, port: first.port, log: () => {} });
    after(() => second.close());
    await page.evaluate(`sessionStorage.setItem('cantareira.token', ${JSON.stringify(second.token)})`);
    // Skip the backoff wait, unless the page has already reconnected on its own meanwhile.
    await page
      .getByRole('button', { name: 'Retry now' })
      .click({ timeout: 2_000 })
      .catch(() => undefined);
    await page.getByText('Lost the connection to the console host.').waitFor({ state: 'detached' });
    await page.getByText(/Showing the agents as of/).waitFor({ state: 'detached' });

    // Resubscribed from the last cursor: only events after it arrive (the second start's own).
    await expect
      .poll(() =>
        subscriptions(w.frames)
          .filter((s) => s.name === 'cluster.events')
          .at(-1),
      )
      .toMatchObject({ name: 'cluster.events', input: { after: cursor } });
    // The cluster's changes are subscribed to again as well: a fresh start, beginning with its freshness.
    expect(subscriptions(w.frames).filter((s) => s.name === 'cluster.changes').length).toBeGreaterThanOrEqual(2);
    await expect.poll(() => eventIdsAfter(w.frames, cursor).length).toBeGreaterThan(0);
    expect(Math.min(...eventIdsAfter(w.frames, cursor))).toBeGreaterThan(cursor);
    expect((await readTable(page, agentsTable)).length).toBe(3);

    // The browser itself reports the refused reconnection attempts; nothing else may appear.
    const problems = (await collectProblems(w)).filter((p) => !/WebSocket connection to .* failed/.test(p));
    expect(problems).toEqual([]);
  });
});

describe('Startup error screen', () => {
  it('names the damaged database file and says what to do', async () => {
    let dbFile = '';
    const host = await startHost({
      prepare: (dataDir) => {
        dbFile = path.join(dataDir, 'cantareira.db');
        fs.writeFileSync(dbFile, 'this is not a SQLite database\n'.repeat(200));
      },
    });
    expect(host.console.status.startupError?.code).toBe('STORE_CORRUPT');
    const w = await open(host, 'light');
    const alert = w.page.getByRole('alert');
    await alert.waitFor();
    const text = await alert.innerText();
    expect(text).toContain('The console’s database is damaged');
    expect(text).toContain(`The database ${dbFile} is damaged`);
    expect(text).toContain('What to do');
    expect(text).toContain(`move ${dbFile} aside`);
    expect(text).toContain('STORE_CORRUPT');
    // Nothing pretends to work: no navigation, no agents table.
    expect(await w.page.getByRole('navigation', { name: 'Screens' }).count()).toBe(0);
    await screenshot(w.page, 'startup-error');
    expect(await collectProblems(w)).toEqual([]);
  });
});
