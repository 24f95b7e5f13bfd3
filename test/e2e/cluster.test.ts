import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HeadlessHost } from '../../electron/headless.js';
import { collectProblems, ensureRendererBuilt, launchChromium, readTable, repoRoot, screenshot, type Watched } from './browser.js';
import { cleanUp, openConsole, startHost } from './host.js';

/**
 * The cluster screens against the embedded cluster running the repository's demo jobs as real
 * processes: a batch job that finishes, a model job that fails with a stack trace, a
 * two-instance service, and a model job that waits for a slave type with no agents.
 */

let browser: Browser;
let host: HeadlessHost;
let w: Watched;
let page: Page;

const service = 'cantareira/devel/service-ticker';
const batch = 'cantareira/prod/batch-writer';
const failing = 'cantareira/prod/model-fails';
const pending = 'cantareira/prod/model-pending';

beforeAll(async () => {
  await ensureRendererBuilt();
  browser = await launchChromium();
  host = await startHost({ demoJobsDir: path.join(repoRoot, 'jobs', 'demo'), embedded: { tickMs: 200, graceMs: 500 } });
  w = await openConsole(browser, host, 'light');
  page = w.page;
});
afterAll(async () => {
  await cleanUp();
  await browser?.close();
});

/** A job's current attempts by state, as its line in the job tree shows them. */
function treeCounts(key: string): Promise<Record<string, number>> {
  return page
    .getByRole('treeitem', { name: key })
    .locator('.state-tag')
    .evaluateAll((tags) =>
      Object.fromEntries(
        tags.map((t) => [t.getAttribute('data-state') ?? '', Number(t.querySelector('.state-tag-count')?.textContent ?? 0)]),
      ),
    );
}

/** Tiles of the overview's "Tasks by state", as {state: count}. */
function overviewCounts(): Promise<Record<string, number>> {
  return page
    .getByRole('list', { name: 'Tasks by state' })
    .getByRole('listitem')
    .evaluateAll((items) =>
      Object.fromEntries(items.map((li) => (li.getAttribute('aria-label') ?? '').split(': ')).map(([s, n]) => [s, Number(n)])),
    );
}

/** Closes the toasts of earlier steps, as someone would before the next action. */
async function dismissToasts() {
  for (const close of await page.locator('.bp6-toast button[aria-label="Close"]').all()) await close.click().catch(() => undefined);
}

const nav = () => page.getByRole('navigation', { name: 'Screens' });

const instancesTable = (key: string) => new RegExp(`^Instances of ${key.replaceAll('/', '\\/')}$`);

async function openJob(key: string) {
  await nav().getByRole('button', { name: 'Jobs' }).click();
  await page.getByRole('treeitem', { name: key }).click();
  await page.getByRole('table', { name: instancesTable(key) }).waitFor();
}

async function instanceStates(key: string): Promise<string[]> {
  return (await readTable(page, instancesTable(key))).filter((r) => /^\d/.test(r['Instance'] ?? '')).map((r) => r['State'] ?? '');
}

