import { describe, expect, it } from 'vitest';
import type { Constraint } from '../../../core/model/job.js';
import {
  noAgentsReason,
  placeTasks,
  type FreeResources,
  type MaintenanceMode,
  type PlacementGroup,
  type PlacementHost,
} from '../../../core/scheduler/placement.js';

const roomy: FreeResources = { cpus: 16, ramMb: 65_536, diskMb: 400_000, ports: 1000 };

function host(
  id: string,
  opts: { free?: Partial<FreeResources>; attrs?: Record<string, string>; maintenance?: MaintenanceMode } = {},
): PlacementHost {
  return {
    id,
    attributes: { host: id, ...opts.attrs },
    free: { ...roomy, ...opts.free },
    maintenance: opts.maintenance ?? 'NONE',
  };
}

function group(
  key: string,
  count: number,
  opts: Partial<Pick<PlacementGroup, 'jobKey' | 'resources' | 'ports' | 'constraints' | 'activeCounts'>> = {},
): PlacementGroup {
  return {
    key,
    jobKey: opts.jobKey ?? `www-data/prod/${key}`,
    taskIds: Array.from({ length: count }, (_, i) => `${key}-${i}`),
    resources: opts.resources ?? { cpus: 1, ramMb: 1024, diskMb: 1024 },
    ports: opts.ports ?? 0,
    constraints: opts.constraints ?? [],
    activeCounts: opts.activeCounts ?? {},
  };
}

const slaveType = (...values: string[]): Constraint => ({ kind: 'value', name: 'slave-type', negated: false, values });
const limit = (name: string, n: number): Constraint => ({ kind: 'limit', name, limit: n });

/** The pending reason of the only group of a one-group call. */
const reasonOf = (hosts: PlacementHost[], g: PlacementGroup): string => {
  const r = placeTasks(hosts, [g]);
  expect(r.pending).toHaveLength(1);
  return r.pending[0]!.reason;
};

describe('the filter and its veto reasons', () => {
  it('adds the executor overhead (0.25 cpu, 128 MB) to each task', () => {
    const task = { cpus: 1, ramMb: 1024, diskMb: 100 };
    const exact = host('exact', { free: { cpus: 1.25, ramMb: 1152, diskMb: 100 } });
    expect(placeTasks([exact], [group('a', 1, { resources: task })]).assignments.get('a-0')).toBe('exact');
    expect(reasonOf([host('cpu', { free: { cpus: 1.24, ramMb: 1152, diskMb: 100 } })], group('a', 1, { resources: task }))).toBe(
      'Insufficient: CPU',
    );
    expect(reasonOf([host('ram', { free: { cpus: 1.25, ramMb: 1151, diskMb: 100 } })], group('a', 1, { resources: task }))).toBe(
      'Insufficient: RAM',
    );
  });

  it('reports each kind of veto in Aurora words', () => {
    const g = group('a', 1, { resources: { cpus: 1, ramMb: 1024, diskMb: 1024 }, ports: 2 });
    expect(reasonOf([host('h', { maintenance: 'DRAINING' })], g)).toBe('Host draining for maintenance');
    expect(reasonOf([host('h', { maintenance: 'DRAINED' })], g)).toBe('Host drained for maintenance');
    expect(reasonOf([host('h', { attrs: { dedicated: 'ml/gpu' } })], g)).toBe('Host is dedicated');
    expect(reasonOf([host('h', { free: { diskMb: 10 } })], g)).toBe('Insufficient: disk');
    expect(reasonOf([host('h', { free: { ports: 1 } })], g)).toBe('Insufficient: ports');
    expect(reasonOf([host('h', { free: { cpus: 0, ramMb: 0 } })], g)).toBe('Insufficient: CPU,Insufficient: RAM');
  });

  it('value constraints match any listed value, or none of them when negated; a missing attribute matches nothing', () => {
    const hosts = [
      host('fixed', { attrs: { 'slave-type': 'mesos-fixed' } }),
      host('spot', { attrs: { 'slave-type': 'mesos-spot' } }),
      host('bare'),
    ];
    const place = (c: Constraint) => [...placeTasks(hosts, [group('a', 3, { constraints: [c] })]).assignments.values()];
    expect(place(slaveType('mesos-spot', 'model'))).toEqual(['spot', 'spot', 'spot']);
    expect(place({ kind: 'value', name: 'slave-type', negated: true, values: ['mesos-fixed'] })).toEqual(['spot', 'spot', 'spot']);
    expect(reasonOf([hosts[0]!, hosts[2]!], group('a', 1, { constraints: [slaveType('mesos-spot')] }))).toBe(
      'Constraint not satisfied: slave-type',
    );
  });

  it('only a task asking for the dedicated attribute may use a dedicated host', () => {
    const hosts = [host('ded', { attrs: { dedicated: 'ml/gpu' } })];
    const asks: Constraint = { kind: 'value', name: 'dedicated', negated: false, values: ['ml/gpu'] };
    expect(placeTasks(hosts, [group('a', 1, { constraints: [asks] })]).assignments.get('a-0')).toBe('ded');
  });

  it('stops at the strongest failing check: maintenance, then constraints, then resources', () => {
    const tiny = { cpus: 0, ramMb: 0, diskMb: 0, ports: 0 };
    const g = group('a', 1, { constraints: [slaveType('mesos-spot')] });
    expect(reasonOf([host('h', { free: tiny, maintenance: 'DRAINING' })], g)).toBe('Host draining for maintenance');
    expect(reasonOf([host('h', { free: tiny, attrs: { 'slave-type': 'model' } })], g)).toBe('Constraint not satisfied: slave-type');
  });

  it('checks value constraints before limit constraints, and reports only the first failure', () => {
    const h = host('h', { attrs: { 'slave-type': 'model', rack: 'r1' } });
    const limitFirst = group('a', 1, {
      constraints: [limit('rack', 1), slaveType('mesos-spot'), { kind: 'value', name: 'zone', negated: false, values: ['us-east-1a'] }],
      activeCounts: { rack: { r1: 1 } },
    });
    expect(reasonOf([h], limitFirst)).toBe('Constraint not satisfied: slave-type');
  });

  it('a limit on an attribute the host lacks is a constraint mismatch, a full limit is a limit veto', () => {
    expect(reasonOf([host('h')], group('a', 1, { constraints: [limit('rack', 1)] }))).toBe('Constraint not satisfied: rack');
    expect(reasonOf([host('h')], group('a', 1, { constraints: [limit('host', 1)], activeCounts: { host: { h: 1 } } }))).toBe(
      'Limit not satisfied: host',
    );
  });

  it('scores short resources as min(1000, 1000·deficit/range)', () => {
    const empty = host('h', { free: { cpus: 0, ramMb: 0, diskMb: 0, ports: 0 } });
    const scores = (resources: PlacementGroup['resources'], ports = 0) =>
      placeTasks([empty], [group('a', 1, { resources, ports })]).pending[0]!.vetoes.map((v) => [v.reason, v.score]);
    expect(scores({ cpus: 7.75, ramMb: 12_160, diskMb: 230_400 }, 5)).toEqual([
      ['Insufficient: CPU', 500],
      ['Insufficient: RAM', 500],
      ['Insufficient: disk', 500],
      ['Insufficient: ports', 5],
    ]);
    expect(scores({ cpus: 100, ramMb: 0, diskMb: 0 })).toEqual([
      ['Insufficient: CPU', 1000],
      ['Insufficient: RAM', 5],
    ]);
  });
});

