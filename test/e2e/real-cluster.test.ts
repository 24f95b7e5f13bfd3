import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HeadlessHost } from '../../electron/headless.js';
import {
  startAurora,
  startAuroraFollower,
  type AuroraFollower,
  type AuroraRunning,
  type AuroraSeedJob,
} from '../integration/fixtures/aurora-server.js';
import { example } from '../integration/fixtures/mesos-payloads.js';
import {
  startAgent,
  startFollower,
  startLeader,
  type AgentRunning,
  type LeaderRunning,
  type Running,
} from '../integration/fixtures/mesos-servers.js';
import { collectProblems, ensureRendererBuilt, launchChromium, readTable, screenshot, type Watched } from './browser.js';
import { cleanUp, openConsole, startHost } from './host.js';

/**
 * A real cluster end to end, against loopback servers that speak Mesos' and Aurora's wire
 * formats: the profile is added in the form (two masters, one not leading; a scheduler that
 * redirects), tested, and opened; the agents come from the leader, the jobs from Aurora, a
 * task's stderr from its agent's files API. Then every server stops, and the screens keep the
 * last-known state with its "as of" time and what is out of reach.
 */

const traceback = 'Traceback (most recent call last):\n  File "hello.py", line 3, in <module>\nMemoryError: hello ran out of memory\n';
const seed: AuroraSeedJob[] = [
  {
    role: 'www-data',
    environment: 'prod',
    name: 'hello',
    resources: { cpus: 1, ramMb: 128, diskMb: 256 },
    constraints: { 'slave-type': 'mesos-fixed' },
    service: true,
    processes: [{ name: 'hello', cmdline: 'python hello.py' }],
    tasks: [
      { instance: 0, status: 'RUNNING', taskId: example.runningTask, slaveId: example.agents[0].id, slaveHost: example.agents[0].hostname },
      { instance: 1, status: 'PENDING', pendingReason: 'Insufficient: RAM' },
    ],
  },
];

let agent: AgentRunning;
let leader: LeaderRunning;
let follower: Running;
let aurora: AuroraRunning;
let auroraFollower: AuroraFollower;
let browser: Browser;
let host: HeadlessHost;
let w: Watched;
let page: Page;
const savedNetrc = process.env.NETRC;

beforeAll(async () => {
  agent = await startAgent({
    files: {
      stdout: 'Running task\n',
      stderr: 'thermos executor\n',
      'sandbox/.logs/hello/0/stdout': 'hello\n',
      'sandbox/.logs/hello/0/stderr': traceback,
    },
  });
  leader = await startLeader({ agentPids: [agent.pid] });
  follower = await startFollower({ hostname: leader.hostname, port: leader.port });
  aurora = await startAurora({ jobs: seed, clusterName: 'cantareira-dev' });
  auroraFollower = await startAuroraFollower(aurora.url);
  // No ~/.netrc of the machine running the tests is read.
  process.env.NETRC = path.join(os.tmpdir(), 'cantareira-no-netrc');
  await ensureRendererBuilt();
  browser = await launchChromium();
  host = await startHost({ mesosPollMs: 300, auroraPollMs: 300 });
  w = await openConsole(browser, host, 'light', '#/profiles');
  page = w.page;
});
afterAll(async () => {
  await cleanUp();
  await browser?.close();
  await Promise.all([agent, leader, follower, aurora, auroraFollower].map((s) => s.close().catch(() => {})));
  if (savedNetrc === undefined) delete process.env.NETRC;
  else process.env.NETRC = savedNetrc;
  fs.rmSync(path.join(os.tmpdir(), 'cantareira-no-netrc'), { force: true });
});

const nav = () => page.getByRole('navigation', { name: 'Screens' });
const dialog = () => page.getByRole('dialog').last();

