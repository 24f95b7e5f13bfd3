import { describe, expect, it } from 'vitest';
import { parseJobFile } from '../../../core/model/job-file.js';
import type { JobSpec } from '../../../core/model/job.js';
import { GiB, MiB, job, parseOk } from './helpers.js';

// shared/reference/aurora.md §1.7 (a), as the JSON Aurora's client reads (`--read-json`): the
// Python helpers are expanded (SequentialTask = one order over all processes).
const webService = {
  cluster: 'devcluster',
  role: 'www-data',
  environment: 'devel',
  name: 'web',
  instances: 4,
  service: true,
  tier: 'preferred',
  constraints: { host: 'limit:1', rack: '!r13' },
  health_check_config: { initial_interval_secs: 20, interval_secs: 5, max_consecutive_failures: 2 },
  update_config: { batch_size: 2, watch_secs: 0, max_total_failures: 1 },
  announce: { primary_port: 'http' },
  task: {
    processes: [
      { name: 'stage', cmdline: 'cp /opt/pkgs/web.py . && chmod +x web.py' },
      {
        name: 'serve',
        cmdline: 'python -u web.py --http {{thermos.ports[http]}} --health {{thermos.ports[health]}} --shard {{mesos.instance}}',
      },
    ],
    constraints: [{ order: ['stage', 'serve'] }],
    resources: { cpu: 0.5, ram: 256 * MiB, disk: 512 * MiB },
  },
};

// §1.7 (b) after `--bind date=2020-02-01`: the profile's mustaches are resolved in the JSON.
const crunchBatch = {
  jobs: [
    {
      cluster: 'devcluster',
      role: 'analytics',
      environment: 'test',
      name: 'crunch',
      instances: 8,
      max_task_failures: 3,
      constraints: { 'slave-type': 'mesos-fixed' },
      task: {
        name: 'crunch',
        processes: [
          { name: 'fetch', cmdline: 'fetch_tool hdfs://warehouse/events/2020-02-01 input/' },
          { name: 'crunch', cmdline: './crunch --in input --part {{mesos.instance}}', max_failures: 3 },
          { name: 'report', cmdline: 'send_summary part-{{mesos.instance}}', final: true },
        ],
        constraints: [{ order: ['fetch', 'crunch'] }],
        resources: { cpu: 2.0, ram: 4 * GiB, disk: 10 * GiB },
      },
    },
  ],
};

// §1.7 (c): SimpleTask('nightly_report', ...) = one process, 1 cpu, 1 GB ram and disk.
const nightlyCron = {
  cluster: 'devcluster',
  role: 'www-data',
  environment: 'prod',
  name: 'nightly_report',
  cron_schedule: '30 2 * * *',
  cron_collision_policy: 'CANCEL_NEW',
  max_task_failures: -1,
  task: {
    name: 'nightly_report',
    processes: [{ name: 'nightly_report', cmdline: 'python report.py --day "$(date +%F)"' }],
    resources: { cpu: 1, ram: GiB, disk: GiB },
  },
};

const process = (name: string, cmdline: string, over: Partial<JobSpec['task']['processes'][number]> = {}) => ({
  name,
  cmdline,
  maxFailures: 1,
  daemon: false,
  ephemeral: false,
  final: false,
  minDuration: 5,
  ...over,
});

