/**
 * The one-line start, as a person or a script runs it: the built headless host (what `npm start`
 * runs where Electron is not available) with `--mesos-master … --aurora … --name …` creates
 * that profile and opens it; `--profile NAME` opens it again later; a bad URL is refused with
 * the usage. Loopback Mesos and Aurora servers stand in for the cluster.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAurora, type AuroraRunning } from '../integration/fixtures/aurora-server.js';
import { startLeader, type LeaderRunning } from '../integration/fixtures/mesos-servers.js';
import { ensureRendererBuilt, repoRoot } from './browser.js';

let leader: LeaderRunning;
let aurora: AuroraRunning;
let dataDir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  await ensureRendererBuilt();
  leader = await startLeader();
  aurora = await startAurora({ jobs: [], clusterName: 'cli-dev' });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cantareira-cli-'));
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  await Promise.all([leader.close(), aurora.close()]);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Starts the built host; resolves with the URL it prints, or with its exit code and output. */
function startHost(args: string[]): Promise<{ url: string; child: ChildProcess } | { code: number | null; output: string }> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'out/electron/headless.mjs'), '--data-dir', dataDir, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NETRC: path.join(dataDir, 'no-netrc') },
  });
  children.push(child);
  let output = '';
  return new Promise((resolve) => {
    const seen = (c: Buffer) => {
      output += c.toString();
      const m = /Open: (http:\/\/127\.0\.0\.1:\d+\/\S+)/.exec(output);
      if (m) resolve({ url: m[1]!, child });
    };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', seen);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

function status(url: string): Promise<{ activeProfile: { name: string; kind: string } | null }> {
  const u = new URL(url);
  const token = u.searchParams.get('token') ?? '';
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: u.port,
        method: 'POST',
        path: '/api/call',
        headers: { host: u.host, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve((JSON.parse(body) as { data: { activeProfile: { name: string; kind: string } | null } }).data));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ name: 'app.status', input: {} }));
  });
}

async function stop(child: ChildProcess) {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

describe('npm start on a real cluster, in one line', () => {
  it('--mesos-master … --aurora … --name creates the profile and opens it; --profile NAME opens it again', async () => {
    const first = await startHost(['--mesos-master', leader.url, '--aurora', aurora.url, '--name', 'cli-dev']);
    if (!('url' in first)) throw new Error(`the host did not start: ${first.output}`);
    expect((await status(first.url)).activeProfile).toMatchObject({ name: 'cli-dev', kind: 'mesos' });
    await stop(first.child);

    const again = await startHost(['--profile', 'cli-dev']);
    if (!('url' in again)) throw new Error(`the host did not start: ${again.output}`);
    expect((await status(again.url)).activeProfile).toMatchObject({ name: 'cli-dev' });
    await stop(again.child);
  });

  it('refuses a master that is not a URL, with the usage, and starts nothing', async () => {
    const r = await startHost(['--mesos-master', 'not-a-url']);
    expect('code' in r && r.code).toBe(2);
    if ('output' in r) expect(r.output).toMatch(/--mesos-master takes http\(s\) URLs[\s\S]*usage: npm start/);
  });
});
