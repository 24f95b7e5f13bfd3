import fs from 'node:fs';
import path from 'node:path';
import type { AgentRecord as Agent } from '../model/agent.js';
import type { Profile } from '../contract/profiles.js';
import { agentDiskMb, instanceSize } from '../model/instance-types.js';
import { poolCloudNames } from '../model/pool.js';
import type { Store } from '../store/index.js';
import type { LocalInstanceRecord } from '../store/machines.js';

/** The port range each local agent offers; agents share one machine, so ranges must not overlap. */
function portRange(slot: number): string {
  const start = 31000 + slot * 100;
  return `[${start}-${start + 99}]`;
}

/** A loopback address per machine, so agents are matched to machines by IP as on EC2. */
export function localIp(slot: number): string {
  return `127.1.${Math.floor(slot / 250)}.${(slot % 250) + 1}`;
}

/**
 * On the first start of a profile, its pools' starting counts become machines (running at
 * once), and each on-demand pool gets its group. Later starts keep whatever scaling made.
 */
export function seedMachines(store: Store, profile: Profile, now: number): void {
  if (store.machines.all(profile.id).length > 0) return;
  let slot = 0;
  store.db.transaction(() => {
    for (const pool of profile.pools) {
      const names = poolCloudNames(profile, pool);
      const group =
        pool.kind === 'on-demand'
          ? names.autoScalingGroup
          : pool.kind === 'spot' && pool.count > 0
            ? `${profile.id}-${pool.name}-seed`
            : null;
      if (pool.kind === 'on-demand') {
        store.machines.upsertGroup(profile.id, {
          name: names.autoScalingGroup,
          pool: pool.name,
          kind: 'auto-scaling',
          min: 0,
          max: names.maxCount,
          desired: pool.count,
          instanceTypes: [pool.instanceTypes[0]!],
          tags: {},
        });
      } else if (group) {
        store.machines.upsertGroup(profile.id, {
          name: group,
          pool: pool.name,
          kind: 'spot-fleet',
          min: 0,
          max: pool.count,
          desired: pool.count,
          instanceTypes: pool.instanceTypes,
          tags: {},
        });
      }
      for (let n = 1; n <= pool.count; n++) {
        store.machines.insert(profile.id, {
          id: `${profile.id}-${pool.name}-${n}`,
          slot,
          pool: pool.name,
          instanceType: pool.instanceTypes[(n - 1) % pool.instanceTypes.length]!,
          name: `${names.namePrefix}${n}`,
          lifecycle: pool.kind === 'spot' ? 'spot' : 'on-demand',
          groupId: group,
          privateIp: localIp(slot),
          tags: { 'slave-type': pool.name },
          state: 'running',
          launchedAt: now,
          readyAt: now,
        });
        slot++;
      }
    }
  })();
}

/** The agent a running machine registers, in a stable shape (so ids survive restarts). */
export function agentOf(profile: Profile, m: LocalInstanceRecord, dataDir: string, now: number): Agent {
  const size = instanceSize(m.instanceType);
  if (!size) throw new Error(`Machine ${m.id}: unknown instance type ${m.instanceType}`);
  const prefix = `${profile.id}-`;
  const hostname = `${m.id.startsWith(prefix) ? m.id.slice(prefix.length) : m.id}.${profile.id}.local`;
  const kind = profile.pools.find((p) => p.name === m.pool)?.kind ?? 'specific';
  return {
    id: m.id,
    hostname,
    ip: m.privateIp,
    slaveType: m.pool,
    instanceType: m.instanceType,
    resources: { cpus: size.cpus, memMb: size.memMb, diskMb: agentDiskMb(size), ports: portRange(m.slot) },
    // `host` as operators set it with --attributes, so `host: limit:1` spreads a job's instances.
    attributes: { host: hostname, 'slave-type': m.pool, 'instance-type': m.instanceType, 'pool-kind': kind },
    sandboxRoot: path.join(dataDir, 'embedded', profile.id, 'agents', m.id),
    state: 'registered',
    registeredAt: now,
  };
}

export interface AgentChanges {
  agents: Agent[];
  registered: Agent[];
  removed: Agent[];
}

/**
 * Brings the agents in line with the machines: each running machine's agent is registered
 * (its sandbox root made on disk), and agents whose machine is gone are marked gone.
 */
export function syncAgents(store: Store, profile: Profile, dataDir: string, now: number): AgentChanges {
  const known = new Map(store.agents.list(profile.id).map((a) => [a.id, a]));
  const registered: Agent[] = [];
  const removed: Agent[] = [];
  store.db.transaction(() => {
    for (const m of store.machines.live(profile.id)) {
      if (m.state !== 'running') continue;
      const before = known.get(m.id);
      known.delete(m.id);
      if (before) {
        // Agents registered before machines existed (schema 2) learn their machine's IP.
        if (before.ip !== m.privateIp) store.agents.upsert(profile.id, { ...before, ip: m.privateIp }, now);
        continue;
      }
      const agent = agentOf(profile, m, dataDir, now);
      fs.mkdirSync(agent.sandboxRoot, { recursive: true, mode: 0o700 });
      store.agents.upsert(profile.id, agent, now);
      registered.push(agent);
      store.events.append(profile.id, {
        at: now,
        kind: 'agent.registered',
        subject: agent.id,
        message: `Agent ${agent.hostname} (${agent.slaveType}, ${agent.instanceType}) registered`,
      });
    }
    for (const gone of known.values()) {
      store.agents.upsert(profile.id, { ...gone, state: 'gone' }, now);
      removed.push(gone);
      store.events.append(profile.id, {
        at: now,
        kind: 'agent.removed',
        subject: gone.id,
        message: `Agent ${gone.hostname} is gone: its machine was terminated`,
      });
    }
  })();
  return { agents: store.agents.list(profile.id), registered, removed };
}

/** Pending machines whose boot time has passed start running. Returns how many did. */
export function bootDueMachines(store: Store, profileId: string, now: number): number {
  const due = store.machines.dueToBoot(profileId, now);
  for (const id of due) store.machines.setState(profileId, id, 'running', now);
  return due.length;
}
