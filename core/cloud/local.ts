import { ConsoleError } from '../errors.js';
import { compatibleInstanceTypes } from '../model/spot.js';
import type { LocalGroupRecord, LocalInstanceRecord, MachineRepository } from '../store/machines.js';
import {
  clientToken,
  cloudTags,
  type CloudInstance,
  type CloudProvider,
  type DownscaleResult,
  type GroupCapacity,
  type HoldRequest,
  type ScaleGroupResult,
  type SpecificInstanceResult,
  type SpotGroupResult,
} from './provider.js';

export interface LocalCloudOptions {
  profileId: string;
  machines: MachineRepository;
  now: () => number;
  /** How long a new machine takes to boot and register its agent. */
  bootMs: number;
  /** The loopback address of a machine slot (see embedded/cluster.ts). */
  ipOf: (slot: number) => string;
  /** Runs a write atomically (the store's transaction). */
  atomically: <T>(fn: () => T) => T;
}

const clientTokenTag = 'cantareira:client-token';

/**
 * The `local` CloudProvider: the embedded cluster's machines, behaving the way EC2 and Auto
 * Scaling do where the console relies on it (a group's desired capacity within min/max,
 * members removed with their group shrinking, holds as tags, ClientToken idempotency), so the
 * scaling code above it is the same for both.
 */
