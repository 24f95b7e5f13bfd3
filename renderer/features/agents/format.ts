import type { Agent, Pool } from '../../../core/contract';

const gibFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
const countFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** `count(5000, 'agent')` → "5,000 agents"; without a noun, just the number. */
export function count(n: number, noun?: string): string {
  const text = countFormat.format(n);
  return noun ? `${text} ${noun}${n === 1 ? '' : 's'}` : text;
}

/** Mesos reports MB; people size machines in GiB (an m5.xlarge has 16). */
export function gib(mb: number): number {
  return mb / 1024;
}

export function formatGib(mb: number): string {
  return gibFormat.format(gib(mb));
}

/** `[31000-31099, 32000-32099]` → `31000-31099, 32000-32099`. */
export function formatPorts(ranges: string): string {
  return ranges.replace(/^\[|\]$/g, '').trim();
}

/** Attributes that already have a column of their own. */
const shownElsewhere = new Set(['slave-type', 'instance-type']);

export function extraAttributes(agent: Agent): [string, string][] {
  return Object.entries(agent.attributes)
    .filter(([k]) => !shownElsewhere.has(k))
    .sort(([a], [b]) => a.localeCompare(b));
}

/** Every attribute as `name=value`, the form the filter box and Aurora constraints use. */
export function attributeText(agent: Agent): string {
  return Object.entries(agent.attributes)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

export interface SlaveTypeCount {
  slaveType: string;
  count: number;
}

/**
 * Agents per slave type: every type that has agents, plus the profile's pools that have none
 * yet (an empty spot pool is worth seeing at a glance), in pool order, then alphabetical.
 */
export function countBySlaveType(agents: readonly Agent[], pools: readonly Pool[]): SlaveTypeCount[] {
  const counts = new Map<string, number>();
  for (const pool of pools) counts.set(pool.name, 0);
  for (const a of agents) counts.set(a.slaveType, (counts.get(a.slaveType) ?? 0) + 1);
  const poolOrder = new Map(pools.map((p, i) => [p.name, i]));
  return [...counts]
    .map(([slaveType, count]) => ({ slaveType, count }))
    .sort(
      (a, b) =>
        (poolOrder.get(a.slaveType) ?? Infinity) - (poolOrder.get(b.slaveType) ?? Infinity) || a.slaveType.localeCompare(b.slaveType),
    );
}

export function totals(agents: readonly Agent[]): { cpus: number; memMb: number } {
  let cpus = 0;
  let memMb = 0;
  for (const a of agents) {
    cpus += a.resources.cpus;
    memMb += a.resources.memMb;
  }
  return { cpus, memMb };
}
