import { describe, expect, it } from 'vitest';
import { attributesOfList, attributesOfObject, formatRanges, resourcesOfList, resourcesOfSummary } from '../../../core/mesos/resources.js';

describe('attributes, v0 and v1 alike', () => {
  it('reads the /master/state object, scalars as their decimal', () => {
    expect(
      attributesOfObject({ rack: 'us-east-1a', 'slave-type': 'mesos-fixed', level: 10, keys: '[1000-1500]', nested: { no: 1 } }),
    ).toEqual({
      rack: 'us-east-1a',
      'slave-type': 'mesos-fixed',
      level: '10',
      keys: '[1000-1500]',
    });
  });

  it('renders v1 Attribute messages of every type as /master/state prints them', () => {
    const v1 = [
      { name: 'slave-type', type: 'TEXT', text: { value: 'mesos-on-demand' } },
      { name: 'level', type: 'SCALAR', scalar: { value: 10 } },
      { name: 'weight', type: 'SCALAR', scalar: { value: 2.5 } },
      {
        name: 'keys',
        type: 'RANGES',
        ranges: {
          range: [
            { begin: 1000, end: 1500 },
            { begin: 2000, end: 2001 },
          ],
        },
      },
      { name: 'zones', type: 'SET', set: { item: ['a', 'b'] } },
      { name: 'slave-type', type: 'TEXT', text: { value: 'a duplicate is ignored' } },
      { name: 'odd', type: 'SOMETHING_NEW' },
    ];
    expect(attributesOfList(v1)).toEqual({
      'slave-type': 'mesos-on-demand',
      level: '10',
      weight: '2.5',
      keys: '[1000-1500, 2000-2001]',
      zones: '{a, b}',
    });
  });

  it('gives no attributes for what is not a list or object', () => {
    expect(attributesOfList(undefined)).toEqual({});
    expect(attributesOfObject(['x'])).toEqual({});
  });
});

describe('resources, v0 and v1 alike', () => {
  it('reads the v0 summary object (mem and disk in MB)', () => {
    expect(resourcesOfSummary({ disk: 480000.0, mem: 63000.0, gpus: 0.0, cpus: 16.0, ports: '[31000-32000]' })).toEqual({
      cpus: 16,
      memMb: 63000,
      diskMb: 480000,
      gpus: 0,
      ports: '[31000-32000]',
    });
    expect(resourcesOfSummary({ cpus: 0.25, mem: 128 })).toEqual({ cpus: 0.25, memMb: 128, diskMb: 0, gpus: 0, ports: '' });
  });

  it('sums v1 Resource messages per name across roles, and leaves revocable ones out', () => {
    const v1 = [
      { name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 }, role: '*' },
      { name: 'cpus', type: 'SCALAR', scalar: { value: 0.2 }, role: 'aurora' },
      { name: 'cpus', type: 'SCALAR', scalar: { value: 8 }, revocable: {} },
      { name: 'mem', type: 'SCALAR', scalar: { value: 640 } },
      { name: 'disk', type: 'SCALAR', scalar: { value: 1024 } },
      { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31245, end: 31245 }] } },
      {
        name: 'ports',
        type: 'RANGES',
        ranges: {
          range: [
            { begin: 31000, end: 31100 },
            { begin: 31101, end: 31200 },
          ],
        },
      },
      { name: 'bugs', type: 'SET', set: { item: ['a'] } },
    ];
    expect(resourcesOfList(v1)).toEqual({ cpus: 0.3, memMb: 640, diskMb: 1024, gpus: 0, ports: '[31000-31200, 31245-31245]' });
  });

  it('coalesces overlapping and adjacent port ranges as Mesos does', () => {
    expect(
      formatRanges([
        [30000, 34000],
        [21000, 24000],
        [24001, 24005],
        [33000, 35000],
      ]),
    ).toBe('[21000-24005, 30000-35000]');
  });

  it('gives zeros for what is not there', () => {
    expect(resourcesOfList(undefined)).toEqual({ cpus: 0, memMb: 0, diskMb: 0, gpus: 0, ports: '' });
    expect(resourcesOfSummary(null)).toEqual({ cpus: 0, memMb: 0, diskMb: 0, gpus: 0, ports: '' });
  });
});
