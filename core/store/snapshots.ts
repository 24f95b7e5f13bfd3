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

export function snapshotRepository(db: Db) {
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
    loadJobs(profileId: string): JobsSnapshot | null {
      const r = getJobs.get(profileId);
      return r ? { at: r.at, jobs: JSON.parse(r.jobs) as JobSummary[] } : null;
    },
  };
}
export type SnapshotRepository = ReturnType<typeof snapshotRepository>;
