import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { embeddedProfile } from '../../../core/embedded/profile.js';
import { instanceSize } from '../../../core/model/instance-types.js';
import { formatJobFileError, parseJobFile } from '../../../core/model/job-file.js';
import type { JobSpec } from '../../../core/model/job.js';
import { renderCmdline } from '../../../core/model/mustache.js';

const demoDir = path.resolve(import.meta.dirname, '../../../jobs/demo');
const files = fs
  .readdirSync(demoDir)
  .filter((f) => f.endsWith('.json'))
  .sort();

function load(file: string): JobSpec {
  const r = parseJobFile(fs.readFileSync(path.join(demoDir, file), 'utf8'));
  if (!r.ok) expect.fail(`${file}:\n${r.errors.map(formatJobFileError).join('\n')}`);
  expect(r.jobs).toHaveLength(1);
  return r.jobs[0]!;
}

/** What Aurora's embedded executor adds to every task (aurora.md: 0.25 cpu, 128 MB). */
const overhead = { cpus: 0.25, ramMb: 128 };
const slaveType = (j: JobSpec) => j.constraints.find((c) => c.name === 'slave-type');

describe('the demo jobs under jobs/demo', () => {
  it('are the four expected files', () => {
    expect(files).toEqual(['batch-writer.json', 'model-fails.json', 'model-pending.json', 'service-ticker.json']);
  });

  it.each(files)('%s parses as one Aurora job of role cantareira on cluster embedded', (file) => {
    const j = load(file);
    expect(j.key.role).toBe('cantareira');
    expect(['prod', 'devel']).toContain(j.key.environment);
    expect(j.cluster).toBe('embedded');
    expect(`${j.key.name}.json`).toBe(file);
  });

  it('batch-writer: a batch job on mesos-on-demand', () => {
    const j = load('batch-writer.json');
    expect(j).toMatchObject({ service: false, instances: 1, cronSchedule: null, ports: [] });
    expect(slaveType(j)).toEqual({ kind: 'value', name: 'slave-type', negated: false, values: ['mesos-on-demand'] });
  });

  it('model-fails: fetches, then fails once on mesos-fixed', () => {
    const j = load('model-fails.json');
    expect(j).toMatchObject({ service: false, maxTaskFailures: 1 });
    expect(slaveType(j)!).toMatchObject({ values: ['mesos-fixed'] });
    expect(j.task.orderings).toEqual([['fetch_artifacts', 'score']]);
    expect(j.task.processes.at(-1)!.cmdline).toMatch(/Traceback \(most recent call last\)[\s\S]*KeyError[\s\S]*exit 1$/);
  });

  it('service-ticker: two instances, one per host, with a named port', () => {
    const j = load('service-ticker.json');
    expect(j).toMatchObject({ service: true, instances: 2, ports: ['http'] });
    expect(j.constraints).toContainEqual({ kind: 'limit', name: 'host', limit: 1 });
    expect(j.task.processes[0]!.cmdline).toContain('{{mesos.instance}}');
    expect(j.task.processes[0]!.cmdline).toContain('{{thermos.ports[http]}}');
  });

  it('model-pending: waits for the model pool, which the embedded profile starts empty', () => {
    const j = load('model-pending.json');
    expect(slaveType(j)!).toMatchObject({ values: ['model'] });
    expect(embeddedProfile.pools.find((p) => p.name === 'model')!.count).toBe(0);
    for (const other of ['batch-writer.json', 'model-fails.json', 'service-ticker.json']) {
      const pool = slaveType(load(other))!;
      expect(pool.kind === 'value' && embeddedProfile.pools.find((p) => p.name === pool.values[0])!.count).toBeGreaterThan(0);
    }
  });

  it('fit an m5.xlarge each, and together where they share the on-demand agents', () => {
    const m5 = instanceSize('m5.xlarge')!;
    const need = (j: JobSpec) => ({ cpus: j.task.resources.cpus + overhead.cpus, ramMb: j.task.resources.ramMb + overhead.ramMb });
    for (const f of files) {
      const n = need(load(f));
      expect(n.cpus).toBeLessThanOrEqual(m5.cpus);
      expect(n.ramMb).toBeLessThanOrEqual(m5.memMb);
    }
    // One on-demand agent holds the batch writer and one ticker instance.
    const [a, b] = [need(load('batch-writer.json')), need(load('service-ticker.json'))];
    expect(a.cpus + b.cpus).toBeLessThanOrEqual(m5.cpus);
    expect(a.ramMb + b.ramMb).toBeLessThanOrEqual(m5.memMb);
  });

  it.each(files)('%s has cmdlines bash accepts once rendered', (file) => {
    const j = load(file);
    const ports = Object.fromEntries(j.ports.map((p, i) => [p, 31000 + i]));
    for (const p of j.task.processes) {
      const cmdline = renderCmdline(p.cmdline, { instance: 1, hostname: 'agent-1.local', taskId: 't-1', ports, user: 'cantareira' });
      const r = spawnSync('bash', ['-n', '-c', cmdline], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    }
  });

  it('service-ticker prints its instance and port every second', async () => {
    const j = load('service-ticker.json');
    const cmdline = renderCmdline(j.task.processes[0]!.cmdline, {
      instance: 1,
      hostname: 'agent-1.local',
      taskId: 't-1',
      ports: { http: 31005 },
      user: 'cantareira',
    });
    // Read until its first two lines are out, however long a busy machine takes, then stop it.
    const ticker = spawn('bash', ['-c', cmdline], { stdio: ['ignore', 'pipe', 'ignore'], detached: true });
    let out = '';
    ticker.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    try {
      await vi.waitFor(() => expect(out.split('\n').length).toBeGreaterThan(2), { timeout: 10_000, interval: 20 });
    } finally {
      process.kill(-ticker.pid!, 'SIGKILL');
    }
    const lines = out.split('\n');
    expect(lines[0]).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ INFO {2}\[ticker\] instance 1 on agent-1\.local would serve HTTP on port 31005$/,
    );
    expect(lines[1]).toMatch(/INFO {2}\[ticker\] instance=1 port=31005 tick=1 uptime_s=\d+$/);
  });
});
