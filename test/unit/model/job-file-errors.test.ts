import { describe, expect, it } from 'vitest';
import { MAX_ERRORS, parseJobFile } from '../../../core/model/job-file.js';
import { MiB, errorsOf, job, jobErrors } from './helpers.js';

const procs = (...names: string[]) => names.map((name) => ({ name, cmdline: `echo ${name}` }));

describe('parseJobFile: the file', () => {
  it('reports invalid JSON with line and column', () => {
    expect(errorsOf('{"jobs": [\n  {"role": "x",\n   "environment": }\n]}')).toEqual([
      'invalid JSON at line 3, column 19: unexpected character "}", expected a value',
    ]);
    expect(errorsOf('{"a": 1,}')).toEqual(['invalid JSON at line 1, column 9: unexpected character "}", expected a key in double quotes']);
    expect(errorsOf('{"a": "x\ty"}')).toEqual(['invalid JSON at line 1, column 9: control character in string (escape it, e.g. \\n)']);
    expect(errorsOf('{"cpu": NaN}')).toEqual(['invalid JSON at line 1, column 9: unexpected character "N", expected a value']);
    expect(errorsOf('')).toEqual(['invalid JSON at line 1, column 1: unexpected end of file, expected a value']);
    expect(errorsOf('{} {}')).toEqual(['invalid JSON at line 1, column 4: unexpected character "{", expected the end of the file']);
  });

  it('needs one job object or {"jobs": [...]} with at least one job', () => {
    expect(errorsOf([])).toEqual(['must be a JSON object: one job, or {"jobs": [...]}']);
    expect(errorsOf({ jobs: [] })).toEqual(['jobs: must contain at least one job']);
    expect(errorsOf({ jobs: {} })).toEqual(['jobs: must be a list of jobs']);
  });

  it('refuses a key given twice in one JSON object', () => {
    const text =
      '{"jobs": [{"role": "a", "role": "b", "environment": "prod", "cluster": "c", "task": ' +
      '{"processes": [{"name": "a", "cmdline": "x"}], "resources": {"cpu": 1, "ram": 1048576, "disk": 1048576}}}]}';
    expect(errorsOf(text)).toEqual(['jobs[0].role: duplicate key "role" (line 1, column 25); only one may be given']);
  });

  it('refuses the same job key twice', () => {
    expect(errorsOf({ jobs: [job(), job({ name: 'other' }), job()] })).toEqual(['jobs[2]: duplicate job key www-data/prod/hello']);
  });

  it('uses paths from the job itself in the single-job form', () => {
    expect(errorsOf(job({}, { resources: { cpu: 1, ram: 0, disk: MiB } }))).toEqual(['task.resources.ram: must be > 0']);
  });

  it('collects the errors of every job, up to a cap', () => {
    expect(errorsOf({ jobs: [job({ role: 'a b' }), job({ name: 'x', instances: 0 })] })).toEqual([
      'jobs[0].role: must match ^[\\w\\-.]+$',
      'jobs[1].instances: must be >= 1',
    ]);
    const many = job({}, { processes: Array.from({ length: 80 }, (_, i) => ({ name: `/p${i}`, cmdline: 'x' })) });
    const r = parseJobFile(JSON.stringify(many));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(MAX_ERRORS + 1);
    expect(r.errors.at(-1)).toEqual({ path: '', message: 'too many errors; only the first 50 are shown' });
  });
});

describe('parseJobFile: schema', () => {
  it('refuses fields Aurora does not know, at any depth', () => {
    expect(jobErrors(job({ foo: 1, update_config: { batchsize: 2 } }, { processes: [{ name: 'a', cmd: 'x' }] }))).toEqual([
      'jobs[0].task.processes[0].cmd: unknown field: Aurora\'s Process has no "cmd"',
      'jobs[0].task.processes[0].cmdline: is required',
      'jobs[0].foo: unknown field: Aurora\'s Job has no "foo"',
      'jobs[0].update_config.batchsize: unknown field: Aurora\'s UpdateConfig has no "batchsize"',
    ]);
  });

  it('names each missing required field', () => {
    expect(jobErrors({ task: { processes: [{ name: 'a' }] } })).toEqual([
      'jobs[0].task.processes[0].cmdline: is required',
      'jobs[0].task.resources: is required',
      'jobs[0].role: is required',
      'jobs[0].cluster: is required',
      'jobs[0].environment: is required',
    ]);
  });

  it('checks types as Pystachio coerces them', () => {
    expect(jobErrors(job({ instances: 'two', priority: 1.5, service: 'yes', task: [], constraints: { a: true }, tier: null }))).toEqual([
      "jobs[0].task: must be an object (Aurora's Task)",
      'jobs[0].constraints.a: must be a string',
      'jobs[0].tier: must be a string',
      'jobs[0].instances: must be an integer, got "two"',
      'jobs[0].priority: must be an integer (a whole number), got 1.5',
      'jobs[0].service: must be true or false, got "yes"',
    ]);
    expect(
      jobErrors(
        job({ constraints: ['x'], metadata: {}, container: { image: 'python:3.9' } }, { resources: { cpu: 1, ram: 1.5, disk: 'lots' } }),
      ),
    ).toEqual([
      'jobs[0].constraints: must be an object of strings',
      'jobs[0].metadata: must be a list',
      'jobs[0].container.image: unknown field: Aurora\'s Container has no "image"',
      'jobs[0].task.resources.ram: must be an integer (a whole number), got 1.5',
      'jobs[0].task.resources.disk: must be an integer, got "lots"',
    ]);
    expect(jobErrors(job({}, { processes: [{ name: 'a', cmdline: 'x', logger: { destination: 'syslog' } }] }))).toEqual([
      'jobs[0].task.processes[0].logger.destination: must be one of file, console, both, none',
    ]);
  });
});

