import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HeadlessHost } from '../../electron/headless.js';
import { collectProblems, ensureRendererBuilt, launchChromium, repoRoot, screenshot, type Watched } from './browser.js';
import { after, cleanUp, openConsole, startHost } from './host.js';

/**
 * The sandbox browser and the log viewer against the embedded cluster running the demo jobs,
 * plus one job whose process prints HTML that must stay text.
 */

let browser: Browser;
let host: HeadlessHost;
let w: Watched;
let page: Page;

const hostile = {
  cluster: 'embedded',
  role: 'cantareira',
  contact: 'e2e@cantareira.example',
  environment: 'devel',
  name: 'prints-html',
  instances: 1,
  service: false,
  constraints: { 'slave-type': 'mesos-fixed' },
  task: {
    name: 'html',
    processes: [
      {
        name: 'echo_html',
        cmdline:
          "echo '<script>window.__pwned=1</script>'\necho '<img src=x onerror=\"window.__pwned=1\">'\nprintf '\\033[1;31mERROR\\033[0m coloured \\033[32mgreen\\033[0m\\n'\nhead -c 30000 /dev/zero | tr '\\0' x; echo\n" +
          "printf 'access \\342\\200\\256evil\\342\\200\\254 granted\\n'\n" +
          'seq 1 300000 > big.txt\n' +
          "{ echo first; head -c 31457280 /dev/zero | tr '\\0' a; printf NEEDLE; head -c 20971520 /dev/zero | tr '\\0' b; echo; echo last; } > long.log\n" +
          "printf 'record 1\\0ok\\nrecord 2\\0ok\\n' > records.log\ncp /bin/true tool.bin\nsleep 600",
      },
    ],
    resources: { cpu: 0.25, ram: 67108864, disk: 134217728 },
  },
};

beforeAll(async () => {
  await ensureRendererBuilt();
  const jobsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cantareira-logs-jobs-'));
  after(() => fs.rmSync(jobsDir, { recursive: true, force: true }));
  for (const f of fs.readdirSync(path.join(repoRoot, 'jobs', 'demo')))
    fs.copyFileSync(path.join(repoRoot, 'jobs', 'demo', f), path.join(jobsDir, f));
  fs.writeFileSync(path.join(jobsDir, 'prints-html.json'), JSON.stringify(hostile));
  browser = await launchChromium();
  host = await startHost({ demoJobsDir: jobsDir, embedded: { tickMs: 200, graceMs: 500 } });
  w = await openConsole(browser, host, 'light');
  page = w.page;
}, 60_000);
afterAll(async () => {
  await cleanUp();
  await browser?.close();
});

const viewer = () => page.getByRole('log', { name: 'File contents' });
const rowsText = () => viewer().locator('.log-row .log-text').allTextContents();

/** Opens a process log of a job's instance 0 through its task's sandbox. */
async function openProcessLog(job: string, stream: 'stdout' | 'stderr') {
  await page.goto(`${host.url.split('#')[0]?.replace(/\?.*$/, '')}#/jobs?job=${encodeURIComponent(job)}`);
  const link = page.getByRole('link', { name: /^stderr of / }).first();
  await link.waitFor({ timeout: 30_000 });
  const taskId = ((await link.getAttribute('aria-label')) ?? '').replace(/^stderr of /, '');
  await page.goto(`${page.url().split('#')[0]}#/sandbox?id=${encodeURIComponent(taskId)}`);
  await page
    .getByRole('region', { name: /Process logs/ })
    .getByRole('link', { name: new RegExp(`^${stream}`) })
    .first()
    .click();
  await viewer().waitFor();
  return taskId;
}