describe('Overview, Jobs, Agents and task detail on the embedded cluster with the demo jobs', () => {
  it('opens on the Overview: agents by slave type with usage, tasks by state, the latest failure', { timeout: 90_000 }, async () => {
    await expect.poll(() => page.url()).toMatch(/\/#\/overview$/);
    expect(await page.title()).toBe('Overview · embedded · Cantareira Console');
    expect(await nav().getByRole('button').allTextContents()).toEqual([
      'Overview',
      'Jobs',
      'Agents',
      'Scaling',
      'Instances',
      'Audit log',
      'Profiles',
    ]);

    const types = page.getByRole('list', { name: 'Agents by slave type' });
    await types.waitFor();
    const counts = await types
      .getByRole('listitem')
      .evaluateAll((lis) =>
        lis.map((li) => [li.getAttribute('aria-label'), li.querySelector('[data-testid=type-agent-count]')?.textContent]),
      );
    expect(counts.slice(0, 2)).toEqual([
      ['mesos-fixed', '1 agent'],
      ['mesos-on-demand', '2 agents'],
    ]);
    // The profile's pools without agents are listed too: `model` is why the model job waits.
    expect(counts.map(([t]) => t)).toContain('model');
    expect(await types.getByRole('listitem', { name: 'model' }).textContent()).toContain('No agents');
    expect(await types.getByRole('meter', { name: 'CPU used on mesos-fixed' }).getAttribute('aria-valuemax')).toBe('8');
    expect(await types.getByRole('meter', { name: 'Memory used on mesos-on-demand' }).getAttribute('aria-valuetext')).toMatch(
      / \/ 32 GiB$/,
    );

    // The model job fails within seconds; its failure is listed with the reason and message.
    await expect.poll(overviewCounts, { timeout: 60_000 }).toMatchObject({ FAILED: 1, PENDING: 1 });
    await expect.poll(async () => (await overviewCounts())['RUNNING'] ?? 0, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    const failures = await readTable(page, 'Latest failures');
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({
      'Job / instance': `${failing}/0`,
      State: 'FAILED',
      Exit: '1',
      Reason: 'command failed',
      Message: "Process 'score' exited with code 1",
      Agent: 'mesos-fixed-1.embedded.local',
    });
    await screenshot(page, 'overview');
  });

  it('opens the failed task from the Overview: outcome, timeline, agent, sandbox', async () => {
    await page.getByRole('table', { name: 'Latest failures' }).getByRole('row').nth(1).click();
    await expect.poll(() => page.url()).toMatch(/#\/task\?id=cantareira-prod-model-fails-0-/);
    const facts = page.getByRole('definition');
    await page.getByRole('heading', { name: /Instance 0/ }).waitFor();
    expect(await page.getByText("FAILED: exit 1 · command failed · Process 'score' exited with code 1").count()).toBe(1);
    const factText = (await facts.allTextContents()).join('\n');
    expect(factText).toContain('mesos-fixed-1.embedded.local');
    expect(factText).toContain('REASON_COMMAND_EXECUTOR_FAILED');
    expect(factText).toContain('none: this is the first attempt');
    expect(factText).toMatch(/\/sandbox/);
    const timeline = await page.getByRole('table', { name: 'State timeline' }).locator('tbody tr td:nth-child(2)').allTextContents();
    expect(timeline).toEqual(['PENDING', 'ASSIGNED', 'STARTING', 'RUNNING', 'FAILED']);
    await screenshot(page, 'task-detail');
  });

  it('opens the jobs with failed tasks from the Overview’s FAILED count', { timeout: 30_000 }, async () => {
    await nav().getByRole('button', { name: 'Overview' }).click();
    await page
      .getByRole('list', { name: 'Tasks by state' })
      .getByRole('link', { name: /FAILED/ })
      .click();
    await expect.poll(() => page.url()).toMatch(/#\/jobs\?state=FAILED$/);
    const tree = page.getByRole('tree', { name: 'Jobs by role and environment' });
    await expect
      .poll(() => tree.getByRole('treeitem', { level: 3 }).evaluateAll((items) => items.map((i) => i.getAttribute('aria-label'))))
      .toEqual([failing]);
    expect(await page.getByTestId('jobs-summary').textContent()).toBe('1 of 4 jobs');
    await page.getByRole('button', { name: 'Show jobs in every state' }).click();
    await expect.poll(() => tree.getByRole('treeitem', { level: 3 }).count()).toBe(4);
  });

  it('groups jobs by role and environment, and says in plain words why a task is pending', { timeout: 30_000 }, async () => {
    await openJob(pending);
    const tree = page.getByRole('tree', { name: 'Jobs by role and environment' });
    expect(
      await tree
        .getByRole('treeitem')
        .evaluateAll((items) => items.map((i) => `${i.getAttribute('aria-level')} ${i.getAttribute('aria-label') ?? i.textContent}`)),
    ).toEqual(['1 cantareira4 jobs', '2 devel1 job', `3 ${service}`, '2 prod3 jobs', `3 ${batch}`, `3 ${failing}`, `3 ${pending}`]);
    const [row] = await readTable(page, instancesTable(pending));
    expect(row).toMatchObject({ Instance: '0', State: 'PENDING' });
    // Plain words first, Aurora's own beneath.
    expect(row!['Why / how it ended']).toBe('No agent has slave-type=modelConstraint not satisfied: slave-type');
    expect(await treeCounts(pending)).toEqual({ PENDING: 1 });
    expect(await treeCounts(batch)).toMatchObject({ RUNNING: 1 });
    await screenshot(page, 'jobs');
  });

  it('kills one instance of the service after a two-step confirmation, and the job view follows', { timeout: 60_000 }, async () => {
    await openJob(service);
    await expect.poll(() => instanceStates(service), { timeout: 30_000 }).toEqual(['RUNNING', 'RUNNING']);
    const actions = page.getByRole('toolbar', { name: `Actions on ${service}` });
    // Nothing selected: the buttons are disabled and say why.
    const restartButton = actions.getByRole('button', { name: 'Restart instance' });
    expect(await restartButton.getAttribute('aria-disabled')).toBe('true');
    expect(await page.locator(`#${await restartButton.getAttribute('aria-describedby').then((id) => CSS_escape(id!))}`).textContent()).toBe(
      'Select the running instances to restart with the checkboxes',
    );

    await page.getByRole('checkbox', { name: 'Select instance 0' }).check({ force: true });
    await actions.getByRole('button', { name: 'Kill instance' }).click();
    const yes = actions.getByRole('button', { name: 'Yes, kill instance 0' });
    await yes.waitFor();
    await screenshot(page, 'kill-confirm');
    await yes.click();
    await page.getByText(`Killing instance 0 of ${service} (1 task)`).waitFor();
    await expect.poll(() => instanceStates(service), { timeout: 20_000 }).toEqual(['KILLED', 'RUNNING']);
    await expect.poll(() => treeCounts(service)).toEqual({ RUNNING: 1, KILLED: 1 });
    // An ended instance cannot be picked again.
    expect(await page.getByRole('checkbox', { name: 'Select instance 0' }).isDisabled()).toBe(true);
  });

  it('restarts the other instance, and its earlier attempt appears in its history', { timeout: 60_000 }, async () => {
    await page.getByRole('checkbox', { name: 'Select instance 1' }).check({ force: true });
    const actions = page.getByRole('toolbar', { name: `Actions on ${service}` });
    await actions.getByRole('button', { name: 'Restart instance' }).click();
    await actions.getByRole('button', { name: 'Yes, restart instance 1' }).click();
    await page.getByText(`Restarting instance 1 of ${service}`).waitFor();
    const toggle = page.getByRole('button', { name: 'Show the 1 earlier attempt of instance 1' });
    await toggle.waitFor({ timeout: 20_000 });
    await expect.poll(() => instanceStates(service), { timeout: 20_000 }).toEqual(['KILLED', 'RUNNING']);
    await toggle.click();
    const rows = await readTable(page, instancesTable(service));
    expect(rows.map((r) => [r['Instance'], r['State']])).toEqual([
      ['0', 'KILLED'],
      ['11 earlier', 'RUNNING'],
      ['attempt 1', 'KILLED'],
    ]);
    await screenshot(page, 'job-detail');
  });

  it('lists every problem of an invalid job file, and creates nothing', { timeout: 30_000 }, async () => {
    const before = (await host.console.dispatch({ name: 'jobs.list', input: {} })) as { ok: true; data: { jobs: unknown[] } };
    const invalid = {
      jobs: [
        {
          environment: 'production',
          name: 'bad job',
          instances: -2,
          colour: 'blue',
          task: { name: 't', processes: [{ name: 'p' }], resources: { cpu: 0, ram: 1024, disk: 1024 } },
        },
      ],
    };
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cantareira-job-')), 'invalid-job.json');
    fs.writeFileSync(file, JSON.stringify(invalid, null, 2));
    // What the host says about this file, line by line: every line must be on screen.
    const expected = (await host.console.dispatch({
      name: 'jobs.create',
      input: { text: fs.readFileSync(file, 'utf8'), fileName: 'invalid-job.json' },
    })) as {
      ok: false;
      error: { code: string; details: string[] };
    };
    expect(expected.error.code).toBe('JOB_SPEC_INVALID');
    expect(expected.error.details.length).toBeGreaterThanOrEqual(4);

    await dismissToasts();
    await page.getByRole('button', { name: 'Create job' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Job file', { exact: true }).setInputFiles(file);
    await expect.poll(() => dialog.getByLabel('Job file text').inputValue()).toContain('"production"');
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    const problems = dialog.getByRole('list', { name: 'Problems' });
    await problems.waitFor();
    expect(await problems.getByRole('listitem').allTextContents()).toEqual(expected.error.details);
    expect(await dialog.getByRole('alert').textContent()).toContain('Nothing was created');
    expect(await dialog.getByRole('alert').textContent()).toContain('JOB_SPEC_INVALID');
    await screenshot(page, 'job-create-errors');

    const after = (await host.console.dispatch({ name: 'jobs.list', input: {} })) as { ok: true; data: { jobs: unknown[] } };
    expect(after.data.jobs.length).toBe(before.data.jobs.length);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('creates a job from pasted JSON, shows it, and kills it only once its name is typed', { timeout: 60_000 }, async () => {
    const key = 'e2e/devel/pasted-sleeper';
    const job = {
      role: 'e2e',
      environment: 'devel',
      name: 'pasted-sleeper',
      instances: 1,
      service: true,
      constraints: { 'slave-type': 'mesos-fixed' },
      task: {
        name: 'sleeper',
        processes: [{ name: 'sleeper', cmdline: 'while true; do echo still here; sleep 1; done' }],
        resources: { cpu: 0.1, ram: 33554432, disk: 33554432 },
      },
    };
    await page.getByRole('button', { name: 'Create job' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Job file text').fill(JSON.stringify({ jobs: [job] }, null, 2));
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByText(`Created ${key}`).waitFor();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => page.url()).toContain(`job=${encodeURIComponent(key)}`);
    await page.getByRole('treeitem', { name: key }).waitFor();
    await expect.poll(() => instanceStates(key), { timeout: 30_000 }).toEqual(['RUNNING']);

    const actions = page.getByRole('toolbar', { name: `Actions on ${key}` });
    await actions.getByRole('button', { name: 'Kill job' }).click();
    const typed = actions.getByRole('textbox', { name: 'Type pasted-sleeper to confirm' });
    const yes = actions.getByRole('button', { name: 'Yes, kill all 1 instance' });
    await typed.fill('pasted');
    expect(await yes.getAttribute('aria-disabled')).toBe('true');
    await typed.fill('pasted-sleeper');
    await yes.click();
    await page.getByText(`Killing job ${key} (1 task)`).waitFor();
    await expect.poll(() => instanceStates(key), { timeout: 20_000 }).toEqual(['KILLED']);
  });

  it('shows each agent’s usage as bars, and an agent’s attributes and tasks beside the table', { timeout: 30_000 }, async () => {
    await nav().getByRole('button', { name: 'Agents' }).click();
    const table = /^Agents of profile embedded$/;
    await expect.poll(async () => (await readTable(page, table)).length).toBe(3);
    const rows = await readTable(page, table);
    const byHost = Object.fromEntries(rows.map((r) => [r['Hostname'], r]));
    expect(byHost['mesos-fixed-1.embedded.local']!['CPUs']).toMatch(/^[\d.]+ \/ 8$/);
    expect(byHost['mesos-fixed-1.embedded.local']!['Mem GiB']).toMatch(/^[\d.]+ \/ 32$/);

    // The agent running the restarted service instance holds some of its CPU. Placement picks
    // agents in a shuffled order, so look for it among the busy on-demand agents.
    const busy = (await readTable(page, table)).filter((r) => Number(r['Tasks']) > 0 && r['Slave type'] === 'mesos-on-demand');
    expect(busy.length).toBeGreaterThan(0);
    let agentHost = '';
    for (const row of busy) {
      await page.getByRole('table', { name: table }).getByRole('row').filter({ hasText: row['Hostname']! }).click();
      const candidate = page.getByRole('complementary', { name: `Agent ${row['Hostname']}` });
      await candidate.getByRole('table', { name: 'Tasks on this agent' }).waitFor();
      if ((await candidate.getByRole('link', { name: 'service-ticker/1' }).count()) > 0) {
        agentHost = row['Hostname']!;
        break;
      }
    }
    expect(agentHost, 'an on-demand agent runs service-ticker/1').not.toBe('');
    const panel = page.getByRole('complementary', { name: `Agent ${agentHost}` });
    expect(page.url()).toContain('agent=embedded-mesos-on-demand-');
    expect(await panel.getByRole('region', { name: 'Attributes' }).textContent()).toContain('pool-kind=on-demand');
    const tasks = panel.getByRole('table', { name: 'Tasks on this agent' });
    expect(await tasks.getByRole('link', { name: 'service-ticker/1' }).getAttribute('title')).toContain(`${service}/1`);
    expect(Number(await panel.getByRole('meter', { name: `CPU used on ${agentHost}` }).getAttribute('aria-valuenow'))).toBeGreaterThan(0);
    await screenshot(page, 'agents-usage');
  });

  it('sees the batch job finish', { timeout: 200_000 }, async () => {
    await openJob(batch);
    await expect.poll(() => treeCounts(batch), { timeout: 180_000, interval: 1_000 }).toEqual({ FINISHED: 1 });
    expect((await readTable(page, instancesTable(batch)))[0]).toMatchObject({ State: 'FINISHED' });
    expect(await collectProblems(w)).toEqual([]);
  });
});

describe('The cluster screens in a dark theme', () => {
  it('keep their state colours readable', { timeout: 30_000 }, async () => {
    const dark = await openConsole(browser, host, 'dark');
    await dark.page.getByRole('list', { name: 'Tasks by state' }).waitFor();
    await dark.page.getByRole('table', { name: 'Latest failures' }).waitFor();
    await screenshot(dark.page, 'overview-dark');
    await dark.page.goto(`${host.origin}/#/jobs?job=${encodeURIComponent(service)}`);
    await dark.page.getByRole('table', { name: instancesTable(service) }).waitFor();
    await dark.page.getByRole('button', { name: 'Show the 1 earlier attempt of instance 1' }).click();
    await screenshot(dark.page, 'job-detail-dark');
    expect(await collectProblems(dark)).toEqual([]);
  });
});

/** CSS.escape for the ids React generates (they contain colons). */
function CSS_escape(id: string): string {
  return id.replace(/([^\w-])/g, '\\$1');
}
