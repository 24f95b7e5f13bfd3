import type { InstanceView } from '../../../core/contract';

/** EC2 instance states in the task-state colours: up green, coming or going blue/orange, gone grey. */
export function instanceStateFamily(state: string): string {
  switch (state) {
    case 'running':
      return 'running';
    case 'pending':
      return 'pending';
    case 'stopping':
    case 'shutting-down':
      return 'transition';
    default:
      return 'finished';
  }
}

/** A machine that is up but whose agent never registered (or went away): worth a look. */
export function missingAgent(i: InstanceView): boolean {
  return i.agent === null && i.state === 'running';
}

export interface PoolCount {
  pool: string;
  count: number;
}

/** Machines per pool, in the order pools first appear; machines outside any pool under ''. */
export function countByPool(instances: readonly InstanceView[]): PoolCount[] {
  const counts = new Map<string, number>();
  for (const i of instances) counts.set(i.pool ?? '', (counts.get(i.pool ?? '') ?? 0) + 1);
  return [...counts].map(([pool, count]) => ({ pool, count }));
}