describe('a real cluster: profile, agents, jobs, stderr, then its last-known state', () => {
  it('adds the profile in the form and tests each part of the connection', async () => {
    await page.getByRole('button', { name: 'New profile…' }).click();
    await dialog().getByLabel('Name', { exact: true }).fill('cantareira-dev');
    await dialog().getByLabel('Mesos masters').fill(`${follower.url}, ${leader.url}`);
    await dialog().getByLabel('Aurora scheduler').fill(auroraFollower.url);
    // No AWS account: the switch is a styled label over a hidden checkbox, so the label is what a user clicks.
    const aws = dialog().getByLabel('Scales through an AWS account');
    await expect
      .poll(async () => {
        if (await aws.isChecked()) await dialog().locator('label.profile-aws-switch').click();
        return aws.isChecked();
      })
      .toBe(false);
    await dialog().getByRole('button', { name: 'Test connection…' }).click();
    const checks = page.getByRole('list', { name: 'Connection checks' });
    await checks.waitFor({ timeout: 20_000 });
    const lines = await checks.getByRole('listitem').allTextContents();
    expect(lines[0]).toMatch(/Mesos leader.*Leader found: .*ip-127-0-0-1\.ec2\.internal/);
    expect(lines[1]).toMatch(/Aurora scheduler.*Aurora reachable at .*cantareira-dev/);
    expect(lines[2]).toMatch(/AWS identity.*No AWS account/);
    expect(lines[3]).toMatch(new RegExp(`Sample agent.*127\\.0\\.0\\.1:${agent.port}`));
    await screenshot(page, 'real-cluster-test-connection');
    await page
      .getByRole('dialog', { name: /Test connection/ })
      .getByRole('button', { name: 'Close', exact: true })
      .last()
      .click();
    await dialog().getByRole('button', { name: 'Save' }).click();
    await page.getByRole('table', { name: 'Profiles' }).getByText('cantareira-dev', { exact: true }).waitFor();
  });

  it('opens it: the agents come from the leading master', async () => {
    await page.evaluate('window.__beforeOpen = true');
    await page.getByRole('button', { name: 'Open cantareira-dev' }).click();
    await expect.poll(() => page.evaluate('window.__beforeOpen === undefined'), { timeout: 30_000 }).toBe(true);
    await expect.poll(() => page.getByTestId('active-profile').textContent(), { timeout: 30_000 }).toContain('cantareira-dev');
    await nav().getByRole('button', { name: 'Agents' }).click();
    await expect.poll(() => page.getByTestId('agents-summary').textContent(), { timeout: 20_000 }).toMatch(/^2 agents/);
    // The agents may come before the tasks (marked as loading); the whole state follows by itself.
    await expect.poll(() => page.locator('.agents-partial').count(), { timeout: 20_000 }).toBe(0);
    const rows = await readTable(page, /^Agents of profile cantareira-dev$/);
    expect(rows.map((r) => r['Hostname']).sort()).toEqual([example.agents[0].hostname, example.agents[1].hostname]);
    await screenshot(page, 'real-cluster-agents');
  });

  it("lists Aurora's jobs and opens a task's stderr through the agent's files API", async () => {
    await nav().getByRole('button', { name: 'Jobs' }).click();
    await page.getByRole('treeitem', { name: /hello/ }).first().click();
    await page.getByText('Insufficient: RAM').first().waitFor({ timeout: 20_000 });
    await screenshot(page, 'real-cluster-job');
    await page
      .getByRole('link', { name: /^stderr of / })
      .first()
      .click();
    const viewer = page.getByRole('log', { name: 'File contents' });
    await expect.poll(() => viewer.textContent(), { timeout: 20_000 }).toContain('MemoryError: hello ran out of memory');
    expect(agent.reads.count).toBeGreaterThan(0);
    await screenshot(page, 'real-cluster-stderr');
  });

  it('keeps the last-known state, marked "as of", once every server stops', async () => {
    await Promise.all([agent, leader, follower, aurora, auroraFollower].map((s) => s.close()));
    await nav().getByRole('button', { name: 'Agents' }).click();
    const stale = page.locator('.stale-warning').first();
    await expect.poll(() => stale.textContent().catch(() => ''), { timeout: 30_000 }).toMatch(/Showing the agents as of \d\d:\d\d/);
    expect((await readTable(page, /^Agents of profile cantareira-dev$/)).length).toBe(2);
    await screenshot(page, 'real-cluster-last-known-agents');
    await nav().getByRole('button', { name: 'Jobs' }).click();
    await expect
      .poll(
        () =>
          page
            .locator('.stale-warning')
            .first()
            .textContent()
            .catch(() => ''),
        { timeout: 30_000 },
      )
      .toMatch(/Showing the jobs as of \d\d:\d\d.*(Aurora|scheduler)/);
    await screenshot(page, 'real-cluster-last-known-jobs');
    expect(await collectProblems(w)).toEqual([]);
  });
});
