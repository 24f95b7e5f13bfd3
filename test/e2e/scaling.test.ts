import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HeadlessHost } from '../../electron/headless.js';
import { collectProblems, ensureRendererBuilt, launchChromium, readTable, screenshot, type Watched } from './browser.js';
import { callsOf } from './frames.js';
import { cleanUp, openConsole, startHost } from './host.js';

/**
 * Scaling, holds, instances and the audit log against the embedded cluster, whose on-demand
 * pool starts with two local agents: every step goes through the plan preview, and what runs
 * is checked on the pool, the machines and the journal.
 */

let browser: Browser;
let host: HeadlessHost;
let w: Watched;
let page: Page;

const poolName = 'mesos-on-demand';
const holdReason = 'e2e: keeping the on-demand agents for a post-mortem';

beforeAll(async () => {
  await ensureRendererBuilt();
  browser = await launchChromium();
  host = await startHost({ embedded: { tickMs: 200, graceMs: 500 } });
  w = await openConsole(browser, host, 'light');
  page = w.page;
});
afterAll(async () => {
  await cleanUp();
  await browser?.close();
});

const nav = () => page.getByRole('navigation', { name: 'Screens' });
const pool = () => page.getByRole('region', { name: `Pool ${poolName}` });
const agentsOfPool = () => pool().getByTestId('pool-agents').textContent();
const dialog = () => page.getByRole('dialog');
const runButton = () => dialog().getByRole('button', { name: 'Run' });

/** Closes the toasts of earlier steps, as someone would before the next action. */
async function dismissToasts() {
  for (const close of await page.locator('.bp6-toast button[aria-label="Close"]').all()) await close.click().catch(() => undefined);
}

/** Opens "Scale…" on the on-demand pool and asks for `count` nodes; resolves once the plan for it is shown. */
async function planScale(count: number) {
  await pool().getByRole('button', { name: 'Scale…' }).click();
  await dialog()
    .getByRole('spinbutton', { name: `Nodes in ${poolName}` })
    .fill(String(count));
  await expect.poll(() => dialog().getByLabel('Nodes now and after').textContent()).toMatch(new RegExp(`→ ${count}$`));
  await dialog().getByRole('region', { name: 'Plan' }).and(page.locator('[aria-busy=false]')).waitFor();
}

/** Which states an operation went through on the "Running operations" list, until it left it. */
async function watchActive(summary: RegExp, onRunning: () => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  const item = page.getByRole('list', { name: 'Running operations' }).getByRole('listitem', { name: summary });
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    const state = await item.getAttribute('data-state', { timeout: 100 }).catch(() => null);
    if (state === null && seen.length > 0) return seen;
    if (state !== null && seen.at(-1) !== state) {
      seen.push(state);
      if (state === 'running') await onRunning();
    }
    await page.waitForTimeout(100);
  }
  throw new Error(`the operation was still active after 60 s (seen: ${seen.join(', ')})`);
}

async function historyStates(): Promise<string[]> {
  return (await readTable(page, 'Operation history')).map((r) => `${r['Summary']}: ${r['State']}`);
}

