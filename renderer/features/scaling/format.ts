import type { HoldTarget, OperationState, PoolKind, ScalePlan } from '../../../core/contract';
import { formatDuration } from '../../components/duration';

/** What each kind of pool is, for the tag's tooltip. */
export const poolKindDescription: Record<PoolKind, string> = {
  fixed: 'Fixed machines: never scaled by the console',
  'on-demand': 'An Auto Scaling group: set the number of nodes',
  spot: 'Spot instances, one group of compatible types per run',
  specific: 'Single instances of a chosen type and name',
};

/** A time ahead, for holds and cancel windows: "in 3h 20m"; "expired" once past. */
export function formatIn(at: number, now: number): string {
  return at <= now ? 'expired' : `in ${formatDuration(at - now)}`;
}

export function holdTargetText(target: HoldTarget): string {
  return target.kind === 'pool' ? `pool ${target.pool}` : `instance ${target.instanceId}`;
}

export function lostTasks(plan: ScalePlan): number {
  return plan.remove.reduce((n, r) => n + r.tasks.length, 0);
}

/** The operation states as the task-state colours read: green done, blue moving, orange waiting. */
export const operationFamily: Record<OperationState, string> = {
  pending: 'pending',
  running: 'transition',
  succeeded: 'running',
  failed: 'failed',
  cancelled: 'finished',
};

export function isActive(state: OperationState): boolean {
  return state === 'pending' || state === 'running';
}

/**
 * An operation's result (JSON) as one short line: `holdId: h-12 · instanceIds: i-1, i-2`.
 * Text that is not a JSON object (or was cut short by the host) is shown as it is.
 */
export function compactResult(json: string | null): string | null {
  if (json === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return json;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return compactValue(value);
  const parts = Object.entries(value).map(([k, v]) => `${k}: ${compactValue(v)}`);
  return parts.length === 0 ? '—' : parts.join(' · ');
}

function compactValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.length === 0 ? 'none' : v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(', ');
  return JSON.stringify(v);
}

/** An operation's result as the host stores it, as JSON text (null when there is none). */
export function resultJson(result: unknown): string | null {
  return result === null || result === undefined ? null : JSON.stringify(result);
}