describe('nearest fit', () => {
  it('reports the least-bad host: the lowest total veto score across hosts', () => {
    const hosts = [
      host('drained', { maintenance: 'DRAINED' }),
      host('wrong-pool', { attrs: { 'slave-type': 'model' } }),
      host('far', { attrs: { 'slave-type': 'mesos-spot' }, free: { ramMb: 100 } }),
      host('near', { attrs: { 'slave-type': 'mesos-spot' }, free: { cpus: 1 } }),
    ];
    const r = placeTasks(hosts, [group('a', 1, { constraints: [slaveType('mesos-spot')] })]);
    expect(r.pending[0]!.vetoes).toEqual([{ type: 'RESOURCES', reason: 'Insufficient: CPU', score: 15 }]);
  });

  it('prefers a constraint veto to maintenance, and the first host on equal scores', () => {
    const hosts = [host('m', { maintenance: 'DRAINING' }), host('x', { attrs: { 'slave-type': 'a' } }), host('y')];
    expect(reasonOf(hosts, group('a', 1, { constraints: [slaveType('b')] }))).toBe('Constraint not satisfied: slave-type');
    const limited = [host('h1', { attrs: { 'slave-type': 'b' } }), host('h2')];
    const g = group('a', 1, { constraints: [slaveType('b'), limit('host', 1)], activeCounts: { host: { h1: 1 } } });
    expect(reasonOf(limited, g)).toBe('Limit not satisfied: host');
  });

  it('describes the hosts as the call leaves them, after later groups took their share', () => {
    const hosts = [host('h', { free: { cpus: 4 } })];
    const r = placeTasks(hosts, [group('big', 2, { resources: { cpus: 2, ramMb: 0, diskMb: 0 } }), group('small', 1)]);
    expect(r.assignments).toEqual(
      new Map([
        ['big-0', 'h'],
        ['small-0', 'h'],
      ]),
    );
    // 4 - 2.25 - 1.25 leaves 0.5: the second big task is 1.75 cpus short (1750/16 → 109), not
    // the 0.5 short (31) it was at its own turn.
    expect(r.pending[0]!.vetoes).toEqual([{ type: 'RESOURCES', reason: 'Insufficient: CPU', score: 109 }]);
  });

  it('without any host, every group is pending with the no-agents reason', () => {
    const r = placeTasks([], [group('a', 2), group('empty', 0)]);
    expect(r.assignments.size).toBe(0);
    expect(r.pending).toEqual([{ key: 'a', jobKey: 'www-data/prod/a', taskIds: ['a-0', 'a-1'], vetoes: [], reason: noAgentsReason }]);
  });
});

