import type { TaskRecord } from '../model/task.js';
import type { Db } from './database.js';

type TaskRow = [
  task_id: string,
  job_key: string,
  instance: number,
  state: TaskRecord['state'],
  agent_id: string | null,
  ancestor_id: string | null,
  failure_count: number,
  exit_code: number | null,
  reason: string | null,
  message: string | null,
  sandbox_dir: string | null,
  created_at: number,
  updated_at: number,
];

const columns =
  'task_id, job_key, instance, state, agent_id, ancestor_id, failure_count, exit_code, reason, message, sandbox_dir, created_at, updated_at';

function toTask(r: TaskRow): TaskRecord {
  return {
    taskId: r[0],
    jobKey: r[1],
    instance: r[2],
    state: r[3],
    agentId: r[4],
    ancestorId: r[5],
    failureCount: r[6],
    exitCode: r[7],
    reason: r[8],
    message: r[9],
    sandboxDir: r[10],
    createdAt: r[11],
    updatedAt: r[12],
  };
}

export interface TaskPage {
  tasks: TaskRecord[];
  /** Pass back as `after` for the next page; null at the end. */
  next: string | null;
}

export function taskRepository(db: Db) {
  const upsert = db.prepare(
    `INSERT INTO tasks (profile_id, ${columns})
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (profile_id, task_id) DO UPDATE SET
       state = excluded.state, agent_id = excluded.agent_id, failure_count = excluded.failure_count,
       exit_code = excluded.exit_code, reason = excluded.reason, message = excluded.message,
       sandbox_dir = excluded.sandbox_dir, updated_at = excluded.updated_at`,
  );
  const pageFirst = db
    .prepare<[string, number]>(`SELECT ${columns} FROM tasks WHERE profile_id = ? ORDER BY task_id LIMIT ?`)
    .raw(true);
  const pageAfter = db
    .prepare<[string, string, number]>(
      `SELECT ${columns} FROM tasks WHERE profile_id = ? AND task_id > ? ORDER BY task_id LIMIT ?`,
    )
    .raw(true);

  const upsertMany = db.transaction((profileId: string, tasks: readonly TaskRecord[]) => {
    for (const t of tasks) {
      upsert.run(
        profileId,
        t.taskId,
        t.jobKey,
        t.instance,
        t.state,
        t.agentId,
        t.ancestorId,
        t.failureCount,
        t.exitCode,
        t.reason,
        t.message,
        t.sandboxDir,
        t.createdAt,
        t.updatedAt,
      );
    }
  });

  return {
    /** Writes all tasks in one transaction: all or none. */
    upsertMany(profileId: string, tasks: readonly TaskRecord[]): void {
      upsertMany(profileId, tasks);
    },
    /** Keyset paging by task id: cost per page does not grow with how far in it is. */
    page(profileId: string, after: string | null, limit: number): TaskPage {
      const rows = (after === null ? pageFirst.all(profileId, limit) : pageAfter.all(profileId, after, limit)) as TaskRow[];
      const tasks = rows.map(toTask);
      return { tasks, next: tasks.length === limit ? tasks[tasks.length - 1]!.taskId : null };
    },
  };
}
export type TaskRepository = ReturnType<typeof taskRepository>;
