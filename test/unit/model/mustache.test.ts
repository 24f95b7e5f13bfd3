import { describe, expect, it } from 'vitest';
import { parseRef, referencedPorts, renderCmdline, runtimeRef, TemplateError, type LaunchContext } from '../../../core/model/mustache.js';

const ctx: LaunchContext = {
  instance: 3,
  hostname: 'mesos-on-demand-1.embedded.local',
  taskId: 'www-data-prod-hello-3-abc',
  ports: { http: 31001, health: 31002 },
  user: 'www-data',
};

describe('parseRef (Pystachio Ref.from_address)', () => {
  it('splits dotted and indexed addresses', () => {
    expect(parseRef('thermos.ports[http]')).toEqual([
      { kind: 'deref', value: 'thermos' },
      { kind: 'deref', value: 'ports' },
      { kind: 'index', value: 'http' },
    ]);
    expect(parseRef('processes[0].name')).toEqual([
      { kind: 'deref', value: 'processes' },
      { kind: 'index', value: '0' },
      { kind: 'deref', value: 'name' },
    ]);
    expect(parseRef('[a-b/c.d]')).toEqual([{ kind: 'index', value: 'a-b/c.d' }]);
  });

  it.each(['', ' name', 'name ', '1st', 'a..b', 'a[b c]', 'a.1', 'a[]', '-x'])('refuses %j', (address) => {
    expect(parseRef(address)).toBeNull();
  });
});

describe('runtimeRef', () => {
  it('recognises the launch-time variables', () => {
    expect(runtimeRef('mesos.instance')).toEqual({ kind: 'instance' });
    expect(runtimeRef('mesos.hostname')).toEqual({ kind: 'hostname' });
    expect(runtimeRef('thermos.task_id')).toEqual({ kind: 'taskId' });
    expect(runtimeRef('thermos.user')).toEqual({ kind: 'user' });
    expect(runtimeRef('thermos.ports[http-admin]')).toEqual({ kind: 'port', name: 'http-admin' });
  });

  it('flags malformed port references and ignores everything else', () => {
    expect(runtimeRef('thermos.ports')).toBe('bad-port');
    expect(runtimeRef('thermos.ports.http')).toBe('bad-port');
    expect(runtimeRef('thermos.ports[http].x')).toBe('bad-port');
    for (const other of ['mesos.role', 'mesos', 'thermos.task_id.x', 'role', 'mesos.instance[0]']) expect(runtimeRef(other)).toBeNull();
  });

  it('lists the ports a string references, once each, in order', () => {
    expect(referencedPorts('a {{thermos.ports[http]}} {{thermos.ports[admin]}} {{thermos.ports[http]}} {{&thermos.ports[x]}}')).toEqual([
      'http',
      'admin',
    ]);
  });
});

describe('renderCmdline', () => {
  it('fills in the launch-time variables of one instance', () => {
    expect(
      renderCmdline(
        'serve --port {{thermos.ports[http]}} --health {{thermos.ports[health]}} --shard {{mesos.instance}} --host {{mesos.hostname}} --id {{thermos.task_id}} --as {{thermos.user}} {{mesos.instance}}',
        ctx,
      ),
    ).toBe(
      'serve --port 31001 --health 31002 --shard 3 --host mesos-on-demand-1.embedded.local --id www-data-prod-hello-3-abc --as www-data 3',
    );
  });

  it('leaves text without mustaches, and lone braces, alone', () => {
    const bash = 'for f in {a,b}; do echo "${f}" | awk \'{ print $1 }\'; done; echo "{{" "{ }"';
    expect(renderCmdline(bash, ctx)).toBe(bash);
    // Whatever Pystachio's pattern matches is a mustache, valid or not.
    expect(() => renderCmdline('echo "{{" "}}"', ctx)).toThrow('{{" "}}: not a launch-time variable');
  });

  it('names an unknown port and the assigned ones', () => {
    expect(() => renderCmdline('x {{thermos.ports[admin]}}', ctx)).toThrow(
      new TemplateError('{{thermos.ports[admin]}}: no port named "admin" was assigned to this task (assigned: http, health)'),
    );
    expect(() => renderCmdline('x {{thermos.ports[constructor]}}', { ...ctx, ports: {} })).toThrow(
      '{{thermos.ports[constructor]}}: no port named "constructor" was assigned to this task (assigned: none)',
    );
  });

  it('refuses anything that is not a launch-time variable', () => {
    expect(() => renderCmdline('echo {{role}}', ctx)).toThrow('{{role}}: not a launch-time variable (unbound template variable)');
    expect(() => renderCmdline('echo {{thermos.ports.http}}', ctx)).toThrow(
      '{{thermos.ports.http}}: bad port reference; use {{thermos.ports[name]}}',
    );
    expect(() => renderCmdline('echo {{shard_{{mesos.instance}}}}', ctx)).toThrow('{{shard_3}}: template variables may not be nested');
  });
});