describe('parseJobFile: job rules', () => {
  it("checks role, environment and name against Aurora's identifier pattern and environments", () => {
    expect(errorsOf({ jobs: [job(), job({ role: 'www data', environment: 'production', name: 'a:b' })] })).toEqual([
      'jobs[1].role: must match ^[\\w\\-.]+$',
      'jobs[1].name: must match ^[\\w\\-.]+$',
      "jobs[1].environment: must match ^(prod|devel|test|staging\\d*)$ (the scheduler's allowed environments)",
    ]);
  });

  it('needs instances >= 1 and max_task_failures >= -1', () => {
    expect(jobErrors(job({ max_task_failures: -2, instances: 0 }))).toEqual([
      'jobs[0].instances: must be >= 1',
      'jobs[0].max_task_failures: must be >= -1 (-1 = unlimited)',
    ]);
  });

  it('checks the tier', () => {
    expect(jobErrors(job({ tier: 'gold' }))).toEqual(['jobs[0].tier: unknown tier "gold" (known: preferred, preemptible, revocable)']);
  });

  it('checks scheduling constraints', () => {
    expect(
      jobErrors(
        job({ constraints: { host: 'limit:0', rack: 'limit:x', zone: 'limit:1.5', az: 'a,,b', pool: '', dedicated: 'other/x', x: '!' } }),
      ),
    ).toEqual([
      'jobs[0].constraints.host: limit must be a whole number >= 1',
      'jobs[0].constraints.rack: limit must be a whole number >= 1',
      'jobs[0].constraints.zone: limit must be a whole number >= 1',
      'jobs[0].constraints.az: must list values separated by commas, without empty ones: "a,,b"',
      'jobs[0].constraints.pool: must list values separated by commas, without empty ones: ""',
      'jobs[0].constraints.dedicated: only role "other" may use hosts dedicated to "other/x"',
      'jobs[0].constraints.x: must list values separated by commas, without empty ones: "!"',
    ]);
    expect(jobErrors(job({ constraints: { dedicated: 'limit:2' } }))).toEqual([
      'jobs[0].constraints.dedicated: a dedicated constraint must be a value constraint',
    ]);
    expect(jobErrors(job({ constraints: { dedicated: 'www-data/a,www-data/b' } }))).toEqual([
      'jobs[0].constraints.dedicated: a dedicated constraint must have exactly one value',
    ]);
  });

  it('checks the cron schedule and collision policy', () => {
    expect(jobErrors(job({ cron_schedule: '@hourly' }))).toEqual([
      'jobs[0].cron_schedule: invalid cron schedule "@hourly": aliases such as @hourly are not supported; write 5 fields: minute hour day-of-month month day-of-week',
    ]);
    expect(jobErrors(job({ cron_schedule: '61 * * * *' }))).toEqual([
      'jobs[0].cron_schedule: invalid cron schedule "61 * * * *": minute "61": 61 is outside 0-59',
    ]);
    expect(jobErrors(job({ cron_schedule: '0 0 1 * MON', cron_collision_policy: 'RUN_OVERLAP' }))).toEqual([
      'jobs[0].cron_schedule: invalid cron schedule "0 0 1 * MON": restricts both day-of-month and day-of-week, which Aurora does not support; set one of them to *',
      'jobs[0].cron_collision_policy: RUN_OVERLAP has been removed from Aurora (AURORA-38); use KILL_EXISTING or CANCEL_NEW',
    ]);
    expect(jobErrors(job({ cron_schedule: '0 0 * * *', cron_collision_policy: 'whatever', service: true }))).toEqual([
      'jobs[0].cron_schedule: a service may not run on a cron schedule (set service: false or drop cron_schedule)',
      'jobs[0].cron_collision_policy: must be KILL_EXISTING or CANCEL_NEW, got "whatever"',
    ]);
  });

  it('runs the client checks on the ignored structs', () => {
    expect(
      jobErrors(job({ update_config: { max_total_failures: 1, watch_secs: -1 }, health_check_config: { interval_secs: -5 } })),
    ).toEqual([
      'jobs[0].update_config.max_total_failures: must be < instances (1)',
      'jobs[0].update_config.watch_secs: must be >= 0',
      'jobs[0].health_check_config.interval_secs: must be >= 0',
    ]);
    expect(jobErrors(job({ announce: { portmap: { http: 80 } } }))).toEqual([
      'jobs[0].announce.portmap.http: a static port needs a dedicated constraint',
    ]);
    expect(
      jobErrors(job({ announce: { portmap: { aurora: 'http' } } }, { processes: [{ name: 'a', cmdline: 'x {{thermos.ports[aurora]}}' }] })),
    ).toEqual(['jobs[0].announce.portmap.aurora: processes use {{thermos.ports[aurora]}}; aliasing it to "http" is not supported']);
    expect(jobErrors(job({ executor_config: { name: 'Custom', data: '{}' } }))).toEqual([
      'jobs[0].executor_config.name: only Thermos tasks (AuroraExecutor) can run here',
    ]);
  });
});

