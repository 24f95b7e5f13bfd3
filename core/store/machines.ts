import type { Db } from './database.js';

/**
 * The embedded cluster's machines and groups: what EC2 and Auto Scaling are to a real cluster.
 * The local CloudProvider launches and terminates these rows; the embedded cluster turns the
 * running ones into agents.
 */
export interface LocalInstanceRecord {
  id: string;
  /** Small integer unique in the profile; gives the machine its ports and IP. */
  slot: number;
  pool: string;
  instanceType: string;
  name: string;
  lifecycle: 'on-demand' | 'spot';
  /** Auto Scaling group name or spot group id. */
  groupId: string | null;
  privateIp: string;
  tags: Record<string, string>;
  state: 'pending' | 'running' | 'terminated';
  launchedAt: number;
  /** When a pending machine finishes booting. */
  readyAt: number;
  terminatedAt: number | null;
}

export interface LocalGroupRecord {
  name: string;
  pool: string;
  kind: 'auto-scaling' | 'spot-fleet';
  min: number;
  max: number;
  desired: number;
  instanceTypes: string[];
  tags: Record<string, string>;
  deletedAt: number | null;
}

interface InstanceRow {
  id: string;
  slot: number;
  pool: string;
  instance_type: string;
  name: string;
  lifecycle: 'on-demand' | 'spot';
  group_id: string | null;
  private_ip: string;
  tags: string;
  state: LocalInstanceRecord['state'];
  launched_at: number;
  ready_at: number;
  terminated_at: number | null;
}

interface GroupRow {
  name: string;
  pool: string;
  kind: LocalGroupRecord['kind'];
  min_size: number;
  max_size: number;
  desired: number;
  instance_types: string;
  tags: string;
  deleted_at: number | null;
}

const toInstance = (r: InstanceRow): LocalInstanceRecord => ({
  id: r.id,
  slot: r.slot,
  pool: r.pool,
  instanceType: r.instance_type,
  name: r.name,
  lifecycle: r.lifecycle,
  groupId: r.group_id,
  privateIp: r.private_ip,
  tags: JSON.parse(r.tags) as Record<string, string>,
  state: r.state,
  launchedAt: r.launched_at,
  readyAt: r.ready_at,
  terminatedAt: r.terminated_at,
});

const toGroup = (r: GroupRow): LocalGroupRecord => ({
  name: r.name,
  pool: r.pool,
  kind: r.kind,
  min: r.min_size,
  max: r.max_size,
  desired: r.desired,
  instanceTypes: JSON.parse(r.instance_types) as string[],
  tags: JSON.parse(r.tags) as Record<string, string>,
  deletedAt: r.deleted_at,
});

export function machineRepository(db: Db) {
  const insert = db.prepare(
    `INSERT INTO local_instances (profile_id, id, slot, pool, instance_type, name, lifecycle, group_id, private_ip, tags, state, launched_at, ready_at)
     VALUES (@profileId, @id, @slot, @pool, @instanceType, @name, @lifecycle, @groupId, @privateIp, @tags, @state, @launchedAt, @readyAt)`,
  );
  const all = db.prepare<[string], InstanceRow>('SELECT * FROM local_instances WHERE profile_id = ? ORDER BY slot');
  const live = db.prepare<[string], InstanceRow>(
    `SELECT * FROM local_instances WHERE profile_id = ? AND state != 'terminated' ORDER BY slot`,
  );
  const one = db.prepare<[string, string], InstanceRow>('SELECT * FROM local_instances WHERE profile_id = ? AND id = ?');
  const due = db.prepare<[string, number], { id: string }>(
    `SELECT id FROM local_instances WHERE profile_id = ? AND state = 'pending' AND ready_at <= ?`,
  );
  const maxSlot = db.prepare<[string], { slot: number | null }>('SELECT MAX(slot) AS slot FROM local_instances WHERE profile_id = ?');
  const setState = db.prepare('UPDATE local_instances SET state = ?, terminated_at = ? WHERE profile_id = ? AND id = ?');
  const setTags = db.prepare('UPDATE local_instances SET tags = ? WHERE profile_id = ? AND id = ?');
  const upsertGroup = db.prepare(
    `INSERT INTO local_groups (profile_id, name, pool, kind, min_size, max_size, desired, instance_types, tags)
     VALUES (@profileId, @name, @pool, @kind, @min, @max, @desired, @instanceTypes, @tags)
     ON CONFLICT (profile_id, name) DO UPDATE SET desired = excluded.desired, min_size = excluded.min_size,
       max_size = excluded.max_size, instance_types = excluded.instance_types, tags = excluded.tags, deleted_at = NULL`,
  );
  const groups = db.prepare<[string], GroupRow>('SELECT * FROM local_groups WHERE profile_id = ? AND deleted_at IS NULL ORDER BY name');
  const group = db.prepare<[string, string], GroupRow>('SELECT * FROM local_groups WHERE profile_id = ? AND name = ?');
  const setDesired = db.prepare('UPDATE local_groups SET desired = ? WHERE profile_id = ? AND name = ?');
  const deleteGroup = db.prepare('UPDATE local_groups SET deleted_at = ? WHERE profile_id = ? AND name = ?');
  // Bumped on every write, so the embedded cluster re-reads machines only when they changed.
  let version = 0;
  const bump = () => void version++;

  return {
    version: () => version,
    insert(profileId: string, i: Omit<LocalInstanceRecord, 'terminatedAt'>): void {
      insert.run({ profileId, ...i, tags: JSON.stringify(i.tags) });
      bump();
    },
    all(profileId: string): LocalInstanceRecord[] {
      return all.all(profileId).map(toInstance);
    },
    live(profileId: string): LocalInstanceRecord[] {
      return live.all(profileId).map(toInstance);
    },
    get(profileId: string, id: string): LocalInstanceRecord | null {
      const r = one.get(profileId, id);
      return r ? toInstance(r) : null;
    },
    /** Pending machines whose boot time has come. */
    dueToBoot(profileId: string, now: number): string[] {
      return due.all(profileId, now).map((r) => r.id);
    },
    nextSlot(profileId: string): number {
      return (maxSlot.get(profileId)?.slot ?? -1) + 1;
    },
    setState(profileId: string, id: string, state: LocalInstanceRecord['state'], at: number): void {
      setState.run(state, state === 'terminated' ? at : null, profileId, id);
      bump();
    },
    setTags(profileId: string, id: string, tags: Record<string, string>): void {
      setTags.run(JSON.stringify(tags), profileId, id);
      bump();
    },
    upsertGroup(profileId: string, g: Omit<LocalGroupRecord, 'deletedAt'>): void {
      upsertGroup.run({ profileId, ...g, instanceTypes: JSON.stringify(g.instanceTypes), tags: JSON.stringify(g.tags) });
      bump();
    },
    groups(profileId: string): LocalGroupRecord[] {
      return groups.all(profileId).map(toGroup);
    },
    group(profileId: string, name: string): LocalGroupRecord | null {
      const r = group.get(profileId, name);
      return r ? toGroup(r) : null;
    },
    setDesired(profileId: string, name: string, desired: number): void {
      setDesired.run(desired, profileId, name);
      bump();
    },
    deleteGroup(profileId: string, name: string, at: number): void {
      deleteGroup.run(at, profileId, name);
      bump();
    },
  };
}
export type MachineRepository = ReturnType<typeof machineRepository>;
