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
  {
    version: 2,
    name: 'jobs, task events, executor processes, operations journal',
    sql: `
      CREATE TABLE jobs (
        profile_id TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
        job_key TEXT NOT NULL,
        spec TEXT NOT NULL,
        source TEXT,
        state TEXT NOT NULL CHECK (state IN ('active', 'killed')),
        cron_last_run INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (profile_id, job_key)
      );
      ALTER TABLE tasks ADD COLUMN agent_host TEXT;
      ALTER TABLE tasks ADD COLUMN ports TEXT;
      ALTER TABLE tasks ADD COLUMN pending_reason TEXT;
      ALTER TABLE tasks ADD COLUMN started_at INTEGER;
      ALTER TABLE tasks ADD COLUMN ended_at INTEGER;
      CREATE INDEX tasks_by_state ON tasks (profile_id, state);
      CREATE INDEX tasks_by_agent ON tasks (profile_id, agent_id);
      CREATE TABLE task_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        profile_id TEXT NOT NULL,
        task_id TEXT NOT NULL,
        at INTEGER NOT NULL,
        state TEXT NOT NULL,
        message TEXT,
        FOREIGN KEY (profile_id, task_id) REFERENCES tasks (profile_id, task_id) ON DELETE CASCADE
      );
      CREATE INDEX task_events_by_task ON task_events (profile_id, task_id, id);
      CREATE TABLE executor_processes (
        profile_id TEXT NOT NULL,
        task_id TEXT NOT NULL,
        pid INTEGER NOT NULL,
        start_ticks TEXT NOT NULL,
        run_dir TEXT NOT NULL,
        launched_at INTEGER NOT NULL,
        PRIMARY KEY (profile_id, task_id, pid)
      );
      CREATE TABLE operations (
        id TEXT PRIMARY KEY,
        profile_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        target TEXT NOT NULL,
        intent TEXT NOT NULL,
        idempotency_key TEXT NOT NULL UNIQUE,
        actor TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'running', 'succeeded', 'failed')),
        result TEXT,
        error TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX operations_by_time ON operations (profile_id, created_at);
      CREATE TABLE operation_steps (
        operation_id TEXT NOT NULL REFERENCES operations(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        at INTEGER NOT NULL,
        call TEXT NOT NULL,
        result TEXT,
        PRIMARY KEY (operation_id, seq)
      );
    `,
  },
  {
    version: 3,
    name: 'scaling: local machines, groups, holds; operations gain cancelled, summary, progress',
    // operations is rebuilt to widen its state CHECK: new tables first, data copied, the old
    // ones dropped (steps before operations, so no cascade fires), then renamed into place.
    sql: `
      CREATE TABLE operations_v3 (
        id TEXT PRIMARY KEY,
        profile_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        target TEXT NOT NULL,
        summary TEXT NOT NULL DEFAULT '',
        intent TEXT NOT NULL,
        idempotency_key TEXT NOT NULL,
        actor TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'running', 'succeeded', 'failed', 'cancelled')),
        progress TEXT,
        starts_at INTEGER,
        result TEXT,
        error TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      INSERT INTO operations_v3 (id, profile_id, kind, target, summary, intent, idempotency_key, actor, state, result, error, created_at, updated_at)
        SELECT id, profile_id, kind, target, kind || ' ' || target, intent, idempotency_key, actor, state, result, error, created_at, updated_at FROM operations;
      CREATE TABLE operation_steps_v3 (
        operation_id TEXT NOT NULL REFERENCES operations_v3(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        at INTEGER NOT NULL,
        call TEXT NOT NULL,
        result TEXT,
        PRIMARY KEY (operation_id, seq)
      );
      INSERT INTO operation_steps_v3 SELECT operation_id, seq, at, call, result FROM operation_steps;
      DROP TABLE operation_steps;
      DROP TABLE operations;
      ALTER TABLE operations_v3 RENAME TO operations;
      ALTER TABLE operation_steps_v3 RENAME TO operation_steps;
      CREATE INDEX operations_by_time ON operations (profile_id, created_at);
      CREATE INDEX operations_by_state ON operations (profile_id, state);
      -- A press is one operation within its profile.
      CREATE UNIQUE INDEX operations_by_idempotency_key ON operations (profile_id, idempotency_key);

      ALTER TABLE agents ADD COLUMN ip TEXT;

      CREATE TABLE local_instances (
        profile_id TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        slot INTEGER NOT NULL,
        pool TEXT NOT NULL,
        instance_type TEXT NOT NULL,
        name TEXT NOT NULL,
        lifecycle TEXT NOT NULL CHECK (lifecycle IN ('on-demand', 'spot')),
        group_id TEXT,
        private_ip TEXT NOT NULL,
        tags TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'running', 'terminated')),
        launched_at INTEGER NOT NULL,
        ready_at INTEGER NOT NULL,
        terminated_at INTEGER,
        PRIMARY KEY (profile_id, id)
      );
      CREATE INDEX local_instances_live ON local_instances (profile_id, state);
      CREATE TABLE local_groups (
        profile_id TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        pool TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('auto-scaling', 'spot-fleet')),
        min_size INTEGER NOT NULL,
        max_size INTEGER NOT NULL,
        desired INTEGER NOT NULL,
        instance_types TEXT NOT NULL,
        tags TEXT NOT NULL,
        deleted_at INTEGER,
        PRIMARY KEY (profile_id, name)
      );
      CREATE TABLE holds (
        id TEXT PRIMARY KEY,
        profile_id TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
        target_kind TEXT NOT NULL CHECK (target_kind IN ('pool', 'instance')),
        target TEXT NOT NULL,
        pool TEXT NOT NULL,
        until INTEGER NOT NULL,
        reason TEXT NOT NULL,
        actor TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        released_at INTEGER
      );
      CREATE INDEX holds_in_force ON holds (profile_id, released_at, until);
    `,
  },
  {
    version: 4,
    name: "a real cluster's last-known state",
    sql: `
      CREATE TABLE cluster_snapshots (
        profile_id TEXT PRIMARY KEY REFERENCES profiles(id) ON DELETE CASCADE,
        at INTEGER NOT NULL,
        agents TEXT NOT NULL,
        overview TEXT NOT NULL
      );
    `,
  },
  {
    version: 5,
    name: "a real cluster's last-known Aurora jobs",
    sql: `
      CREATE TABLE scheduler_snapshots (
        profile_id TEXT PRIMARY KEY REFERENCES profiles(id) ON DELETE CASCADE,
        at INTEGER NOT NULL,
        jobs TEXT NOT NULL
      );
    `,
  },
  {
    version: 6,
    name: "a real cluster's last-known jobs and tasks in detail",
    sql: `
      CREATE TABLE job_snapshots (
        profile_id TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
        job_key TEXT NOT NULL,
        at INTEGER NOT NULL,
        detail TEXT NOT NULL,
        PRIMARY KEY (profile_id, job_key)
      );
      CREATE TABLE task_snapshots (
        profile_id TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
        task_id TEXT NOT NULL,
        at INTEGER NOT NULL,
        detail TEXT NOT NULL,
        PRIMARY KEY (profile_id, task_id)
      );
      CREATE INDEX task_snapshots_age ON task_snapshots (profile_id, at);
    `,
  },
];

export const latestSchemaVersion = migrations.at(-1)!.version;