describe('parseJobFile: task rules', () => {
  it('checks resources: positive, ram and disk in bytes, no GPUs', () => {
    expect(jobErrors(job({}, { resources: { cpu: 0, ram: 0, disk: -1 } }))).toEqual([
      'jobs[0].task.resources.cpu: must be > 0',
      'jobs[0].task.resources.ram: must be > 0',
      'jobs[0].task.resources.disk: must be > 0',
    ]);
    expect(jobErrors(job({}, { resources: { cpu: 1, ram: 1000, disk: MiB, gpu: 1 } }))).toEqual([
      'jobs[0].task.resources.ram: must be at least 1 MiB (1048576 bytes): ram is in bytes',
      'jobs[0].task.resources.gpu: GPUs are not supported by the console (must be 0)',
    ]);
  });

  it('checks process names: Thermos pattern, unique', () => {
    expect(jobErrors(job({}, { processes: procs('fetch', '.hidden', 'fetch', 'a/b') }))).toEqual([
      'jobs[0].task.processes[1].name: must match ^[^./][^/]*$',
      'jobs[0].task.processes[2].name: duplicate process name "fetch"',
      'jobs[0].task.processes[3].name: must match ^[^./][^/]*$',
    ]);
  });

  it('needs at least one process, without cascading errors from the name defaults', () => {
    const { name: _n, ...noName } = job({}, { processes: [] });
    const { name: _t, ...task } = noName.task as Record<string, unknown>;
    expect(jobErrors({ ...noName, task })).toEqual(['jobs[0].task.processes: must list at least one process']);
  });

  it('checks the numeric process and task fields', () => {
    const j = job(
      {},
      {
        max_failures: -1,
        finalization_wait: -1,
        max_concurrency: -1,
        processes: [{ name: 'a', cmdline: 'x', max_failures: -1, min_duration: -1 }],
      },
    );
    expect(jobErrors(j)).toEqual([
      'jobs[0].task.processes[0].max_failures: must be >= 0 (0 = retry forever)',
      'jobs[0].task.processes[0].min_duration: must be >= 0',
      'jobs[0].task.max_failures: must be >= 0',
      'jobs[0].task.finalization_wait: must be >= 0',
      'jobs[0].task.max_concurrency: must be >= 0 (0 = no limit)',
    ]);
  });

  it('checks process ordering like Thermos', () => {
    expect(jobErrors(job({}, { processes: procs('a', 'b'), constraints: [{ order: ['a', 'x'] }, { order: [] }, {}] }))).toEqual([
      'jobs[0].task.constraints[0].order: unknown process "x"',
      'jobs[0].task.constraints[1].order: must name the processes to run in order',
      'jobs[0].task.constraints[2].order: must name the processes to run in order',
    ]);
    expect(
      jobErrors(job({}, { processes: procs('a', 'b', 'c'), constraints: [{ order: ['a', 'b', 'c'] }, { order: ['c', 'a'] }] })),
    ).toEqual(['jobs[0].task.constraints: process ordering has a cycle: a -> b -> c -> a']);
    const processes = [
      { name: 'a', cmdline: 'a', daemon: true },
      { name: 'b', cmdline: 'b' },
      { name: 'c', cmdline: 'c', final: true },
      { name: 'e', cmdline: 'e', ephemeral: true },
      { name: 'f', cmdline: 'f' },
    ];
    expect(jobErrors(job({}, { processes, constraints: [{ order: ['a', 'b'] }, { order: ['b', 'c'] }, { order: ['e', 'f'] }] }))).toEqual([
      'jobs[0].task.constraints[0].order: process "b" may not depend on daemon process "a"',
      'jobs[0].task.constraints[1].order: may not mix final and non-final processes',
      'jobs[0].task.constraints[2].order: non-ephemeral process "f" may not depend on ephemeral process "e"',
    ]);
  });
});
