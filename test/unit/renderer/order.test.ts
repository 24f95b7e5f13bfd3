import { describe, expect, it } from 'vitest';
import { compareValues, naturalKey, sortByValue } from '../../../renderer/components/order.js';

interface Row {
  host: string;
  cpus: number | null;
}
const host = (r: Row) => r.host;
const cpus = (r: Row) => r.cpus;

describe('table sort order', () => {
  it('is natural for text: agent-2 before agent-10, case folded, leading zeros equal', () => {
    const rows = ['agent-10', 'Agent-2', 'agent-1', 'agent-002b', 'agent-100'].map((host) => ({ host, cpus: 1 }));
    expect(sortByValue(rows, host, 'asc').map((r) => r.host)).toEqual(['agent-1', 'Agent-2', 'agent-002b', 'agent-10', 'agent-100']);
    expect(sortByValue(rows, host, 'desc').map((r) => r.host)).toEqual(['agent-100', 'agent-10', 'agent-002b', 'Agent-2', 'agent-1']);
    expect(naturalKey('ip-10-20-1-11')).toBe(naturalKey('IP-10-20-01-11'));
    expect(compareValues('m5.2xlarge', 'm5.12xlarge')).toBeLessThan(0);
  });

  it('keeps empty cells last both ways, and ties in their order', () => {
    const rows: Row[] = [
      { host: 'a', cpus: null },
      { host: 'b', cpus: 4 },
      { host: 'c', cpus: 16 },
      { host: 'd', cpus: 4 },
    ];
    expect(sortByValue(rows, cpus, 'asc').map((r) => r.host)).toEqual(['b', 'd', 'c', 'a']);
    expect(sortByValue(rows, cpus, 'desc').map((r) => r.host)).toEqual(['c', 'b', 'd', 'a']);
  });
});
