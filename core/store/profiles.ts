import type { AuroraSettings, AwsSettings, MesosSettings, Pool, Profile } from '../contract/profiles.js';
import type { Db } from './database.js';

interface ProfileRow {
  id: string;
  name: string;
  kind: 'embedded' | 'mesos';
  config: string;
  builtin: number;
  created_at: number;
  updated_at: number;
}

interface ProfileConfig {
  pools: Pool[];
  aws?: AwsSettings | null;
  mesos?: MesosSettings | null;
  aurora?: AuroraSettings | null;
}

function toProfile(r: ProfileRow): Profile {
  const config = JSON.parse(r.config) as ProfileConfig;
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    builtin: r.builtin === 1,
    pools: config.pools,
    aws: config.aws ?? null,
    mesos: config.mesos ?? null,
    aurora: config.aurora ?? null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function profileRepository(db: Db) {
  const selectAll = db.prepare<[], ProfileRow>('SELECT * FROM profiles ORDER BY builtin DESC, name');
  const selectOne = db.prepare<[string], ProfileRow>('SELECT * FROM profiles WHERE id = ?');
  const insert = db.prepare(
    `INSERT INTO profiles (id, name, kind, config, builtin, created_at, updated_at)
     VALUES (@id, @name, @kind, @config, @builtin, @now, @now)
     ON CONFLICT (id) DO NOTHING`,
  );
  const byName = db.prepare<[string], ProfileRow>('SELECT * FROM profiles WHERE name = ?');
  const update = db.prepare(
    'UPDATE profiles SET name = @name, kind = @kind, config = @config, updated_at = @now WHERE id = @id AND builtin = 0',
  );
  const getSetting = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
  const setSetting = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');

  return {
    list(): Profile[] {
      return selectAll.all().map(toProfile);
    },
    get(id: string): Profile | null {
      const r = selectOne.get(id);
      return r ? toProfile(r) : null;
    },
    /** Inserts a profile unless one with its id exists (built-ins are seeded this way). */
    ensure(
      p: Omit<Profile, 'createdAt' | 'updatedAt' | 'aws' | 'mesos' | 'aurora'> & {
        aws?: AwsSettings | null;
        mesos?: MesosSettings | null;
        aurora?: AuroraSettings | null;
      },
      now: number,
    ): void {
      const config: ProfileConfig = { pools: p.pools, aws: p.aws ?? null, mesos: p.mesos ?? null, aurora: p.aurora ?? null };
      insert.run({
        id: p.id,
        name: p.name,
        kind: p.kind,
        config: JSON.stringify(config),
        builtin: p.builtin ? 1 : 0,
        now,
      });
    },
    byName(name: string): Profile | null {
      const r = byName.get(name);
      return r ? toProfile(r) : null;
    },
    /** Writes a user profile (never a built-in one); returns it as stored. */
    save(p: Omit<Profile, 'createdAt' | 'updatedAt' | 'builtin'>, now: number): Profile {
      const config = JSON.stringify({ pools: p.pools, aws: p.aws, mesos: p.mesos, aurora: p.aurora } satisfies ProfileConfig);
      const exists = selectOne.get(p.id);
      if (exists) update.run({ id: p.id, name: p.name, kind: p.kind, config, now });
      else insert.run({ id: p.id, name: p.name, kind: p.kind, config, builtin: 0, now });
      return toProfile(selectOne.get(p.id)!);
    },
    activeId(): string | null {
      return getSetting.get('active_profile')?.value ?? null;
    },
    setActive(id: string): void {
      setSetting.run('active_profile', id);
    },
  };
}
export type ProfileRepository = ReturnType<typeof profileRepository>;
