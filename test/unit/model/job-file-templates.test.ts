import { describe, expect, it } from 'vitest';
import { MiB, job, jobErrors, parseOk } from './helpers.js';

// What the Aurora client resolves in a JSON job and what it leaves for launch; the expected values
// were checked against Pystachio itself (github.com/wickman/pystachio) with Aurora's schema.
describe('parseJobFile: templates that resolve', () => {
  it('keeps the launch-time mustaches and lists the named ports', () => {
    const [spec] = parseOk(
      job(
        {},
        {
          processes: [
            { name: 'a', cmdline: 'serve --port {{thermos.ports[http]}} --admin {{thermos.ports[admin]}} --id {{thermos.task_id}}' },
            { name: 'b', cmdline: 'echo {{mesos.hostname}} {{mesos.instance}} {{thermos.ports[http]}}' },
          ],
        },
      ),
    );
    expect(spec!.ports).toEqual(['admin', 'http']);
    expect(spec!.task.processes[1]!.cmdline).toBe('echo {{mesos.hostname}} {{mesos.instance}} {{thermos.ports[http]}}');
  });

  it('resolves what the Aurora client resolves: struct fields, enclosing structs, standard bindings', () => {
    const [spec] = parseOk(
      job(
        { name: '{{role}}-svc', instances: 2, constraints: { rack: '!r13' } },
        {
          name: 'task-of-{{environment}}',
          processes: [
            {
              name: 'main',
              cmdline:
                'echo {{name}} {{self.name}} {{task.name}} {{role}} {{environment}} {{cluster}} {{instances}} ' +
                '{{thermos.user}} {{mesos.role}} {{mesos.cluster}} {{resources.cpu}} {{max_failures}} {{service}} ' +
                '{{constraints[rack]}} {{processes[1].name}}',
            },
            { name: 'second', cmdline: 'true' },
          ],
        },
      ),
    );
    expect(spec!.key.name).toBe('www-data-svc');
    expect(spec!.task.name).toBe('task-of-prod');
    // Values render as Python's str() renders them: booleans capitalised.
    expect(spec!.task.processes[0]!.cmdline).toBe(
      'echo main main task-of-prod www-data prod embedded 2 www-data www-data embedded 0.5 1 False !r13 second',
    );
  });

  it('renders an integral float with ".0", as Python does', () => {
    const [spec] = parseOk(
      job({}, { processes: [{ name: 'a', cmdline: 'run --threads {{resources.cpu}}' }], resources: { cpu: 2, ram: MiB, disk: MiB } }),
    );
    expect(spec!.task.processes[0]!.cmdline).toBe('run --threads 2.0');
  });

  // Checked against Pystachio itself: a value found through a plain field is taken as written and
  // its mustaches resolve where it is used; one found through a struct sees that struct's fields.
  it('scopes a found value as Pystachio does', () => {
    const [spec] = parseOk(
      job(
        { constraints: { rack: '{{name}}' } },
        {
          name: '{{processes[1].cmdline}}',
          processes: [
            { name: 'a', cmdline: 'echo {{constraints[rack]}} {{name}} {{task.name}}' },
            { name: 'b', cmdline: 'x{{name}}' },
          ],
        },
      ),
    );
    // {{constraints[rack]}} -> "{{name}}" -> this process's name; {{task.name}} -> b's cmdline in b's scope.
    expect(spec!.task.processes[0]!.cmdline).toBe('echo a a xb');
    expect(spec!.task.name).toBe('xb');
    // Where the constraint itself is used, {{name}} is the job's name.
    expect(spec!.constraints).toEqual([{ kind: 'value', name: 'rack', negated: false, values: ['hello'] }]);
  });

  it('allocates the ports an Announcer names, as the client does', () => {
    const [spec] = parseOk(
      job({ announce: { primary_port: 'http' } }, { processes: [{ name: 'a', cmdline: 'serve {{thermos.ports[admin]}}' }] }),
    );
    expect(spec!.ports).toEqual(['admin', 'http']); // default portmap {aurora: '{{primary_port}}'}
  });
});

describe('parseJobFile: templates that do not', () => {
  it('reports what would stay unbound, as Aurora\'s "Config contains unbound variables"', () => {
    const cmdline = 'run --date {{date}} --p {{thermos.ports.http}} {{ role }} {{&role}} {{date}} {{day.src}}';
    expect(jobErrors(job({}, { processes: [{ name: 'a', cmdline }] }))).toEqual([
      'jobs[0].task.processes[0].cmdline: unbound template variables {{date}} {{day.src}} (Aurora: "Config contains unbound variables")',
      'jobs[0].task.processes[0].cmdline: {{thermos.ports.http}}: bad port reference; use {{thermos.ports[name]}}',
      'jobs[0].task.processes[0].cmdline: {{ role }} is not a valid template variable',
      'jobs[0].task.processes[0].cmdline: {{&role}}: escaped mustaches ({{&...}}) are not supported',
    ]);
    expect(jobErrors(job({ contact: '{{owner}}@example.com' }))).toEqual([
      'jobs[0].contact: unbound template variable {{owner}} (Aurora: "Config contains unbound variables")',
    ]);
  });

  it('allows launch-time variables only in process cmdlines', () => {
    expect(jobErrors(job({ constraints: { host: '{{mesos.hostname}}' }, tier: '{{mesos.instance}}' }))).toEqual([
      'jobs[0].tier: {{mesos.instance}} is only known at launch; only a process cmdline may use it',
      'jobs[0].constraints.host: {{mesos.hostname}} is only known at launch; only a process cmdline may use it',
    ]);
    expect(jobErrors(job({}, { processes: [{ name: 'shard-{{mesos.instance}}', cmdline: 'x' }] }))).toEqual([
      'jobs[0].task.processes[0].name: {{mesos.instance}} is only known at launch; only a process cmdline may use it',
    ]);
  });

  it('refuses nested template variables, self references and references to whole structs', () => {
    expect(jobErrors(job({}, { processes: [{ name: 'a', cmdline: 'x {{thermos.ports[{{mesos.instance}}]}}' }] }))).toEqual([
      'jobs[0].task.processes[0].cmdline: {{thermos.ports[0]}}: template variables may not be nested',
    ]);
    expect(jobErrors(job({}, { processes: [{ name: '{{name}}', cmdline: 'x' }] }))).toEqual([
      'jobs[0].task.processes[0].name: {{name}} refers to itself',
    ]);
    expect(jobErrors(job({}, { processes: [{ name: 'a', cmdline: 'x {{task}} {{processes}}' }] }))).toEqual([
      'jobs[0].task.processes[0].cmdline: {{task}} names a struct, not a value',
      'jobs[0].task.processes[0].cmdline: {{processes}} names a list, not a value',
    ]);
  });
});
