import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Pool } from '../../core/contract/index.js';
import { databaseFile } from '../../core/paths.js';
import { openStore } from '../../core/store/index.js';
import { collectProblems, ensureRendererBuilt, launchChromium, readTable, screenshot } from './browser.js';
import { cleanUp, openConsole, startHost } from './host.js';

let browser: Browser;
/** Polls wait as long as a busy machine needs; what they check is what is shown, not how soon. */
const patiently = { timeout: 30_000 };

beforeAll(async () => {
  await ensureRendererBuilt();
  browser = await launchChromium();
});
afterEach(cleanUp);
afterAll(async () => {
  await browser?.close();
});

/** Seeds an embedded profile with these pools, so the host opens it instead of the built-in one. */
function seedProfile(id: string, pools: Pool[]) {
  return (dataDir: string) => {
    const store = openStore(databaseFile(dataDir));
    try {
      store.profiles.ensure({ id, name: id, kind: 'embedded', builtin: false, pools }, Date.now());
    } finally {
      store.close();
    }
  };
}

describe('Agents screen on other profiles', () => {
  it('stays light with 5,000 agents: few rows in the DOM, sort, scroll and filter reach the far end', async () => {
    const pools: Pool[] = [
      { name: 'mesos-on-demand', kind: 'on-demand', instanceTypes: ['m5.xlarge'], count: 4000 },
      { name: 'mesos-spot', kind: 'spot', instanceTypes: ['m5.2xlarge'], count: 1000 },
    ];
    const host = await startHost({ prepare: seedProfile('big', pools), profileId: 'big' });
    const w = await openConsole(browser, host, 'dark', '#/agents');
    const { page } = w;
    const table = /^Agents of profile big$/;

    const started = Date.now();
    await expect.poll(() => page.getByTestId('agents-summary').textContent(), patiently).toMatch(/^5,000 agents · 24,000 CPUs/);
    const firstPaintMs = Date.now() - started;
    const rendered = (await readTable(page, table)).length;
    expect(rendered).toBeGreaterThan(10);
    expect(rendered).toBeLessThan(100);

    // Natural order: agent 4000 sorts after agent 999, and the last row is reachable by scrolling.
    await page.getByRole('columnheader', { name: 'Hostname' }).getByRole('button').click();
    const scroller = page.getByRole('table', { name: table }).locator('.dt-scroll');
    await scroller.evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await expect
      .poll(async () => (await readTable(page, table)).map((r) => r['Hostname']).at(-1), patiently)
      .toBe('mesos-spot-1000.big.local');
    expect((await readTable(page, table)).length).toBeLessThan(100);

    // Filtering 5,000 rows as you type.
    const t0 = Date.now();
    await page.getByRole('searchbox', { name: /Filter agents/ }).fill('on-demand-3999');
    await expect
      .poll(async () => (await readTable(page, table)).map((r) => r['Hostname']), patiently)
      .toEqual(['mesos-on-demand-3999.big.local']);
    const filterMs = Date.now() - t0;
    await page.getByRole('searchbox', { name: /Filter agents/ }).fill('');
    await screenshot(page, 'agents-5000-dark');

    // For the reader of the log only: how fast it is is the bench's business, not a pass/fail check.
    console.log(`5,000 agents: table shown ${firstPaintMs} ms after load, filter answered in ${filterMs} ms`);
    expect(await collectProblems(w)).toEqual([]);
  });

  it('explains an empty profile instead of showing an empty grid', async () => {
    const pools: Pool[] = [{ name: 'mesos-spot', kind: 'spot', instanceTypes: ['m5.2xlarge'], count: 0 }];
    const host = await startHost({ prepare: seedProfile('quiet', pools), profileId: 'quiet' });
    const w = await openConsole(browser, host, 'light', '#/agents');
    await w.page.getByText('No agents in this profile').waitFor();
    expect(await w.page.getByText('--profile embedded').count()).toBe(1);
    expect(await w.page.getByTestId('active-profile').textContent()).toContain('quiet');
    await screenshot(w.page, 'agents-empty');
    expect(await collectProblems(w)).toEqual([]);
  });
});
