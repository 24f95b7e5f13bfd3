import type { AgentRecord as Agent } from '../model/agent.js';
import type { Db } from './database.js';

interface AgentRow {
  id: string;
  hostname: string;
  ip: string | null;
  slave_type: string;
  instance_type: string;
  cpus: number;
  mem_mb: number;
  disk_mb: number;
  ports: string;
  attributes: string;
  sandbox_root: string;
  state: Agent['state'];
  registered_at: number;
}

function toAgent(r: AgentRow): Agent {
  return {
    id: r.id,
    hostname: r.hostname,
    ip: r.ip,
    slaveType: r.slave_type,
    instanceType: r.instance_type,
    resources: { cpus: r.cpus, memMb: r.mem_mb, diskMb: r.disk_mb, ports: r.ports },
    attributes: JSON.parse(r.attributes) as Record<string, string>,
    sandboxRoot: r.sandbox_root,
    state: r.state,
    registeredAt: r.registered_at,
  };
}

export function agentRepository(db: Db) {
  const upsert = db.prepare(
    `INSERT INTO agents (profile_id, id, hostname, ip, slave_type, instance_type, cpus, mem_mb, disk_mb,
                         ports, attributes, sandbox_root, state, registered_at, updated_at)
     VALUES (@profileId, @id, @hostname, @ip, @slaveType, @instanceType, @cpus, @memMb, @diskMb,
             @ports, @attributes, @sandboxRoot, @state, @registeredAt, @now)
     ON CONFLICT (profile_id, id) DO UPDATE SET
       hostname = excluded.hostname, ip = excluded.ip, slave_type = excluded.slave_type,
       instance_type = excluded.instance_type, cpus = excluded.cpus, mem_mb = excluded.mem_mb,
       disk_mb = excluded.disk_mb, ports = excluded.ports, attributes = excluded.attributes,
       sandbox_root = excluded.sandbox_root, state = excluded.state, updated_at = excluded.updated_at`,
  );
  const byProfile = db.prepare<[string], AgentRow>(
    `SELECT * FROM agents WHERE profile_id = ? AND state != 'gone' ORDER BY slave_type, hostname`,
  );
  const byType = db.prepare<[string, string], AgentRow>(
    `SELECT * FROM agents WHERE profile_id = ? AND slave_type = ? AND state != 'gone' ORDER BY hostname`,
  );

  return {
    upsert(profileId: string, a: Agent, now: number): void {
      upsert.run({
        profileId,
        id: a.id,
        hostname: a.hostname,
        ip: a.ip,
        slaveType: a.slaveType,
        instanceType: a.instanceType,
        cpus: a.resources.cpus,
        memMb: a.resources.memMb,
        diskMb: a.resources.diskMb,
        ports: a.resources.ports,
        attributes: JSON.stringify(a.attributes),
        sandboxRoot: a.sandboxRoot,
        state: a.state,
        registeredAt: a.registeredAt,
        now,
      });
    },
    list(profileId: string, slaveType?: string): Agent[] {
      const rows = slaveType === undefined ? byProfile.all(profileId) : byType.all(profileId, slaveType);
      return rows.map(toAgent);
    },
  };
}
export type AgentRepository = ReturnType<typeof agentRepository>;
