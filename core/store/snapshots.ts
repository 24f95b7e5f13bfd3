import type { Agent } from '../contract/agents.js';
import type { JobSummary } from '../contract/jobs.js';
import type { Overview } from '../contract/overview.js';
import type { Db } from './database.js';

/** A real cluster's latest state as the screens show it, kept so the console opens on it when the cluster is out of reach. */
export interface Snapshot {
  at: number;
  agents: Agent[];
  overview: Overview;
}

/** A real cluster's Aurora jobs as the Jobs screen lists them, kept for the same reason. */
export interface JobsSnapshot {
  at: number;
  jobs: JobSummary[];
}

/** A job's detail (jobs.get) or a task's (tasks.get) as last read, as JSON: served "as of" when the scheduler or master is out of reach. */
export interface DetailSnapshot<T> {
  at: number;
  detail: T;
}

/** Task details kept per profile at most; the oldest go first. */
const maxTaskSnapshots = 200_000;

export function snapshotRepository(db: Db) {
  const putJob = db.prepare(
    `INSERT INTO job_snapshots (profile_id, job_key, at, detail) VALUES (?, ?, ?, ?)
     ON CONFLICT (profile_id, job_key) DO UPDATE SET at = excluded.at, detail = excluded.detail`,
  );
  const getJob = db.prepare<[string, string], { at: number; detail: string }>(
    'SELECT at, detail FROM job_snapshots WHERE profile_id = ? AND job_key = ?',
  );
  const putTask = db.prepare(
    `INSERT INTO task_snapshots (profile_id, task_id, at, detail) VALUES (?, ?, ?, ?)
     ON CONFLICT (profile_id, task_id) DO UPDATE SET at = excluded.at, detail = excluded.detail`,
  );
  const getTask = db.prepare<[string, string], { at: number; detail: string }>(
    'SELECT at, detail FROM task_snapshots WHERE profile_id = ? AND task_id = ?',
  );
  const countTasks = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM task_snapshots WHERE profile_id = ?');
  const pruneTasks = db.prepare(
    `DELETE FROM task_snapshots WHERE profile_id = ? AND task_id IN
       (SELECT task_id FROM task_snapshots WHERE profile_id = ? ORDER BY at LIMIT ?)`,
  );
  const saveTasks = db.transaction((profileId: string, at: number, tasks: readonly { id: string; detail: unknown }[]) => {
    for (const t of tasks) putTask.run(profileId, t.id, at, JSON.stringify(t.detail));
    const n = countTasks.get(profileId)?.n ?? 0;
    if (n > maxTaskSnapshots) pruneTasks.run(profileId, profileId, n - maxTaskSnapshots);
  });
  const putJobs = db.prepare(
    `INSERT INTO scheduler_snapshots (profile_id, at, jobs) VALUES (?, ?, ?)
     ON CONFLICT (profile_id) DO UPDATE SET at = excluded.at, jobs = excluded.jobs`,
  );
  const getJobs = db.prepare<[string], { at: number; jobs: string }>('SELECT at, jobs FROM scheduler_snapshots WHERE profile_id = ?');
  const put = db.prepare(
    `INSERT INTO cluster_snapshots (profile_id, at, agents, overview) VALUES (?, ?, ?, ?)
     ON CONFLICT (profile_id) DO UPDATE SET at = excluded.at, agents = excluded.agents, overview = excluded.overview`,
  );
  const get = db.prepare<[string], { at: number; agents: string; overview: string }>(
    'SELECT at, agents, overview FROM cluster_snapshots WHERE profile_id = ?',
  );
  return {
    save(profileId: string, s: Snapshot): void {
      put.run(profileId, s.at, JSON.stringify(s.agents), JSON.stringify(s.overview));
    },
    load(profileId: string): Snapshot | null {
      const r = get.get(profileId);
      return r ? { at: r.at, agents: JSON.parse(r.agents) as Agent[], overview: JSON.parse(r.overview) as Overview } : null;
    },
    saveJobs(profileId: string, s: JobsSnapshot): void {
      putJobs.run(profileId, s.at, JSON.stringify(s.jobs));
    },
    saveJob(profileId: string, key: string, at: number, detail: unknown): void {
      putJob.run(profileId, key, at, JSON.stringify(detail));
    },
    loadJob<T>(profileId: string, key: string): DetailSnapshot<T> | null {
      const r = getJob.get(profileId, key);
      return r ? { at: r.at, detail: JSON.parse(r.detail) as T } : null;
    },
    /** Saves many task details in one transaction (a job's page holds all its attempts). */
    saveTasks(profileId: string, at: number, tasks: readonly { id: string; detail: unknown }[]): void {
      saveTasks(profileId, at, tasks);
    },
    loadTask<T>(profileId: string, taskId: string): DetailSnapshot<T> | null {
      const r = getTask.get(profileId, taskId);
      return r ? { at: r.at, detail: JSON.parse(r.detail) as T } : null;
    },
    loadJobs(profileId: string): JobsSnapshot | null {
      const r = getJobs.get(profileId);
      return r ? { at: r.at, jobs: JSON.parse(r.jobs) as JobSummary[] } : null;
    },
  };
}
export type SnapshotRepository = ReturnType<typeof snapshotRepository>;
