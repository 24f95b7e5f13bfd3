import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HeadlessHost } from '../../electron/headless.js';
import { startMoto, type Moto } from '../integration/fixtures/moto.js';
import { seedCluster, seeded } from '../integration/fixtures/moto-seed.js';
import { collectProblems, ensureRendererBuilt, launchChromium, readTable, screenshot, type Watched } from './browser.js';
import { cleanUp, openConsole, startHost } from './host.js';

/**
 * Profiles end to end: a profile file with mistakes is refused with every one listed, the fixed
 * file is imported and opened, and the console then works against the moto AWS emulator as it
 * would against a real account: scaling through the Auto Scaling group, the machine on
 * Instances, and a clear "not connected" on the screens that need Mesos. Opening the embedded
 * profile again brings its agents back.
 */

let moto: Moto;
let browser: Browser;
let host: HeadlessHost;
let w: Watched;
let page: Page;

// The host runs in this process and the AWS SDK reads credentials from the environment.
const savedEnv = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };

const devProfile = (endpoint: string) => ({
  name: 'cantareira-dev',
  kind: 'mesos',
  aws: { region: 'us-east-1', endpoint },
  pools: [
    { name: 'mesos-fixed', kind: 'fixed', instanceTypes: ['m5.2xlarge'], count: 0 },
    {
      name: 'mesos-on-demand',
      kind: 'on-demand',
      instanceTypes: ['m5.2xlarge'],
      count: 0,
      autoScalingGroup: seeded.group,
      namePrefix: seeded.onDemandPrefix,
    },
  ],
});

/** The same file with two mistakes the host finds: incompatible spot types, and a count above its maximum. */
const withMistakes = (endpoint: string) => {
  const p = devProfile(endpoint);
  return {
    ...p,
    pools: [...p.pools, { name: 'mesos-spot', kind: 'spot', instanceTypes: ['m5.2xlarge', 'r5.2xlarge'], count: 3, maxCount: 2 }],
  };
};

beforeAll(async () => {
  moto = await startMoto();
  await seedCluster(moto.endpoint);
  process.env.AWS_ACCESS_KEY_ID = 'test';
  process.env.AWS_SECRET_ACCESS_KEY = 'test';
  await ensureRendererBuilt();
  browser = await launchChromium();
  host = await startHost({ embedded: { tickMs: 200, graceMs: 500 } });
  w = await openConsole(browser, host, 'light', '#/profiles');
  page = w.page;
});
afterAll(async () => {
  await cleanUp();
  await browser?.close();
  await moto?.stop();
  restoreEnv('AWS_ACCESS_KEY_ID', savedEnv.id);
  restoreEnv('AWS_SECRET_ACCESS_KEY', savedEnv.secret);
});