describe('Scaling the embedded cluster', () => {
  it('lists the pools with their counts, and says why the fixed pool cannot be scaled', { timeout: 30_000 }, async () => {
    expect(await nav().getByRole('button').allTextContents()).toEqual([
      'Overview',
      'Jobs',
      'Agents',
      'Scaling',
      'Instances',
      'Audit log',
      'Profiles',
    ]);
    await nav().getByRole('button', { name: 'Scaling' }).click();
    await expect.poll(() => page.url()).toMatch(/#\/scaling$/);
    await pool().waitFor();
    expect(
      await page.getByRole('region', { name: /^Pool / }).evaluateAll((cards) => cards.map((c) => c.getAttribute('aria-label'))),
    ).toEqual(['Pool mesos-fixed', 'Pool mesos-on-demand', 'Pool mesos-spot', 'Pool model']);
    await expect.poll(agentsOfPool, { timeout: 20_000 }).toBe('2');
    expect(await pool().getByTestId('pool-desired').textContent()).toMatch(/^2/);

    const fixed = page.getByRole('region', { name: 'Pool mesos-fixed' });
    const scaleFixed = fixed.getByRole('button', { name: 'Scale…' });
    expect(await scaleFixed.getAttribute('aria-disabled')).toBe('true');
    expect(await fixed.getByRole('list', { name: /Why some actions/ }).textContent()).toContain('never scaled by the console');
    // The host refuses to hold a fixed pool; the button says so before anyone tries.
    expect(await fixed.getByRole('button', { name: 'Hold…' }).getAttribute('aria-disabled')).toBe('true');
    expect(await fixed.getByRole('list', { name: /Why some actions/ }).textContent()).toContain(
      'Holding: mesos-fixed is never scaled by the console, so holding it changes nothing',
    );
    await page.getByText('No operation is running.').waitFor();
    await screenshot(page, 'scaling');
  });

  it('scales mesos-on-demand from 2 to 3: preview, Run, the operation runs, the pool has 3 agents', { timeout: 90_000 }, async () => {
    await planScale(3);
    expect(await dialog().getByTestId('plan-summary').textContent()).toContain('2 → 3');
    expect(await dialog().getByRole('list', { name: 'Nodes added' }).getByRole('listitem').allTextContents()).toEqual(['m5.xlarge']);
    expect(await dialog().getByRole('list', { name: 'Nodes removed' }).count()).toBe(0);
    expect(await runButton().getAttribute('aria-disabled')).toBeNull();
    await screenshot(page, 'scaling-plan-up');

    // A double click starts one operation: the key is the same for both presses.
    await runButton().dblclick();
    await dialog().waitFor({ state: 'detached' });
    const summary = /^Add 1 mesos-on-demand node/;
    const active = page.getByRole('list', { name: 'Running operations' }).getByRole('listitem', { name: summary });
    await active.waitFor();
    // One press, one toast, however the button was pressed.
    const started = page.locator('.bp6-toast').filter({ hasText: 'Started: Add 1 mesos-on-demand node' });
    await started.first().waitFor();
    // Every scaling.run the presses sent has its answer, and the page has drawn since.
    const allAnswered = () => {
      const c = callsOf(w.frames, 'scaling.run');
      return c.sent.length > 0 && c.answered.length === c.sent.length;
    };
    await expect.poll(allAnswered).toBe(true);
    await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
    expect(await started.count()).toBe(1);
    expect(await active.getByRole('timer').textContent()).toMatch(/^Starts in \d s$|^Starting…$/);
    await screenshot(page, 'scaling-operation-pending');
    const states = await watchActive(summary, () => screenshot(page, 'scaling-operation-running').then(() => undefined));
    expect(states[0]).toBe('pending');

    await expect.poll(agentsOfPool, { timeout: 30_000 }).toBe('3');
    await expect.poll(historyStates).toEqual(['Add 1 mesos-on-demand node (2 → 3): succeeded']);
    // The journal shows each external call the operation made.
    await page.getByRole('table', { name: 'Operation history' }).getByRole('row').nth(1).click();
    const details = page.getByRole('complementary', { name: 'Operation details' });
    await expect.poll(() => details.getByRole('list', { name: 'External calls' }).getByRole('listitem').count()).toBeGreaterThan(0);
    await screenshot(page, 'scaling-up-done');
    await details.getByRole('button', { name: 'Close operation details' }).click();
  });

  it('scales it back to 2: the preview names the node that goes', { timeout: 90_000 }, async () => {
    await dismissToasts();
    await planScale(2);
    const removed = dialog().getByRole('list', { name: 'Nodes removed' }).getByRole('listitem');
    expect(await removed.count()).toBe(1);
    const node = (await removed.locator('.mono').first().textContent()) ?? '';
    expect(node).toMatch(/^embedded-mesos-on-demand-\d+$/);
    expect(await removed.textContent()).toContain('no running tasks');
    await screenshot(page, 'scaling-plan-down');
    await runButton().click();
    await dialog().waitFor({ state: 'detached' });
    await expect.poll(agentsOfPool, { timeout: 60_000 }).toBe('2');
    await expect
      .poll(historyStates, { timeout: 30_000 })
      .toEqual(['Remove 1 mesos-on-demand node (3 → 2): succeeded', 'Add 1 mesos-on-demand node (2 → 3): succeeded']);
  });

  it('a hold on the pool makes a downscale refused, with Run disabled, until it is released', { timeout: 60_000 }, async () => {
    await dismissToasts();
    await pool().getByRole('button', { name: 'Hold…' }).click();
    await dialog().getByRole('radio', { name: '1 hour' }).click();
    const hold = dialog().getByRole('button', { name: 'Hold', exact: true });
    // No reason, no hold.
    expect(await hold.getAttribute('aria-disabled')).toBe('true');
    await dialog().getByLabel('Reason').fill(holdReason);
    await hold.click();
    await dialog().waitFor({ state: 'detached' });
    const holds = pool().getByRole('list', { name: `Holds on ${poolName}` });
    await holds.waitFor();
    expect(await holds.textContent()).toContain(holdReason);
    expect(await pool().getByRole('button', { name: 'Remove instances…' }).getAttribute('aria-disabled')).toBe('true');

    await planScale(1);
    const refusals = dialog().getByRole('list', { name: 'Refusals' });
    await refusals.waitFor();
    const text = await refusals.textContent();
    expect(text).toContain('held');
    expect(text).toContain(holdReason);
    expect(await runButton().getAttribute('aria-disabled')).toBe('true');
    await screenshot(page, 'scaling-refused-by-hold');
    await dialog().getByRole('button', { name: 'Cancel' }).click();
    await dialog().waitFor({ state: 'detached' });

    await holds.getByRole('button', { name: `Release the hold on pool ${poolName}` }).click();
    await holds.waitFor({ state: 'detached' });
    await expect.poll(() => pool().getByRole('button', { name: 'Remove instances…' }).getAttribute('aria-disabled')).toBeNull();
    await screenshot(page, 'scaling-hold-released');
  });

  it('lists the machines on Instances, each matched to its agent', { timeout: 30_000 }, async () => {
    await dismissToasts();
    await nav().getByRole('button', { name: 'Instances' }).click();
    const table = /^Instances of profile embedded$/;
    await expect.poll(async () => (await readTable(page, table)).length, { timeout: 20_000 }).toBe(3);
    const rows = await readTable(page, table);
    expect(rows.map((r) => r['Pool']).sort()).toEqual(['mesos-fixed', 'mesos-on-demand', 'mesos-on-demand']);
    for (const r of rows) {
      expect(r['State']).toBe('running');
      expect(r['Agent']).toMatch(/\.embedded\.local · \d+ tasks$/);
    }
    expect(await page.getByRole('list', { name: 'Agents with no instance' }).count()).toBe(0);
    await page
      .getByRole('group', { name: 'Filter by pool' })
      .getByRole('button', { name: /^mesos-on-demand: 2 instances$/ })
      .click();
    await expect.poll(() => page.url()).toMatch(/#\/instances\?pool=mesos-on-demand$/);
    await expect.poll(async () => (await readTable(page, table)).length).toBe(2);
    await screenshot(page, 'instances');

    // A hold set on one machine can be released from its row.
    const [first] = await readTable(page, table);
    const id = first!['Instance']!;
    await page.getByRole('button', { name: `Hold ${id}` }).click();
    await dialog().getByRole('radio', { name: '1 hour' }).click();
    await dialog().getByLabel('Reason').fill('e2e: one machine kept for a look');
    await dialog().getByRole('button', { name: 'Hold', exact: true }).click();
    await dialog().waitFor({ state: 'detached' });
    const release = page.getByRole('button', { name: `Release the hold on ${id}` });
    await release.waitFor();
    expect((await readTable(page, table)).find((r) => r['Instance'] === id)?.['Hold']).toContain('e2e: one machine kept for a look');
    await release.click();
    await release.waitFor({ state: 'detached' });
    expect((await readTable(page, table)).find((r) => r['Instance'] === id)?.['Hold']).toBe('');
  });

  it('records every operation in the Audit log, newest first', { timeout: 30_000 }, async () => {
    await nav().getByRole('button', { name: 'Audit log' }).click();
    const rows = async () => (await readTable(page, 'Audit log')).map((r) => `${r['Kind']} ${r['Target']} ${r['State']}`);
    await expect
      .poll(rows, { timeout: 20_000 })
      .toEqual([
        expect.stringMatching(/^hold\.release \S+ succeeded$/),
        expect.stringMatching(/^hold\.set \S+ succeeded$/),
        'hold.release pool mesos-on-demand succeeded',
        'hold.set pool mesos-on-demand succeeded',
        'scale.set-desired mesos-on-demand succeeded',
        'scale.set-desired mesos-on-demand succeeded',
      ]);
    // The result in short, the error apart (none here).
    const holdSet = (await readTable(page, 'Audit log')).find((r) => r['Kind'] === 'hold.set' && r['Target'] === 'pool mesos-on-demand');
    expect(holdSet?.['Result']).toMatch(/^holdId: \S+ · instanceIds: /);
    expect(holdSet?.['Error']).toBe('');
    await page.getByRole('combobox', { name: 'Filter by kind' }).selectOption('scale.set-desired');
    await expect.poll(async () => (await readTable(page, 'Audit log')).length).toBe(2);
    await screenshot(page, 'audit');
    expect(await collectProblems(w)).toEqual([]);
  });
});