describe('Sandbox and log viewer', () => {
  it("opens the failed task's stderr from the Overview in two clicks, at the traceback's end", { timeout: 90_000 }, async () => {
    const failures = page.getByRole('table', { name: 'Latest failures' });
    const stderr = failures.getByRole('link', { name: 'stderr' }).first();
    await stderr.waitFor({ timeout: 60_000 });
    await stderr.click();
    await expect.poll(() => page.url(), { timeout: 15_000 }).toMatch(/#\/log\?id=.*path=sandbox%2F.logs%2Fscore%2F/);
    await expect
      .poll(async () => (await rowsText()).join('\n'), { timeout: 15_000 })
      .toContain('KeyError: "[\'credit_limit_usd\'] not in index"');
    const rows = await rowsText();
    expect(rows[rows.length - 1]).toContain('KeyError');
    await screenshot(page, 'log-stderr');
  });

  it("follows the service-ticker's stdout and shows new lines as they arrive", { timeout: 60_000 }, async () => {
    await openProcessLog('cantareira/devel/service-ticker', 'stdout');
    const follow = page.getByLabel(/^Follow/);
    if (!(await follow.first().isChecked())) await follow.first().check({ force: true });
    const lastTick = async () => Number(/tick=(\d+)/.exec((await rowsText()).at(-1) ?? '')?.[1] ?? 0);
    const first = await lastTick();
    await expect.poll(lastTick, { timeout: 15_000 }).toBeGreaterThan(first + 1);
    await screenshot(page, 'log-follow');
    // Scrolling up pauses following; new lines are counted, and one click returns to the end.
    await viewer().hover();
    await page.mouse.wheel(0, -90);
    await page.getByText('Follow (paused)').waitFor();
    const jumpBack = page.getByRole('button', { name: /new lines? ↓/ });
    await jumpBack.waitFor({ timeout: 10_000 });
    await jumpBack.click();
    await page.getByText('Follow (paused)').waitFor({ state: 'detached' });
    await expect.poll(lastTick, { timeout: 10_000 }).toBeGreaterThan(first + 2);
  });

  it('searches a literal and a regex, highlights matches, and filters to matching lines', { timeout: 60_000 }, async () => {
    const box = page.getByRole('textbox', { name: 'Search text' });
    await box.fill('uptime_s');
    await box.press('Enter');
    await expect.poll(() => viewer().locator('mark.log-match').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await viewer().locator('mark.log-match').first().textContent()).toBe('uptime_s');
    await page.getByLabel('Regex').check({ force: true });
    await box.fill('tick=\\d+');
    await box.press('Enter');
    await expect
      .poll(async () => /^tick=\d+$/.test((await viewer().locator('mark.log-match').first().textContent()) ?? ''), { timeout: 15_000 })
      .toBe(true);
    await expect.poll(async () => (await page.locator('.log-search-count').textContent()) ?? '').toMatch(/\d+\+? match/);
    await page.getByRole('button', { name: 'Previous match' }).click();
    await expect.poll(async () => (await page.locator('.log-search-count').textContent()) ?? '').toMatch(/^\d+ of \d+/);
    await page.getByLabel('Only matching lines').check({ force: true });
    const filtered = page.getByRole('log', { name: 'Matching lines' });
    await filtered.waitFor();
    const lines = await filtered.locator('.log-row').allTextContents();
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => /tick=\d+/.test(l))).toBe(true);
    await screenshot(page, 'log-search');
    await page.getByLabel('Only matching lines').uncheck({ force: true });
  });

  it('shows HTML printed by a process as text and runs none of it', { timeout: 60_000 }, async () => {
    await openProcessLog('cantareira/devel/prints-html', 'stdout');
    await expect.poll(async () => (await rowsText()).join('\n'), { timeout: 15_000 }).toContain('<script>window.__pwned=1</script>');
    expect((await rowsText()).join('\n')).toContain('<img src=x onerror="window.__pwned=1">');
    expect(await viewer().locator('script, img').count()).toBe(0);
    expect(await viewer().locator('.ansi-fg-1.ansi-bold').first().textContent()).toBe('ERROR');
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    // A 30,000-character line is cut in the view; its button reads the whole line.
    await viewer()
      .getByRole('button', { name: /30,000 bytes: show all/ })
      .click();
    const dialog = page.getByRole('dialog');
    await expect.poll(async () => ((await dialog.locator('.long-line-text').textContent()) ?? '').length, { timeout: 10_000 }).toBe(30_000);
    await dialog.getByRole('button', { name: 'Close' }).first().click();
  });

  it('shows bidi controls as boxed symbols, so the line reads as stored', { timeout: 30_000 }, async () => {
    const ctl = viewer().locator('.log-ctl[title="U+202E RIGHT-TO-LEFT OVERRIDE"]');
    await expect.poll(() => ctl.count(), { timeout: 15_000 }).toBe(1);
    expect(await ctl.textContent()).toBe('\u21da');
    const row = viewer().locator('.log-row', { has: page.locator('.log-ctl[title="U+202E RIGHT-TO-LEFT OVERRIDE"]') });
    expect(await row.locator('.log-text').textContent()).toBe('access \u21daevil\u21a5 granted');
    // Laid out as stored: the override's symbol, then "evil", then the pop's symbol, left to right.
    const pop = row.locator('.log-ctl[title="U+202C POP DIRECTIONAL FORMATTING"]');
    const [open, close] = await Promise.all([ctl.boundingBox(), pop.boundingBox()]);
    expect(close!.x - open!.x).toBeGreaterThan(3 * open!.width);
    await row.scrollIntoViewIfNeeded();
    await screenshot(page, 'log-bidi');
  });

  it('reaches any part of a large file: end, top, a byte offset, the middle of the scrollbar', { timeout: 60_000 }, async () => {
    const taskId = new URL(page.url().replace('#/log?', '?')).searchParams.get('id') ?? '';
    await expect
      .poll(
        async () => {
          await page.goto(
            `${page.url().split('#')[0]}#/log?id=${encodeURIComponent(taskId)}&path=${encodeURIComponent('sandbox/big.txt')}`,
          );
          await viewer().waitFor();
          return (await rowsText()).at(-1);
        },
        { timeout: 20_000 },
      )
      .toBe('300000');
    await page.getByRole('button', { name: 'Top' }).click();
    await expect.poll(async () => (await rowsText())[0]).toBe('1');
    // Byte 100,000 is inside line 18518 (9×2 + 90×3 + 900×4 + 9000×5 + 8518×6 = 99,996 bytes before it).
    const goto = page.getByRole('textbox', { name: 'Go to byte offset or :line' });
    await goto.fill('100000');
    await goto.press('Enter');
    await expect.poll(rowsText).toContain('18518');
    await viewer().evaluate((el) => {
      el.scrollTop = (el.scrollHeight - el.clientHeight) / 2;
    });
    await expect.poll(async () => Number((await rowsText())[0]), { timeout: 10_000 }).toBeGreaterThan(120_000);
    expect(Number((await rowsText())[0])).toBeLessThan(180_000);
    // The wheel moves by lines, not by megabytes.
    const before = Number((await rowsText())[0]);
    await viewer().hover();
    await page.mouse.wheel(0, 180);
    await expect.poll(async () => Number((await rowsText())[0])).toBeGreaterThan(before);
    expect(Number((await rowsText())[0]) - before).toBeLessThan(40);
    expect(await viewer().locator('.log-row').count()).toBeLessThan(80);
  });

  it('reaches a match 30 MB into a 50 MB line: the window around it, highlighted, and pages of the line', { timeout: 90_000 }, async () => {
    const taskId = new URL(page.url().replace('#/log?', '?')).searchParams.get('id') ?? '';
    const open = (file: string) =>
      page.goto(`${page.url().split('#')[0]}#/log?id=${encodeURIComponent(taskId)}&path=${encodeURIComponent(`sandbox/${file}`)}`);
    await expect
      .poll(
        async () => {
          await open('long.log');
          await viewer().waitFor();
          return (await rowsText()).at(-1);
        },
        { timeout: 30_000 },
      )
      .toBe('last');
    const box = page.getByRole('textbox', { name: 'Search text' });
    await box.fill('NEEDLE');
    await box.press('Enter');
    await expect.poll(async () => (await page.locator('.log-search-count').textContent()) ?? '', { timeout: 30_000 }).toMatch(/^1 match/);
    await page.getByRole('button', { name: 'Next match' }).click();
    const mark = viewer().locator('mark.log-match');
    await expect.poll(() => mark.count(), { timeout: 10_000 }).toBe(1);
    expect(await mark.textContent()).toBe('NEEDLE');
    expect(await viewer().locator('.log-window-at').first().textContent()).toMatch(/^…@31,457,/);
    // On screen: inside the row's clipped text box, not past its right edge.
    const [t, m] = await Promise.all([
      viewer()
        .locator('.log-row', { has: page.locator('mark.log-match') })
        .locator('.log-text')
        .boundingBox(),
      mark.boundingBox(),
    ]);
    expect(m!.x).toBeGreaterThanOrEqual(t!.x);
    expect(m!.x + m!.width).toBeLessThanOrEqual(t!.x + t!.width);
    await screenshot(page, 'log-long-line-match');
    // The same in the list of matching lines.
    await page.getByLabel('Only matching lines').check({ force: true });
    const filtered = page.getByRole('log', { name: 'Matching lines' });
    const listed = filtered.locator('mark.log-match');
    await listed.waitFor();
    const [ft, fm] = await Promise.all([filtered.locator('.log-text').first().boundingBox(), listed.boundingBox()]);
    expect(fm!.x + fm!.width).toBeLessThanOrEqual(ft!.x + ft!.width);
    await page.getByLabel('Only matching lines').uncheck({ force: true });
    await viewer().waitFor();
    // Show all: the part with the match, highlighted, and the next part after it.
    await viewer()
      .getByRole('button', { name: /bytes: show all/ })
      .first()
      .click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.locator('mark.log-match').count(), { timeout: 10_000 }).toBe(1);
    await dialog.getByRole('button', { name: 'Next part' }).click();
    await expect
      .poll(async () => ((await dialog.locator('.long-line-text').textContent()) ?? '').slice(0, 5), { timeout: 10_000 })
      .toBe('bbbbb');
    await dialog.getByRole('button', { name: 'Close' }).first().click();
  });

  it('opens a log with stray NULs as text, and a binary as a hex dump', { timeout: 60_000 }, async () => {
    const taskId = new URL(page.url().replace('#/log?', '?')).searchParams.get('id') ?? '';
    const open = (file: string) =>
      page.goto(`${page.url().split('#')[0]}#/log?id=${encodeURIComponent(taskId)}&path=${encodeURIComponent(`sandbox/${file}`)}`);
    await open('records.log');
    await viewer().waitFor();
    await expect.poll(rowsText).toEqual(['record 1\u2400ok', 'record 2\u2400ok']);
    await open('tool.bin');
    const dump = page.getByRole('table', { name: 'Bytes, 16 per row' });
    await dump.waitFor({ timeout: 15_000 });
    const first = await dump.getByRole('row').first().getByRole('cell').allTextContents();
    expect(first[0]).toBe('00000000');
    expect(first[1]).toMatch(/^7f 45 4c 46 /);
    expect(first[2]).toMatch(/^\.ELF/);
    await expect.poll(async () => (await page.locator('.hex-callout').textContent()) ?? '').toContain('A binary file (ELF)');
    await screenshot(page, 'log-hex');
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    await expect.poll(async () => (await dump.getByRole('row').first().getByRole('cell').first().textContent()) ?? '').toBe('00001000');
    await page.getByRole('button', { name: 'Show as text anyway' }).click();
    await viewer().waitFor();
  });

  it('browses the sandbox: breadcrumbs, directories first, the process logs listed', { timeout: 60_000 }, async () => {
    await page.getByRole('link', { name: 'sandbox' }).first().click();
    await page.getByRole('link', { name: 'run directory' }).click();
    const files = page.getByRole('table', { name: 'Files in the run directory' });
    await files.waitFor();
    const names = await files.locator('.sandbox-name').allTextContents();
    expect(names).toContain('sandbox/');
    expect(names.indexOf('sandbox/')).toBeLessThan(names.indexOf('stdout'));
    expect(await page.getByRole('region', { name: /Process logs/ }).textContent()).toContain('echo_html');
    await screenshot(page, 'sandbox');
    expect(await collectProblems(w)).toEqual([]);
  });
});
