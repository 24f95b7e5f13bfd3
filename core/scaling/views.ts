import type { CloudInstance, GroupCapacity } from '../cloud/provider.js';
import type { Pool, Profile } from '../contract/profiles.js';
import type { AuditEntry, HoldView, InstanceView, Operation, PoolView } from '../contract/scaling.js';
import { notScalable, poolCloudNames } from '../model/pool.js';
import type { HoldRecord } from '../store/holds.js';
import type { Store } from '../store/index.js';
import type { OperationRecord } from '../store/operations.js';
import { holdOn, type AgentOnMachine } from './plan.js';

export interface ViewDeps {
  store: Store;
  profile: Profile;
  now: () => number;
  agents: () => AgentOnMachine[];
  instancesOf: (pool: Pool) => Promise<CloudInstance[]>;
  groupOf: (pool: Pool) => Promise<GroupCapacity | null>;
  holdsNow: () => HoldRecord[];
}

const byIp = (agents: AgentOnMachine[]) => new Map(agents.filter((a) => a.ip !== null).map((a) => [a.ip!, a]));

export function holdView(h: HoldRecord): HoldView {
  return {
    id: h.id,
    target: h.targetKind === 'pool' ? { kind: 'pool', pool: h.target } : { kind: 'instance', instanceId: h.target },
    pool: h.pool,
    until: h.until,
    reason: h.reason,
    actor: h.actor,
    createdAt: h.createdAt,
  };
}

/** Each pool as the Scaling screen shows it, with which buttons apply and why not. */
export async function poolViews(d: ViewDeps): Promise<PoolView[]> {
  const { store, profile, now, instancesOf, groupOf, holdsNow } = d;
  const names = (p: Pool) => poolCloudNames(profile, p);
  const agents = d.agents();
  const holds = holdsNow();
  const open = store.operations.open(profile.id);
  return Promise.all(
    profile.pools.map(async (p): Promise<PoolView> => {
      const [instances, group] = await Promise.all([instancesOf(p), groupOf(p).catch(() => null)]);
      const poolAgents = agents.filter((a) => a.slaveType === p.name);
      const groups = new Map<string, { id: string; instances: number; instanceTypes: Set<string> }>();
      for (const i of instances) {
        if (!i.spotGroup) continue;
        const g = groups.get(i.spotGroup) ?? { id: i.spotGroup, instances: 0, instanceTypes: new Set<string>() };
        g.instances++;
        g.instanceTypes.add(i.type);
        groups.set(i.spotGroup, g);
      }
      const ids = new Set(instances.map((i) => i.id));
      const poolHolds = holds.filter(
        (h) => (h.targetKind === 'pool' && h.target === p.name) || (h.targetKind === 'instance' && ids.has(h.target)),
      );
      const busy = open.find((op) => op.kind.startsWith('scale.') && op.target === p.name);
      const fixed = notScalable(p);
      const unheld = instances.filter((i) => !holdOn(i, p.name, holds, now()));
      const up =
        fixed ??
        (busy
          ? `Busy: ${busy.summary}`
          : group && group.desired >= group.max
            ? `${p.name} is at its maximum of ${group.max} nodes.`
            : null);
      const down =
        fixed ??
        (busy
          ? `Busy: ${busy.summary}`
          : instances.length === 0
            ? `${p.name} has no machines to remove.`
            : unheld.length === 0
              ? `Every machine of ${p.name} is held (${poolHolds[0]?.reason ?? 'see holds'}).`
              : null);
      return {
        name: p.name,
        kind: p.kind,
        instanceTypes: p.instanceTypes,
        instances: instances.length,
        pending: instances.filter((i) => i.state === 'pending').length,
        agents: poolAgents.length,
        desired: group?.desired ?? null,
        min: group?.min ?? null,
        max: group?.max ?? (p.kind === 'on-demand' ? names(p).maxCount : null),
        groups: [...groups.values()].map((g) => ({ id: g.id, instances: g.instances, instanceTypes: [...g.instanceTypes] })),
        runningTasks: poolAgents.reduce((n, a) => n + a.tasks.length, 0),
        holds: poolHolds.map(holdView),
        scaleUp: { allowed: up === null, why: up },
        scaleDown: { allowed: down === null, why: down },
      };
    }),
  );
}

/** The machines of every pool, each matched to the agent registered from its IP. */
export async function instanceViews(
  d: ViewDeps,
  poolName?: string,
): Promise<{ instances: InstanceView[]; agentsWithoutInstance: { id: string; hostname: string; slaveType: string; ip: string | null }[] }> {
  const { profile, now, instancesOf, holdsNow } = d;
  const agents = d.agents();
  const ip = byIp(agents);
  const holds = holdsNow();
  const all = new Map<string, { i: CloudInstance; pool: string }>();
  for (const p of profile.pools) for (const i of await instancesOf(p)) if (!all.has(i.id)) all.set(i.id, { i, pool: p.name });
  const views = [...all.values()].map(({ i, pool: p }): InstanceView => {
    const agent = i.privateIp === null ? undefined : ip.get(i.privateIp);
    const h = holdOn(i, p, holds, now());
    return {
      id: i.id,
      pool: p,
      name: i.name,
      type: i.type,
      state: i.state,
      lifecycle: i.lifecycle,
      autoScalingGroup: i.autoScalingGroup,
      spotGroup: i.spotGroup,
      launchTime: i.launchTime,
      privateIp: i.privateIp,
      operationId: i.operationId,
      hold: h ? { id: h.id.startsWith('tag:') ? null : h.id, until: h.until, reason: h.reason, via: h.targetKind } : null,
      agent: agent ? { id: agent.id, hostname: agent.hostname, activeTasks: agent.tasks.length } : null,
    };
  });
  const ips = new Set(views.map((v) => v.privateIp));
  return {
    instances: views.filter((v) => poolName === undefined || v.pool === poolName),
    agentsWithoutInstance: agents
      .filter((a) => !ips.has(a.ip) && (poolName === undefined || a.slaveType === poolName))
      .map((a) => ({ id: a.id, hostname: a.hostname, slaveType: a.slaveType, ip: a.ip })),
  };
}

export function operationView(op: OperationRecord): Operation {
  return {
    id: op.id,
    kind: op.kind,
    target: op.target,
    summary: op.summary,
    actor: op.actor,
    state: op.state,
    progress: op.progress,
    startsAt: op.startsAt,
    result: op.result,
    error: op.error,
    createdAt: op.createdAt,
    updatedAt: op.updatedAt,
  };
}

export function auditView(op: OperationRecord): AuditEntry {
  const json = op.result === null || op.result === undefined ? null : JSON.stringify(op.result);
  const result = json !== null && json.length > 500 ? `${json.slice(0, 500)}…` : json;
  return {
    id: op.id,
    at: op.createdAt,
    kind: op.kind,
    target: op.target,
    summary: op.summary,
    actor: op.actor,
    state: op.state,
    result,
    error: op.error,
  };
}