describe('parseJobFile: valid Aurora JSON', () => {
  it('parses the web service example: constraints converted, ram/disk in MiB, ports, defaults', () => {
    expect(parseOk(webService)).toEqual<JobSpec[]>([
      {
        key: { role: 'www-data', environment: 'devel', name: 'web' },
        cluster: 'devcluster',
        instances: 4,
        task: {
          name: 'stage', // Task.name defaults to {{processes[0].name}}
          processes: [process('stage', webService.task.processes[0]!.cmdline), process('serve', webService.task.processes[1]!.cmdline)],
          orderings: [['stage', 'serve']],
          resources: { cpus: 0.5, ramMb: 256, diskMb: 512 },
          maxFailures: 1,
          finalizationWait: 30,
        },
        constraints: [
          { kind: 'limit', name: 'host', limit: 1 },
          { kind: 'value', name: 'rack', negated: true, values: ['r13'] },
        ],
        service: true,
        maxTaskFailures: 1,
        cronSchedule: null,
        cronCollisionPolicy: 'KILL_EXISTING',
        tier: 'preferred',
        priority: 0,
        ports: ['health', 'http'],
      },
    ]);
  });

  it('parses the batch example in the {"jobs": [...]} form', () => {
    const [crunch] = parseOk(crunchBatch);
    expect(crunch).toMatchObject({
      key: { role: 'analytics', environment: 'test', name: 'crunch' },
      instances: 8,
      maxTaskFailures: 3,
      service: false,
      tier: 'preemptible', // the scheduler's default tier
      constraints: [{ kind: 'value', name: 'slave-type', negated: false, values: ['mesos-fixed'] }],
      ports: [],
    });
    expect(crunch!.task.resources).toEqual({ cpus: 2, ramMb: 4096, diskMb: 10240 });
    expect(crunch!.task.orderings).toEqual([['fetch', 'crunch']]);
    expect(crunch!.task.processes.map((p) => [p.name, p.maxFailures, p.final])).toEqual([
      ['fetch', 1, false],
      ['crunch', 3, false],
      ['report', 1, true],
    ]);
  });

  it('parses the cron example', () => {
    expect(parseOk(nightlyCron)[0]).toMatchObject({
      cronSchedule: '30 2 * * *',
      cronCollisionPolicy: 'CANCEL_NEW',
      maxTaskFailures: -1,
      task: { resources: { cpus: 1, ramMb: 1024, diskMb: 1024 } },
    });
  });

  it('applies the schema defaults to a minimal job', () => {
    const minimal = {
      cluster: 'c',
      role: 'r',
      environment: 'prod',
      task: { processes: [{ name: 'only', cmdline: 'true' }], resources: { cpu: 1, ram: MiB, disk: MiB } },
    };
    expect(parseOk(minimal)).toEqual<JobSpec[]>([
      {
        key: { role: 'r', environment: 'prod', name: 'only' }, // name = {{task.name}} = {{processes[0].name}}
        cluster: 'c',
        instances: 1,
        task: {
          name: 'only',
          processes: [process('only', 'true')],
          orderings: [],
          resources: { cpus: 1, ramMb: 1, diskMb: 1 },
          maxFailures: 1,
          finalizationWait: 30,
        },
        constraints: [],
        service: false,
        maxTaskFailures: 1,
        cronSchedule: null,
        cronCollisionPolicy: 'KILL_EXISTING',
        tier: 'preemptible',
        priority: 0,
        ports: [],
      },
    ]);
  });

  it('reads every Process and Task field', () => {
    const [spec] = parseOk(
      job(
        { priority: 5, production: true, contact: 'a@b.c', service: false },
        {
          processes: [
            { name: 'a', cmdline: 'x', max_failures: 0, daemon: true, ephemeral: true, min_duration: 15, final: false },
            { name: 'b', cmdline: 'y', final: true },
          ],
          max_failures: 2,
          max_concurrency: 1,
          finalization_wait: 45,
        },
      ),
    );
    expect(spec!.priority).toBe(5);
    expect(spec!.task.processes[0]).toEqual(process('a', 'x', { maxFailures: 0, daemon: true, ephemeral: true, minDuration: 15 }));
    expect(spec!.task.processes[1]!.final).toBe(true);
    expect(spec!.task).toMatchObject({ maxFailures: 2, finalizationWait: 45 });
  });

  it('floors ram and disk to whole MiB like the Python 2 client', () => {
    const [spec] = parseOk(job({}, { resources: { cpu: 1, ram: 1_000_000_000, disk: 3 * MiB + 5 } }));
    expect(spec!.task.resources).toEqual({ cpus: 1, ramMb: 953, diskMb: 3 });
  });

  it('coerces scalars the way Pystachio does', () => {
    const [spec] = parseOk(
      job({ instances: '3', service: 'true', priority: ' -2 ' }, { resources: { cpu: '0.25', ram: String(64 * MiB), disk: 64 * MiB } }),
    );
    expect(spec).toMatchObject({ instances: 3, service: true, priority: -2, task: { resources: { cpus: 0.25, ramMb: 64 } } });
  });

  it('converts value constraints with several values, de-duplicated, and upper-cases the collision policy', () => {
    const [spec] = parseOk(job({ constraints: { zone: 'us-east-1a,us-east-1b,us-east-1a' }, cron_collision_policy: 'cancel_new' }));
    expect(spec!.constraints).toEqual([{ kind: 'value', name: 'zone', negated: false, values: ['us-east-1a', 'us-east-1b'] }]);
    expect(spec!.cronCollisionPolicy).toBe('CANCEL_NEW');
  });

  it('uses defaultCluster only for a job without cluster', () => {
    const { cluster: _, ...noCluster } = job();
    expect(
      parseOk({ jobs: [noCluster, job({ name: 'b', cluster: 'west' })] }, { defaultCluster: 'embedded' }).map((j) => j.cluster),
    ).toEqual(['embedded', 'west']);
  });

  it('accepts and ignores the fields the console does not act on, as Aurora accepts them', () => {
    const [spec] = parseOk(
      job({
        update_config: { batch_size: 2, watch_secs: 10, update_strategy: { batch_size: 2 } },
        health_check_config: { health_checker: { shell: { shell_command: 'curl -f localhost:{{thermos.ports[http]}}' } } },
        lifecycle: { http: { port: 'http' } },
        announce: { primary_port: 'http', portmap: { aurora: 'http' } },
        container: { docker: { image: 'python:3.9', parameters: [{ name: 'env', value: 'A=1' }] } },
        metadata: [{ key: 'team', value: 'data-infra' }],
        partition_policy: { reschedule: false, delay_secs: 30 },
        executor_config: { name: 'AuroraExecutor' },
        enable_hooks: true,
        task_links: { grafana: 'https://grafana/{{role}}' },
        production: false,
      }),
    );
    expect(spec!.key.name).toBe('hello');
  });

  it('ignores other top-level keys of the {"jobs": [...]} form, like loads_json', () => {
    expect(parseOk({ jobs: [job()], comment: 'written by hand' })).toHaveLength(1);
  });

  it('allows the same job key for two clusters (Aurora keys include the cluster)', () => {
    expect(parseOk({ jobs: [job({ cluster: 'east' }), job({ cluster: 'west' })] })).toHaveLength(2);
  });

  it('honours the scheduler options: environments and tiers', () => {
    expect(parseOk(job({ environment: 'qa' }), { allowedEnvironments: /^(prod|qa)$/ })[0]!.key.environment).toBe('qa');
    expect(parseOk(job({ tier: 'gold' }), { tiers: ['gold'], defaultTier: 'gold' })[0]!.tier).toBe('gold');
    expect(parseOk(job(), { tiers: ['gold'], defaultTier: 'gold' })[0]!.tier).toBe('gold');
  });

  it('skips a UTF-8 byte order mark', () => {
    expect(parseJobFile(`\uFEFF${JSON.stringify(job())}`).ok).toBe(true);
  });
});
