import type { Pool } from '../contract/profiles.js';
import type { LostTaskView, PlannedRemoval, ScalePlan, ScaleRequest } from '../contract/scaling.js';
import type { CloudInstance, GroupCapacity } from '../cloud/provider.js';
import { notScalable } from '../model/pool.js';
import { compatibleInstanceTypes } from '../model/spot.js';
import type { HoldRecord } from '../store/holds.js';

/** A registered agent as scaling sees it: where it runs and what would be lost with it. */
export interface AgentOnMachine {
  id: string;
  hostname: string;
  ip: string | null;
  slaveType: string;
  tasks: LostTaskView[];
}

export interface PlanInput {
  request: ScaleRequest;
  pool: Pool;
  /** Live machines of the pool (pending or running). */
  instances: CloudInstance[];
  /** The pool's Auto Scaling group, for on-demand pools. */
  group: GroupCapacity | null;
  agents: AgentOnMachine[];
  holds: HoldRecord[];
  now: number;
  timeoutMs: number;
}

/** The hold that protects this instance now (its own, or its pool's), if any. */
export function holdOn(instance: CloudInstance, pool: string, holds: HoldRecord[], now: number): HoldRecord | null {
  return (
    holds.find(
      (h) => h.until > now && ((h.targetKind === 'instance' && h.target === instance.id) || (h.targetKind === 'pool' && h.target === pool)),
    ) ??
    (instance.hold && instance.hold.until > now
      ? {
          id: `tag:${instance.id}`,
          targetKind: 'instance',
          target: instance.id,
          pool,
          until: instance.hold.until,
          reason: instance.hold.reason,
          actor: 'tag',
          createdAt: 0,
        }
      : null)
  );
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
/** A time as the journal and the refusals write it: `2026-12-01 21:42 UTC`. */
export const utc = (t: number) => `${new Date(t).toISOString().replace('T', ' ').slice(0, 16)} UTC`;

/**
 * What a scaling request would do, computed from what exists now and changing nothing. The
 * same function runs for the preview and again, on fresh data, when the user confirms.
 */
export function planScale(input: PlanInput): ScalePlan {
  const { request, pool, instances, agents, holds, now } = input;
  const refusals: string[] = [];
  const fixed = notScalable(pool);
  if (fixed) refusals.push(fixed);
  const kindFits: Record<ScaleRequest['kind'], boolean> = {
    'set-desired': pool.kind === 'on-demand',
    'create-spot-group': pool.kind === 'spot',
    'delete-spot-group': pool.kind === 'spot',
    'launch-specific': pool.kind === 'specific',
    remove: pool.kind !== 'fixed',
  };
  if (!fixed && !kindFits[request.kind])
    refusals.push(`${pool.name} is ${/^[aeiou]/.test(pool.kind) ? 'an' : 'a'} ${pool.kind} pool; "${request.kind}" does not apply to it.`);

  const byIp = new Map(agents.filter((a) => a.ip !== null).map((a) => [a.ip!, a]));
  const removal = (i: CloudInstance): PlannedRemoval => {
    const agent = i.privateIp === null ? undefined : byIp.get(i.privateIp);
    return {
      instanceId: i.id,
      name: i.name,
      instanceType: i.type,
      agentId: agent?.id ?? null,
      hostname: agent?.hostname ?? null,
      tasks: agent?.tasks ?? [],
    };
  };
  const refuseHeld = (chosen: CloudInstance[]) => {
    for (const i of chosen) {
      const h = holdOn(i, pool.name, holds, now);
      if (h) {
        refusals.push(
          `${i.name ?? i.id} is held until ${utc(h.until)}${h.targetKind === 'pool' ? ` (the whole ${pool.name} pool is held)` : ''}: "${h.reason}" — set by ${h.actor}. Release the hold first.`,
        );
      }
    }
  };

  const current = instances.length;
  let target = current;
  let add: ScalePlan['add'] = [];
  let remove: PlannedRemoval[] = [];
  let summary: string;

  switch (request.kind) {
    case 'set-desired': {
      const g = input.group;
      const members = g ? instances.filter((i) => g.instanceIds.includes(i.id)) : instances;
      target = request.count;
      if (g && (request.count < g.min || request.count > g.max)) {
        refusals.push(`${pool.name} can run between ${g.min} and ${g.max} nodes; ${request.count} is outside that range.`);
      }
      if (request.count > members.length) {
        add = Array.from({ length: request.count - members.length }, () => ({ instanceType: pool.instanceTypes[0]!, name: null }));
      } else if (request.count < members.length) {
        // Those with the fewest running tasks go first; unheld before held; newest first on a tie.
        const ranked = [...members].sort((a, b) => {
          const ha = holdOn(a, pool.name, holds, now) ? 1 : 0;
          const hb = holdOn(b, pool.name, holds, now) ? 1 : 0;
          return ha - hb || removal(a).tasks.length - removal(b).tasks.length || (b.launchTime ?? 0) - (a.launchTime ?? 0);
        });
        const chosen = ranked.slice(0, members.length - request.count);
        refuseHeld(chosen);
        remove = chosen.map(removal);
      }
      const delta = request.count - members.length;
      summary =
        delta === 0
          ? `${pool.name} already has ${plural(members.length, 'node')}; nothing to do`
          : `${delta > 0 ? 'Add' : 'Remove'} ${plural(Math.abs(delta), `${pool.name} node`)} (${members.length} → ${request.count})`;
      break;
    }
    case 'create-spot-group': {
      const types = request.instanceTypes ?? pool.instanceTypes;
      const fit = compatibleInstanceTypes(types);
      if (!fit.ok) refusals.push(fit.reason);
      add = Array.from({ length: request.count }, (_, n) => ({ instanceType: types[n % types.length]!, name: null }));
      target = current + request.count;
      summary = `New spot group of ${plural(request.count, 'node')} in ${pool.name} (${types.join(', ')})`;
      break;
    }
    case 'launch-specific': {
      const type = request.instanceType ?? pool.instanceTypes[0]!;
      add = [{ instanceType: type, name: request.name ?? null }];
      target = current + 1;
      summary = `Launch one ${type} instance in ${pool.name}${request.name ? ` named ${request.name}` : ''}`;
      break;
    }
    case 'remove': {
      const wanted = new Set(request.instanceIds);
      const chosen = instances.filter((i) => wanted.has(i.id));
      const missing = request.instanceIds.filter((id) => !chosen.some((i) => i.id === id));
      if (missing.length > 0)
        refusals.push(`Not live in ${pool.name}: ${missing.join(', ')}. Refresh the instances list and choose again.`);
      refuseHeld(chosen);
      remove = chosen.map(removal);
      target = current - chosen.length;
      summary = `Remove ${plural(chosen.length, 'instance')} from ${pool.name} (${current} → ${target})`;
      break;
    }
    case 'delete-spot-group': {
      const chosen = instances.filter((i) => i.spotGroup === request.groupId);
      if (chosen.length === 0) refusals.push(`${pool.name} has no live spot group ${request.groupId}.`);
      refuseHeld(chosen);
      remove = chosen.map(removal);
      target = current - chosen.length;
      summary = `Release spot group ${request.groupId}: terminate its ${plural(chosen.length, 'instance')} (${current} → ${target})`;
      break;
    }
  }

  const lost = remove.reduce((n, r) => n + r.tasks.length, 0);
  const emptiesPool = target === 0 && remove.length > 0;
  return {
    request,
    pool: pool.name,
    poolKind: pool.kind,
    summary: lost > 0 ? `${summary}; ${plural(lost, 'running task')} will be LOST` : summary,
    current,
    target,
    add,
    remove,
    refusals,
    requires: { acceptTaskLoss: lost > 0, typedName: emptiesPool ? pool.name : null },
    timeoutMs: input.timeoutMs,
  };
}