describe('limit constraints within one call', () => {
  it('host limit:1 puts each task on its own host and leaves the rest pending', () => {
    const hosts = ['h1', 'h2', 'h3'].map((id) => host(id));
    const r = placeTasks(hosts, [group('a', 5, { constraints: [limit('host', 1)] })]);
    expect([...r.assignments.values()]).toEqual(['h1', 'h2', 'h3']);
    expect(r.pending[0]).toMatchObject({ taskIds: ['a-3', 'a-4'], reason: 'Limit not satisfied: host' });
  });

  it('counts the job tasks already active, per value of the attribute', () => {
    const hosts = ['h1', 'h2', 'h3', 'h4'].map((id, i) => host(id, { attrs: { rack: i < 2 ? 'r1' : 'r2' } }));
    const r = placeTasks(hosts, [group('a', 4, { constraints: [limit('rack', 2)], activeCounts: { rack: { r1: 1 } } })]);
    expect([...r.assignments.values()]).toEqual(['h1', 'h3', 'h3']);
  });

  it('counts every task of the job, from whichever group, and no other job', () => {
    const hosts = ['h1', 'h2', 'h3'].map((id) => host(id));
    const jobKey = 'www-data/prod/web';
    const r = placeTasks(hosts, [
      group('web-old', 1, { jobKey }),
      group('web-new', 3, { jobKey, constraints: [limit('host', 1)] }),
      group('other', 1, { constraints: [limit('host', 1)] }),
    ]);
    expect(Object.fromEntries(r.assignments)).toEqual({ 'web-old-0': 'h1', 'web-new-0': 'h2', 'web-new-1': 'h3', 'other-0': 'h1' });
    expect(r.pending.map((p) => p.taskIds)).toEqual([['web-new-2']]);
  });
});

describe('the result', () => {
  it('never over-commits a host, and fills hosts first to last', () => {
    const hosts = [host('h1', { free: { cpus: 4, ports: 3 } }), host('h2', { free: { cpus: 4 } })];
    const r = placeTasks(hosts, [group('a', 5, { resources: { cpus: 1.75, ramMb: 0, diskMb: 0 }, ports: 1 })]);
    expect([...r.assignments.values()]).toEqual(['h1', 'h1', 'h2', 'h2']);
    expect(r.pending[0]!.reason).toBe('Insufficient: CPU');
  });

  it('leaves its inputs untouched', () => {
    const hosts = [host('h1'), host('h2')];
    const groups = [group('a', 40, { constraints: [limit('host', 30)] })];
    const before = structuredClone({ hosts, groups });
    placeTasks(hosts, groups);
    expect({ hosts, groups }).toEqual(before);
  });

  it('does not read attribute names from Object.prototype', () => {
    // A plain object "has" constructor through its prototype; a host without the attribute must
    // fail a limit on it.
    expect(reasonOf([host('h')], group('a', 1, { constraints: [limit('constructor', 5)] }))).toBe('Constraint not satisfied: constructor');
  });

  it('with a random source, tries hosts in a shuffled order that the seed fixes', () => {
    const hosts = Array.from({ length: 50 }, (_, i) => host(`h${i}`, { free: { cpus: 2 } }));
    const g = [group('a', 20)];
    const seeded = (seed: number) => {
      let s = seed;
      return () => ((s = (s * 16807) % 2147483647) - 1) / 2147483646;
    };
    const a = placeTasks(hosts, g, { random: seeded(1) });
    expect(placeTasks(hosts, g, { random: seeded(1) })).toEqual(a);
    expect([...a.assignments.values()]).not.toEqual([...placeTasks(hosts, g).assignments.values()]);
    expect(a.assignments.size).toBe(20);
  });
});

describe('bad numbers', () => {
  it('a NaN request never fits and leaves the host intact for the next group', () => {
    const r = placeTasks(
      [host('h', { free: { cpus: 2 } })],
      [group('bad', 1, { resources: { cpus: NaN, ramMb: 1, diskMb: 1 } }), group('ok', 1)],
    );
    expect(Object.fromEntries(r.assignments)).toEqual({ 'ok-0': 'h' });
    expect(r.pending[0]).toMatchObject({ key: 'bad', reason: 'Insufficient: CPU' });
  });

  it('a host with a NaN free amount counts as having none of it', () => {
    expect(reasonOf([host('h', { free: { ramMb: NaN } })], group('a', 1))).toBe('Insufficient: RAM');
  });
});
