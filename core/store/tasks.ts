import type { TaskRecord } from '../model/task.js';
import type { Db } from './database.js';

type TaskRow = [
  task_id: string,
  job_key: string,
  instance: number,
  state: TaskRecord['state'],
  agent_id: string | null,
  agent_host: string | null,
  ancestor_id: string | null,
  failure_count: number,
  exit_code: number | null,
  reason: string | null,
  message: string | null,
  sandbox_dir: string | null,
  ports: string | null,
  pending_reason: string | null,
  created_at: number,
  updated_at: number,
  started_at: number | null,
  ended_at: number | null,
];

export const taskColumns =
  'task_id, job_key, instance, state, agent_id, agent_host, ancestor_id, failure_count, exit_code, reason, message, ' +
  'sandbox_dir, ports, pending_reason, created_at, updated_at, started_at, ended_at';

function toTask(r: TaskRow): TaskRecord {
  return {
    taskId: r[0],
    jobKey: r[1],
    instance: r[2],
    state: r[3],
    agentId: r[4],
    agentHost: r[5],
    ancestorId: r[6],
    failureCount: r[7],
    exitCode: r[8],
    reason: r[9],
    message: r[10],
    sandboxDir: r[11],
    ports: r[12] === null ? {} : (JSON.parse(r[12]) as Record<string, number>),
    pendingReason: r[13],
    createdAt: r[14],
    updatedAt: r[15],
    startedAt: r[16],
    endedAt: r[17],
  };
}

function toRow(profileId: string, t: TaskRecord): unknown[] {
  const ports = Object.keys(t.ports).length === 0 ? null : JSON.stringify(t.ports);
  return [
    profileId,
    t.taskId,
    t.jobKey,
    t.instance,
    t.state,
    t.agentId,
    t.agentHost,
    t.ancestorId,
    t.failureCount,
    t.exitCode,
    t.reason,
    t.message,
    t.sandboxDir,
    ports,
    t.pendingReason,
    t.createdAt,
    t.updatedAt,
    t.startedAt,
    t.endedAt,
  ];
}

export interface TaskPage {
  tasks: TaskRecord[];
  /** Pass back as `after` for the next page; null at the end. */
  next: string | null;
}

const activeStates = `('PENDING','THROTTLED','ASSIGNED','STARTING','RUNNING','KILLING','RESTARTING','DRAINING','PREEMPTING','PARTITIONED')`;

export function taskRepository(db: Db) {
  const upsert = db.prepare(
    `INSERT INTO tasks (profile_id, ${taskColumns})
     VALUES (${new Array(19).fill('?').join(', ')})
     ON CONFLICT (profile_id, task_id) DO UPDATE SET
       state = excluded.state, agent_id = excluded.agent_id, agent_host = excluded.agent_host,
       failure_count = excluded.failure_count, exit_code = excluded.exit_code, reason = excluded.reason,
       message = excluded.message, sandbox_dir = excluded.sandbox_dir, ports = excluded.ports,
       pending_reason = excluded.pending_reason, updated_at = excluded.updated_at,
       started_at = excluded.started_at, ended_at = excluded.ended_at`,
  );
  const pageFirst = db
    .prepare<[string, number]>(`SELECT ${taskColumns} FROM tasks WHERE profile_id = ? ORDER BY task_id LIMIT ?`)
    .raw(true);
  const pageAfter = db
    .prepare<[string, string, number]>(`SELECT ${taskColumns} FROM tasks WHERE profile_id = ? AND task_id > ? ORDER BY task_id LIMIT ?`)
    .raw(true);
  const one = db.prepare<[string, string]>(`SELECT ${taskColumns} FROM tasks WHERE profile_id = ? AND task_id = ?`).raw(true);
  const active = db.prepare<[string]>(`SELECT ${taskColumns} FROM tasks WHERE profile_id = ? AND state IN ${activeStates}`).raw(true);
  const ofJob = db
    .prepare<[string, string]>(
      `SELECT ${taskColumns} FROM tasks WHERE profile_id = ? AND job_key = ? ORDER BY instance, created_at DESC, task_id`,
    )
    .raw(true);
  const latestInState = db
    .prepare<[string, string, string, number]>(
      `SELECT ${taskColumns} FROM tasks WHERE profile_id = ? AND state IN (?, ?) ORDER BY updated_at DESC LIMIT ?`,
    )
    .raw(true);
  const insertEvent = db.prepare('INSERT INTO task_events (profile_id, task_id, at, state, message) VALUES (?, ?, ?, ?, ?)');
  const eventsOf = db.prepare<[string, string], { at: number; state: TaskRecord['state']; message: string | null }>(
    'SELECT at, state, message FROM task_events WHERE profile_id = ? AND task_id = ? ORDER BY id',
  );

  const upsertMany = db.transaction((profileId: string, tasks: readonly TaskRecord[]) => {
    for (const t of tasks) upsert.run(toRow(profileId, t));
  });

  const rows = (r: unknown[]) => (r as TaskRow[]).map(toTask);

  return {
    /** Writes all tasks in one transaction: all or none. */
    upsertMany(profileId: string, tasks: readonly TaskRecord[]): void {
      upsertMany(profileId, tasks);
    },
    upsert(profileId: string, t: TaskRecord): void {
      upsert.run(toRow(profileId, t));
    },
    /** Keyset paging by task id: cost per page does not grow with how far in it is. */
    page(profileId: string, after: string | null, limit: number): TaskPage {
      const tasks = rows(after === null ? pageFirst.all(profileId, limit) : pageAfter.all(profileId, after, limit));
      return { tasks, next: tasks.length === limit ? tasks[tasks.length - 1]!.taskId : null };
    },
    get(profileId: string, taskId: string): TaskRecord | null {
      const r = one.get(profileId, taskId) as TaskRow | undefined;
      return r ? toTask(r) : null;
    },
    active(profileId: string): TaskRecord[] {
      return rows(active.all(profileId));
    },
    /** Every attempt of a job, by instance, newest attempt first. */
    ofJob(profileId: string, jobKey: string): TaskRecord[] {
      return rows(ofJob.all(profileId, jobKey));
    },
    latestFailures(profileId: string, limit: number): TaskRecord[] {
      return rows(latestInState.all(profileId, 'FAILED', 'LOST', limit));
    },
    appendEvent(profileId: string, taskId: string, at: number, state: TaskRecord['state'], message: string | null): void {
      insertEvent.run(profileId, taskId, at, state, message);
    },
    events(profileId: string, taskId: string) {
      return eventsOf.all(profileId, taskId);
    },
  };
}
export type TaskRepository = ReturnType<typeof taskRepository>;
