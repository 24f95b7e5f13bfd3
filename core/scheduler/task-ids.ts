import crypto from 'node:crypto';
import type { JobKey } from '../model/job.js';

/** Aurora's task id: `role-env-name-instance-uuid`, every character outside [\w-] made `-`. */
export function newTaskId(key: JobKey, instance: number, uuid: () => string = crypto.randomUUID): string {
  return `${key.role}-${key.environment}-${key.name}-${instance}-${uuid()}`.replace(/[^\w-]/g, '-');
}

/** Allocates `names` from a Mesos port range like "[31000-31099]", skipping ports in use. */
export function allocatePorts(range: string, inUse: ReadonlySet<number>, names: readonly string[]): Record<string, number> | null {
  const ports: Record<string, number> = {};
  if (names.length === 0) return ports;
  const spans = [...range.matchAll(/(\d+)-(\d+)/g)].map((m) => [Number(m[1]), Number(m[2])] as const);
  let i = 0;
  for (const [lo, hi] of spans) {
    for (let p = lo; p <= hi && i < names.length; p++) {
      if (!inUse.has(p)) ports[names[i++]!] = p;
    }
  }
  return i === names.length ? ports : null;
}

export function portCount(range: string): number {
  let n = 0;
  for (const m of range.matchAll(/(\d+)-(\d+)/g)) n += Number(m[2]) - Number(m[1]) + 1;
  return n;
}