export function localProvider(o: LocalCloudOptions): CloudProvider {
  const { profileId, machines, now } = o;

  const view = (m: LocalInstanceRecord, groups?: Map<string, LocalGroupRecord>): CloudInstance => {
    const group = m.groupId === null ? null : groups ? (groups.get(m.groupId) ?? null) : machines.group(profileId, m.groupId);
    const until = m.tags[cloudTags.holdUntil];
    return {
      id: m.id,
      name: m.name,
      type: m.instanceType,
      state: m.state,
      lifecycle: m.lifecycle,
      autoScalingGroup: group?.kind === 'auto-scaling' ? group.name : null,
      launchTime: m.launchedAt,
      privateIp: m.privateIp,
      zone: 'local',
      spotGroup: group?.kind === 'spot-fleet' ? group.name : null,
      operationId: m.tags[cloudTags.operation] ?? null,
      hold: until === undefined ? null : { until: Date.parse(until), reason: m.tags[cloudTags.holdReason] ?? '' },
      tags: {
        ...m.tags,
        [cloudTags.name]: m.name,
        ...(m.groupId && group?.kind === 'auto-scaling' ? { [cloudTags.autoScalingGroup]: m.groupId } : {}),
      },
    };
  };

  /** Members of a pool get the next free index of their pool in their id, never reused. */
  const nextIndex = (pool: string) => {
    let max = 0;
    const prefix = `${profileId}-${pool}-`;
    for (const m of machines.all(profileId)) {
      if (m.pool === pool && m.id.startsWith(prefix)) max = Math.max(max, Number(m.id.slice(prefix.length)) || 0);
    }
    return max + 1;
  };

  const launch = (p: {
    pool: string;
    type: string;
    name: (index: number) => string;
    lifecycle: 'on-demand' | 'spot';
    groupId: string | null;
    tags: Record<string, string>;
  }): LocalInstanceRecord => {
    const index = nextIndex(p.pool);
    const slot = machines.nextSlot(profileId);
    const at = now();
    const m = {
      id: `${profileId}-${p.pool}-${index}`,
      slot,
      pool: p.pool,
      instanceType: p.type,
      name: p.name(index),
      lifecycle: p.lifecycle,
      groupId: p.groupId,
      privateIp: o.ipOf(slot),
      tags: { [cloudTags.slaveType]: p.pool, ...p.tags },
      state: 'pending' as const,
      launchedAt: at,
      readyAt: at + o.bootMs,
    };
    machines.insert(profileId, m);
    return { ...m, terminatedAt: null };
  };

  const refuseHeld = (instances: LocalInstanceRecord[]) => {
    const held = instances.map((m) => view(m)).filter((i) => i.hold !== null && i.hold.until > now());
    if (held.length === 0) return;
    throw new ConsoleError(
      'INSTANCE_HELD',
      `${held.length} of these instances are held: ${held.map((i) => `${i.id} until ${new Date(i.hold!.until).toISOString()} (${i.hold!.reason})`).join('; ')}. Nothing was terminated.`,
      'Release the hold first, or leave these instances out.',
    );
  };

  const capacity = (group: string): GroupCapacity => {
    const g = machines.group(profileId, group);
    if (!g || g.kind !== 'auto-scaling') {
      throw new ConsoleError(
        'AWS_NOT_FOUND',
        `Group ${group} does not exist in the embedded cluster.`,
        "Check the pool's group name in the profile.",
      );
    }
    const members = machines.live(profileId).filter((m) => m.groupId === group);
    return {
      name: group,
      min: g.min,
      max: g.max,
      desired: g.desired,
      inService: members.filter((m) => m.state === 'running').length,
      instanceIds: members.map((m) => m.id),
    };
  };

  return {
    kind: 'local',

    async listInstances(prefix) {
      const groups = new Map(machines.groups(profileId).map((g) => [g.name, g]));
      return machines
        .live(profileId)
        .filter((m) => m.name.startsWith(prefix))
        .map((m) => view(m, groups));
    },

    async groupCapacity(group) {
      return capacity(group);
    },

    async scaleGroup(req): Promise<ScaleGroupResult> {
      return o.atomically(() => {
        const g = capacity(req.group);
        if (!Number.isInteger(req.desired) || req.desired < g.min || req.desired > g.max) {
          throw new ConsoleError(
            'SCALE_OUT_OF_RANGE',
            `${req.group} can run between ${g.min} and ${g.max} instances; ${req.desired} is outside that range.`,
            `Choose a count from ${g.min} to ${g.max}.`,
          );
        }
        const group = machines.group(profileId, req.group)!;
        const members = machines.live(profileId).filter((m) => m.groupId === req.group);
        for (let n = members.length; n < req.desired; n++) {
          launch({
            pool: group.pool,
            type: group.instanceTypes[0]!,
            name: (i) => `${group.tags['name-prefix'] ?? `${profileId}-${group.pool}-`}${i}`,
            lifecycle: 'on-demand',
            groupId: req.group,
            tags: { [cloudTags.operation]: req.operationId },
          });
        }
        // As Auto Scaling does: scale-in takes the newest members that are not protected (held).
        const removable = members.filter((m) => !isHeld(m, now())).reverse();
        for (let n = members.length; n > req.desired && removable.length > 0; n--) {
          machines.setState(profileId, removable.shift()!.id, 'terminated', now());
        }
        machines.setDesired(profileId, req.group, req.desired);
        return { group: req.group, previous: g.desired, desired: req.desired, min: g.min, max: g.max };
      });
    },

    async createSpotGroup(req): Promise<SpotGroupResult> {
      const check = compatibleInstanceTypes(req.instanceTypes);
      if (!check.ok)
        throw new ConsoleError(
          'SPOT_TYPES_INCOMPATIBLE',
          check.reason,
          'Choose types of the same series, generation, size and architecture.',
        );
      return o.atomically(() => {
        const groupId = req.groupName;
        machines.upsertGroup(profileId, {
          name: groupId,
          pool: req.slaveType,
          kind: 'spot-fleet',
          min: 0,
          max: req.count,
          desired: req.count,
          instanceTypes: req.instanceTypes,
          tags: { [cloudTags.operation]: req.operationId },
        });
        const ids: string[] = [];
        for (let n = 0; n < req.count; n++) {
          const m = launch({
            pool: req.slaveType,
            type: req.instanceTypes[n % req.instanceTypes.length]!,
            name: (i) => `${req.name}-${i}`,
            lifecycle: 'spot',
            groupId,
            tags: { [cloudTags.operation]: req.operationId, [cloudTags.spotGroup]: groupId },
          });
          ids.push(m.id);
        }
        return { groupId, requested: req.count, instanceIds: ids, shortfall: [] };
      });
    },

    async deleteSpotGroup(_operationId, groupId) {
      o.atomically(() => {
        for (const m of machines.live(profileId).filter((x) => x.groupId === groupId))
          machines.setState(profileId, m.id, 'terminated', now());
        machines.deleteGroup(profileId, groupId, now());
      });
    },

    async launchSpecific(req): Promise<SpecificInstanceResult> {
      // Honoured here as EC2 honours it (moto does not): the same token launches nothing new.
      const token = clientToken(req.operationId, `specific:${req.instanceType}:${req.subnetId ?? ''}`);
      return o.atomically(() => {
        const before = machines.all(profileId).find((m) => m.tags[clientTokenTag] === token);
        if (before) return { clientToken: token, instanceId: before.state === 'terminated' ? null : before.id };
        const m = launch({
          pool: req.slaveType,
          type: req.instanceType,
          name: () => req.name,
          lifecycle: 'on-demand',
          groupId: null,
          tags: { [cloudTags.operation]: req.operationId, [clientTokenTag]: token },
        });
        return { clientToken: token, instanceId: m.id };
      });
    },

    async downscale(_operationId, ids, at): Promise<DownscaleResult> {
      return o.atomically(() => {
        const found = ids
          .map((id) => machines.get(profileId, id))
          .filter((m): m is LocalInstanceRecord => m !== null && m.state !== 'terminated');
        const held = found.filter((m) => isHeld(m, at));
        if (held.length > 0) refuseHeld(held);
        const fromGroups: string[] = [];
        const terminated: string[] = [];
        for (const m of found) {
          const group = m.groupId === null ? null : machines.group(profileId, m.groupId);
          machines.setState(profileId, m.id, 'terminated', now());
          if (group?.kind === 'auto-scaling') {
            machines.setDesired(profileId, group.name, Math.max(group.min, machines.group(profileId, group.name)!.desired - 1));
            fromGroups.push(m.id);
          } else terminated.push(m.id);
        }
        return { fromGroups, terminated };
      });
    },

    async setHold(req: HoldRequest) {
      o.atomically(() => {
        for (const id of req.instanceIds) {
          const m = machines.get(profileId, id);
          if (!m) continue;
          machines.setTags(profileId, id, {
            ...m.tags,
            [cloudTags.holdUntil]: new Date(req.until).toISOString(),
            [cloudTags.holdReason]: req.reason,
          });
        }
      });
    },

    async releaseHold(_operationId, ids) {
      o.atomically(() => {
        for (const id of ids) {
          const m = machines.get(profileId, id);
          if (!m) continue;
          const { [cloudTags.holdUntil]: _u, [cloudTags.holdReason]: _r, ...rest } = m.tags;
          machines.setTags(profileId, id, rest);
        }
      });
    },

    whoAmI: async () => null,
    close() {},
  };
}

function isHeld(m: LocalInstanceRecord, now: number): boolean {
  const until = m.tags[cloudTags.holdUntil];
  return until !== undefined && Date.parse(until) > now;
}