function restoreEnv(name: string, value: string | undefined) {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

const nav = () => page.getByRole('navigation', { name: 'Screens' });
const dialog = () => page.getByRole('dialog');
const profileRows = () => readTable(page, 'Profiles');
const row = (name: string) =>
  page
    .getByRole('table', { name: 'Profiles' })
    .getByRole('row')
    .filter({ has: page.getByText(name, { exact: true }) });

async function dismissToasts() {
  for (const close of await page.locator('.bp6-toast button[aria-label="Close"]').all()) await close.click().catch(() => undefined);
}

/** Presses Open (on a row or in a dialog) and waits for the window to come back with that profile. */
async function openAndReload(press: () => Promise<void>, name: string) {
  await page.evaluate('window.__beforeOpen = true');
  await press();
  await expect.poll(() => page.evaluate('window.__beforeOpen === undefined'), { timeout: 30_000 }).toBe(true);
  await expect.poll(() => page.getByTestId('active-profile').textContent(), { timeout: 30_000 }).toContain(name);
}

describe('Profiles: import, edit, open a Mesos profile on moto, and back', () => {
  it('lists the built-in profile as open, and says why it cannot be edited', async () => {
    await page.getByRole('table', { name: 'Profiles' }).waitFor();
    expect(await nav().getByRole('button').allTextContents()).toEqual([
      'Overview',
      'Jobs',
      'Agents',
      'Scaling',
      'Instances',
      'Audit log',
      'Profiles',
    ]);
    const rows = await profileRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ Name: 'embeddedopenbuilt in', Kind: 'embedded cluster', Machines: 'local machines' });
    expect(rows[0]!['Pools']).toBe('4 mesos-fixed (fixed), mesos-on-demand (on-demand), mesos-spot (spot), model (specific)');
    const edit = row('embedded').getByRole('button', { name: 'Edit embedded' });
    expect(await edit.getAttribute('aria-disabled')).toBe('true');
    expect(await row('embedded').getByText('embedded is built in; save a copy instead', { exact: true }).count()).toBe(1);
    expect(await row('embedded').getByRole('button', { name: 'Open embedded' }).getAttribute('aria-disabled')).toBe('true');
    // The top bar's profile leads here.
    expect(await page.getByTestId('active-profile').getAttribute('href')).toBe('#/profiles');
    await screenshot(page, 'profiles');
  });

  it('refuses a profile file with mistakes, listing every one, and imports it once fixed', { timeout: 30_000 }, async () => {
    await page.getByRole('button', { name: 'Import profile file…' }).click();
    const text = dialog().getByRole('textbox', { name: 'Profile file text' });
    await text.fill(JSON.stringify(withMistakes(moto.endpoint), null, 2));
    await dialog().getByRole('button', { name: 'Import', exact: true }).click();
    const problems = dialog().getByRole('list', { name: 'Problems' });
    await problems.waitFor();
    const lines = await problems.getByRole('listitem').allTextContents();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^pools\[2\]\.instanceTypes: /);
    expect(lines[0]).toContain('r5.2xlarge');
    expect(lines[1]).toBe('pools[2].count: 3 is above maxCount 2');
    expect(await dialog().getByRole('alert').textContent()).toContain('PROFILE_INVALID');
    await screenshot(page, 'profile-import-errors');

    await text.fill(JSON.stringify(devProfile(moto.endpoint), null, 2));
    await dialog().getByRole('button', { name: 'Import', exact: true }).click();
    await dialog().getByText('Created profile cantareira-dev').waitFor();
    expect(await dialog().getByRole('button', { name: 'Open it' }).getAttribute('aria-disabled')).toBeNull();
    await expect.poll(async () => (await profileRows()).map((r) => r['Name'])).toEqual(['embeddedopenbuilt in', 'cantareira-dev']);
    expect((await profileRows())[1]).toMatchObject({ Kind: 'Mesos cluster', Machines: 'AWS us-east-1 · default credentialsemulator' });
  });

  it('opens it from the import dialog: the window reloads on cantareira-dev, a Mesos cluster', { timeout: 60_000 }, async () => {
    await openAndReload(() => dialog().getByRole('button', { name: 'Open it' }).click(), 'cantareira-dev');
    expect(await page.getByTestId('active-profile').textContent()).toContain('Mesos cluster');
    await expect.poll(() => page.url()).toMatch(/#\/profiles$/);
    await expect.poll(async () => (await profileRows()).map((r) => r['Name'])).toEqual(['embeddedbuilt in', 'cantareira-devopen']);
  });

  it('edits a copy in the form and as JSON; the host’s problems show beside the form, and it stays open', { timeout: 30_000 }, async () => {
    await dismissToasts();
    await row('cantareira-dev').getByRole('button', { name: 'Copy cantareira-dev' }).click();
    expect(await dialog().getByLabel('Name', { exact: true }).inputValue()).toBe('cantareira-dev-copy');
    expect(await dialog().getByLabel('Endpoint').inputValue()).toBe(moto.endpoint);
    expect(await dialog().getByRole('textbox', { name: 'Pool 2 auto scaling group', exact: true }).inputValue()).toBe(seeded.group);
    // The launch template is not used by an on-demand pool: its box is off.
    expect(await dialog().getByRole('textbox', { name: 'Pool 2 launch template', exact: true }).isDisabled()).toBe(true);

    // A fixed pool with two instance types: only the host knows it is wrong.
    await dialog().getByRole('textbox', { name: 'Pool 1 instance types', exact: true }).fill('m5.2xlarge, m5.xlarge');
    await dialog().getByRole('button', { name: 'Add pool' }).click();
    await dialog().getByRole('textbox', { name: 'Pool 3 name', exact: true }).fill('model');
    await dialog().getByRole('combobox', { name: 'Pool 3 kind' }).selectOption('specific');
    await dialog().getByRole('textbox', { name: 'Pool 3 instance types', exact: true }).fill('r5.4xlarge');
    await dialog().getByRole('textbox', { name: 'Pool 3 launch template', exact: true }).fill(seeded.launchTemplate);
    await dialog().getByRole('button', { name: 'Save' }).click();
    const problems = dialog().getByRole('list', { name: 'Problems' });
    await problems.waitFor();
    expect(await problems.getByRole('listitem').allTextContents()).toEqual(['pools[0].instanceTypes: a fixed pool has one instance type']);
    await screenshot(page, 'profile-editor');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'profile-editor-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // The JSON tab holds the same draft; optional fields left empty are not in it.
    await dialog().getByRole('tab', { name: 'JSON' }).click();
    const json = JSON.parse(await dialog().getByRole('textbox', { name: 'Profile JSON' }).inputValue()) as {
      pools: Record<string, unknown>[];
    };
    expect(json.pools[2]).toEqual({
      name: 'model',
      kind: 'specific',
      instanceTypes: ['r5.4xlarge'],
      count: 0,
      launchTemplate: seeded.launchTemplate,
    });
    json.pools[0]!['instanceTypes'] = ['m5.2xlarge'];
    await dialog()
      .getByRole('textbox', { name: 'Profile JSON' })
      .fill(JSON.stringify(json, null, 2));
    await dialog().getByRole('tab', { name: 'Form' }).click();
    expect(await dialog().getByRole('textbox', { name: 'Pool 1 instance types', exact: true }).inputValue()).toBe('m5.2xlarge');
    await dialog().getByRole('button', { name: 'Save' }).click();
    await dialog().waitFor({ state: 'detached' });
    await expect
      .poll(async () => (await profileRows()).map((r) => r['Name']))
      .toEqual(['embeddedbuilt in', 'cantareira-devopen', 'cantareira-dev-copy']);
    expect((await profileRows())[2]!['Pools']).toBe('3 mesos-fixed (fixed), mesos-on-demand (on-demand), model (specific)');
  });

  it('scales the on-demand pool on AWS through its Auto Scaling group', { timeout: 90_000 }, async () => {
    await dismissToasts();
    await nav().getByRole('button', { name: 'Scaling' }).click();
    const pool = page.getByRole('region', { name: 'Pool mesos-on-demand' });
    await pool.waitFor({ timeout: 20_000 });
    expect(await page.locator('.scaling .screen-summary').textContent()).toBe('2 pools · AWS');
    expect(await pool.getByTestId('pool-desired').textContent()).toBe('0 (0–10)');
    const fixed = page.getByRole('region', { name: 'Pool mesos-fixed' });
    expect(await fixed.getByRole('button', { name: 'Hold…' }).getAttribute('aria-disabled')).toBe('true');

    await pool.getByRole('button', { name: 'Scale…' }).click();
    await dialog().getByRole('spinbutton', { name: 'Nodes in mesos-on-demand' }).fill('1');
    await expect.poll(() => dialog().getByLabel('Nodes now and after').textContent(), { timeout: 20_000 }).toMatch(/→ 1$/);
    await dialog().getByRole('region', { name: 'Plan' }).and(page.locator('[aria-busy=false]')).waitFor();
    await dialog().getByRole('button', { name: 'Run' }).click();
    await dialog().waitFor({ state: 'detached' });
    await expect.poll(() => page.locator('.bp6-toast').filter({ hasText: 'Started: Add 1 mesos-on-demand node' }).count()).toBe(1);
    await expect
      .poll(async () => (await readTable(page, 'Operation history')).map((r) => `${r['Summary']}: ${r['State']}`), { timeout: 60_000 })
      .toEqual(['Add 1 mesos-on-demand node (0 → 1): succeeded']);
    await expect.poll(() => pool.getByTestId('pool-desired').textContent(), { timeout: 20_000 }).toBe('1 (0–10)');
    await screenshot(page, 'scaling-aws');
  });

  it('lists the new EC2 instance of the group on Instances, with no agent', { timeout: 30_000 }, async () => {
    await dismissToasts();
    await nav().getByRole('button', { name: 'Instances' }).click();
    const table = /^Instances of profile cantareira-dev$/;
    await expect
      .poll(async () => (await readTable(page, table)).map((r) => `${r['Pool']} ${r['State']}`), { timeout: 20_000 })
      .toEqual(['mesos-on-demand running']);
    const [instance] = await readTable(page, table);
    expect(instance).toMatchObject({ Group: seeded.group, Agent: 'no agent', Type: 'm5.2xlarge' });
    expect(instance!['Instance']).toMatch(/^i-/);
    expect(await page.getByTestId('instances-summary').textContent()).toBe('1 instance · 1 running instance with no agent');
    await screenshot(page, 'instances-aws');
  });

  it('says on Agents that this profile names no Mesos masters, and what to do', async () => {
    await nav().getByRole('button', { name: 'Agents' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const text = (await alert.textContent()) ?? '';
    expect(text).toContain('cantareira-dev names no Mesos masters');
    expect(text).toContain('add its Mesos master URLs for its agents');
    expect(text).toContain('MESOS_NOT_CONNECTED');
    expect(text).not.toMatch(/\bat .+:\d+:\d+/);
    await screenshot(page, 'agents-not-connected');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'agents-not-connected-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('opens the embedded profile again: its three agents are back', { timeout: 60_000 }, async () => {
    await nav().getByRole('button', { name: 'Profiles' }).click();
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'profiles-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await openAndReload(() => row('embedded').getByRole('button', { name: 'Open embedded' }).click(), 'embedded');
    expect(await page.getByTestId('active-profile').textContent()).toContain('embedded cluster');
    await nav().getByRole('button', { name: 'Agents' }).click();
    await expect.poll(async () => (await readTable(page, /^Agents of profile embedded$/)).length, { timeout: 30_000 }).toBe(3);
    expect(await collectProblems(w)).toEqual([]);
  });
});
