const cpuFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const gibFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** The three resources Mesos offers and Aurora asks for, and how each is written for people. */
export type ResourceKind = 'cpus' | 'memMb' | 'diskMb';

export const resourceLabel: Record<ResourceKind, string> = { cpus: 'CPU', memMb: 'Memory', diskMb: 'Disk' };
export const resourceUnit: Record<ResourceKind, string> = { cpus: 'CPUs', memMb: 'GiB', diskMb: 'GiB' };

/** 0.25 → "0.25"; MB values as GiB (people size machines in GiB: an m5.xlarge has 16). */
export function formatResource(kind: ResourceKind, value: number): string {
  return kind === 'cpus' ? cpuFormat.format(value) : gibFormat.format(value / 1024);
}

/** Memory or disk for one task, where MiB are still the natural unit: 64 MiB, 1.5 GiB. */
export function formatMb(mb: number): string {
  return mb < 1024 ? `${cpuFormat.format(mb)} MiB` : `${gibFormat.format(mb / 1024)} GiB`;
}

/** Used share in [0, 1]; an agent with nothing to offer counts as full. */
export function usedShare(used: number, total: number): number {
  if (total <= 0) return used > 0 ? 1 : 0;
  return Math.min(1, Math.max(0, used / total));
}

export type UsageLevel = 'low' | 'high' | 'full';

/** Amber from 75 %, red from 90 %: the point where the next task may not fit. */
export function usageLevel(share: number): UsageLevel {
  return share >= 0.9 ? 'full' : share >= 0.75 ? 'high' : 'low';
}
