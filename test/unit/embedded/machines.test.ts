import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Profile } from '../../../core/contract/profiles.js';
import { bootDueMachines, seedMachines, syncAgents } from '../../../core/embedded/cluster.js';
import { embeddedProfile } from '../../../core/embedded/profile.js';
import { openDatabase } from '../../../core/store/database.js';
import { openStore } from '../../../core/store/index.js';
import { migrations } from '../../../core/store/migrations.js';

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'cantareira-machines-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const profile: Profile = { ...embeddedProfile, createdAt: 1, updatedAt: 1 };

describe('the embedded cluster machines', () => {
  it('the first start turns the pools into running machines, each agent matched by its own IP and port range', () => {
    const dir = tmp();
    const store = openStore(path.join(dir, 'c.db'));
    store.profiles.ensure(embeddedProfile, 1);
    seedMachines(store, profile, 1);
    seedMachines(store, profile, 2); // a second start keeps what is there
    const machines = store.machines.live('embedded');
    expect(machines.map((m) => [m.id, m.state, m.privateIp])).toEqual([
      ['embedded-mesos-fixed-1', 'running', '127.1.0.1'],
      ['embedded-mesos-on-demand-1', 'running', '127.1.0.2'],
      ['embedded-mesos-on-demand-2', 'running', '127.1.0.3'],
    ]);
    const { agents, registered } = syncAgents(store, profile, dir, 1);
    expect(registered).toHaveLength(3);
    expect(agents.map((a) => [a.id, a.ip, a.resources.ports])).toEqual([
      ['embedded-mesos-fixed-1', '127.1.0.1', '[31000-31099]'],
      ['embedded-mesos-on-demand-1', '127.1.0.2', '[31100-31199]'],
      ['embedded-mesos-on-demand-2', '127.1.0.3', '[31200-31299]'],
    ]);
    expect(store.machines.group('embedded', 'embedded-mesos-on-demand')).toMatchObject({
      kind: 'auto-scaling',
      min: 0,
      max: 20,
      desired: 2,
    });
    store.close();
  });

  it('a booting machine registers its agent once its boot time has passed; a terminated one takes its agent away', () => {
    const dir = tmp();
    const store = openStore(path.join(dir, 'c.db'));
    store.profiles.ensure(embeddedProfile, 1);
    seedMachines(store, profile, 1);
    syncAgents(store, profile, dir, 1);
    store.machines.insert('embedded', {
      id: 'embedded-model-1',
      slot: 3,
      pool: 'model',
      instanceType: 'r5.2xlarge',
      name: 'embedded-model-bert',
      lifecycle: 'on-demand',
      groupId: null,
      privateIp: '127.1.0.4',
      tags: {},
      state: 'pending',
      launchedAt: 10,
      readyAt: 3010,
    });
    expect(bootDueMachines(store, 'embedded', 3009)).toBe(0);
    expect(syncAgents(store, profile, dir, 3009).registered).toEqual([]);
    expect(bootDueMachines(store, 'embedded', 3010)).toBe(1);
    const up = syncAgents(store, profile, dir, 3010);
    expect(up.registered.map((a) => [a.id, a.hostname, a.slaveType, a.resources.memMb])).toEqual([
      ['embedded-model-1', 'model-1.embedded.local', 'model', 65536],
    ]);
    expect(fs.existsSync(up.registered[0]!.sandboxRoot)).toBe(true);
    store.machines.setState('embedded', 'embedded-mesos-on-demand-2', 'terminated', 4000);
    const down = syncAgents(store, profile, dir, 4000);
    expect(down.removed.map((a) => a.id)).toEqual(['embedded-mesos-on-demand-2']);
    expect(down.agents.map((a) => a.id)).not.toContain('embedded-mesos-on-demand-2');
    store.close();
  });

  it('agents registered by a console from before machines existed keep their ids and learn their IP', () => {
    const dir = tmp();
    const file = path.join(dir, 'c.db');
    const v2 = openDatabase(file, { migrations: migrations.filter((m) => m.version <= 2) });
    v2.prepare(
      `INSERT INTO profiles (id, name, kind, config, builtin, created_at, updated_at) VALUES ('embedded', 'embedded', 'embedded', ?, 1, 1, 1)`,
    ).run(JSON.stringify({ pools: embeddedProfile.pools }));
    v2.prepare(
      `INSERT INTO agents (profile_id, id, hostname, slave_type, instance_type, cpus, mem_mb, disk_mb, ports, attributes, sandbox_root, state, registered_at, updated_at)
       VALUES ('embedded', 'embedded-mesos-fixed-1', 'mesos-fixed-1.embedded.local', 'mesos-fixed', 'm5.2xlarge', 8, 32768, 102400, '[31000-31099]', '{}', ?, 'registered', 5, 5)`,
    ).run(path.join(dir, 'sandbox'));
    v2.close();
    const store = openStore(file);
    seedMachines(store, profile, 100);
    const { agents } = syncAgents(store, profile, dir, 100);
    expect(agents.find((a) => a.id === 'embedded-mesos-fixed-1')).toMatchObject({ ip: '127.1.0.1', registeredAt: 5 });
    store.close();
  });
});
