import fs from 'node:fs';
import path from 'node:path';
import type { AgentRecord as Agent } from '../model/agent.js';
import type { Profile } from '../contract/profiles.js';
import { agentDiskMb, instanceSize } from '../model/instance-types.js';
import type { Store } from '../store/index.js';

/** The port range each local agent offers; agents share one machine, so ranges must not overlap. */
function portRange(index: number): string {
  const start = 31000 + index * 100;
  return `[${start}-${start + 99}]`;
}

/** The agents a profile's pools call for, in a stable order (so ids survive restarts). */
export function plannedAgents(profile: Profile, dataDir: string, now: number): Agent[] {
  const agents: Agent[] = [];
  for (const pool of profile.pools) {
    const type = pool.instanceTypes[0]!;
    const size = instanceSize(type);
    if (!size) throw new Error(`Pool ${pool.name}: unknown instance type ${type}`);
    for (let n = 1; n <= pool.count; n++) {
      const id = `${profile.id}-${pool.name}-${n}`;
      const hostname = `${pool.name}-${n}.${profile.id}.local`;
      agents.push({
        id,
        hostname,
        slaveType: pool.name,
        instanceType: type,
        resources: { cpus: size.cpus, memMb: size.memMb, diskMb: agentDiskMb(size), ports: portRange(agents.length) },
        // `host` as operators set it with --attributes, so `host: limit:1` spreads a job's instances.
        attributes: { host: hostname, 'slave-type': pool.name, 'instance-type': type, 'pool-kind': pool.kind },
        sandboxRoot: path.join(dataDir, 'embedded', profile.id, 'agents', id),
        state: 'registered',
        registeredAt: now,
      });
    }
  }
  return agents;
}

/**
 * Brings the embedded cluster's agents up for a profile: each gets its sandbox root on disk and
 * is registered in the store; agents the profile no longer calls for are marked gone.
 */
export function startEmbeddedCluster(store: Store, profile: Profile, dataDir: string, now: number): Agent[] {
  const known = new Map(store.agents.list(profile.id).map((a) => [a.id, a]));
  const planned = plannedAgents(profile, dataDir, now);
  store.db.transaction(() => {
    for (const agent of planned) {
      fs.mkdirSync(agent.sandboxRoot, { recursive: true });
      const before = known.get(agent.id);
      const registeredAt = before?.state === 'registered' ? before.registeredAt : now;
      store.agents.upsert(profile.id, { ...agent, registeredAt }, now);
      known.delete(agent.id);
      if (!before || before.state !== 'registered') {
        store.events.append(profile.id, {
          at: now,
          kind: 'agent.registered',
          subject: agent.id,
          message: `Agent ${agent.hostname} (${agent.slaveType}, ${agent.instanceType}) registered`,
        });
      }
    }
    for (const gone of known.values()) {
      store.agents.upsert(profile.id, { ...gone, state: 'gone' }, now);
      store.events.append(profile.id, {
        at: now,
        kind: 'agent.removed',
        subject: gone.id,
        message: `Agent ${gone.hostname} is no longer in the profile`,
      });
    }
  })();
  return store.agents.list(profile.id);
}
