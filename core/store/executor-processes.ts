import type { Db } from './database.js';

/**
 * One process group the embedded executor started and has not yet seen end. The rows outlive a
 * console crash, so the next start can find and stop what the previous one left running.
 */
export interface ExecutorProcessRecord {
  profileId: string;
  taskId: string;
  /** The group leader's pid, which is also the process group id. */
  pid: number;
  /** The leader's start time in clock ticks since boot: with the pid, it names one process for good. */
  startTicks: number;
  runDir: string;
  launchedAt: number;
}

interface Row {
  profile_id: string;
  task_id: string;
  pid: number;
  start_ticks: string;
  run_dir: string;
  launched_at: number;
}

const toRecord = (r: Row): ExecutorProcessRecord => ({
  profileId: r.profile_id,
  taskId: r.task_id,
  pid: r.pid,
  startTicks: Number(r.start_ticks),
  runDir: r.run_dir,
  launchedAt: r.launched_at,
});

export function executorProcessRepository(db: Db) {
  const insert = db.prepare(
    `INSERT OR REPLACE INTO executor_processes (profile_id, task_id, pid, start_ticks, run_dir, launched_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const remove = db.prepare('DELETE FROM executor_processes WHERE profile_id = ? AND task_id = ? AND pid = ?');
  const all = db.prepare<[], Row>('SELECT * FROM executor_processes ORDER BY profile_id, launched_at, pid');
  const byProfile = db.prepare<[string], Row>('SELECT * FROM executor_processes WHERE profile_id = ? ORDER BY launched_at, pid');

  return {
    add(r: ExecutorProcessRecord): void {
      insert.run(r.profileId, r.taskId, r.pid, String(r.startTicks), r.runDir, r.launchedAt);
    },
    remove(profileId: string, taskId: string, pid: number): void {
      remove.run(profileId, taskId, pid);
    },
    /** Every recorded group, or only one profile's. */
    list(profileId?: string): ExecutorProcessRecord[] {
      return (profileId === undefined ? all.all() : byProfile.all(profileId)).map(toRecord);
    },
  };
}
export type ExecutorProcessRepository = ReturnType<typeof executorProcessRepository>;
