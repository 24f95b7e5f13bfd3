/**
 * Versioned schema. Each migration runs in its own transaction and bumps `user_version`;
 * a migration is never edited once released, only followed by a new one.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'profiles, agents, tasks, cluster events',
    sql: `
      CREATE TABLE profiles (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('embedded', 'mesos')),
        config TEXT NOT NULL,
        builtin INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
      CREATE TABLE agents (
        profile_id TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        hostname TEXT NOT NULL,
        slave_type TEXT NOT NULL,
        instance_type TEXT NOT NULL,
        cpus REAL NOT NULL,
        mem_mb INTEGER NOT NULL,
        disk_mb INTEGER NOT NULL,
        ports TEXT NOT NULL,
        attributes TEXT NOT NULL,
        sandbox_root TEXT NOT NULL,
        state TEXT NOT NULL,
        registered_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (profile_id, id)
      );
      CREATE INDEX agents_by_type ON agents (profile_id, slave_type);
      CREATE TABLE tasks (
        profile_id TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
        task_id TEXT NOT NULL,
        job_key TEXT NOT NULL,
        instance INTEGER NOT NULL,
        state TEXT NOT NULL,
        agent_id TEXT,
        ancestor_id TEXT,
        failure_count INTEGER NOT NULL DEFAULT 0,
        exit_code INTEGER,
        reason TEXT,
        message TEXT,
        sandbox_dir TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (profile_id, task_id)
      );
      CREATE INDEX tasks_by_job ON tasks (profile_id, job_key, instance);
      CREATE TABLE cluster_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        profile_id TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
        at INTEGER NOT NULL,
        kind TEXT NOT NULL,
        subject TEXT,
        message TEXT NOT NULL
      );
      CREATE INDEX cluster_events_by_profile ON cluster_events (profile_id, id);
    `,
  },
];

export const latestSchemaVersion = migrations.at(-1)!.version;
