import type { JobSpec } from '../model/job.js';
import { jobKeyString } from '../model/job.js';
import type { Db } from './database.js';

export interface JobRecord {
  spec: JobSpec;
  source: string | null;
  state: 'active' | 'killed';
  cronLastRun: number | null;
  createdAt: number;
  updatedAt: number;
}

interface JobRow {
  spec: string;
  source: string | null;
  state: 'active' | 'killed';
  cron_last_run: number | null;
  created_at: number;
  updated_at: number;
}

const toJob = (r: JobRow): JobRecord => ({
  spec: JSON.parse(r.spec) as JobSpec,
  source: r.source,
  state: r.state,
  cronLastRun: r.cron_last_run,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export function jobRepository(db: Db) {
  const insert = db.prepare(
    `INSERT INTO jobs (profile_id, job_key, spec, source, state, cron_last_run, created_at, updated_at)
     VALUES (?, ?, ?, ?, 'active', NULL, ?, ?)
     ON CONFLICT (profile_id, job_key) DO UPDATE SET
       spec = excluded.spec, source = excluded.source, state = 'active', cron_last_run = NULL,
       created_at = excluded.created_at, updated_at = excluded.updated_at`,
  );
  const all = db.prepare<[string], JobRow>('SELECT * FROM jobs WHERE profile_id = ? ORDER BY job_key');
  const one = db.prepare<[string, string], JobRow>('SELECT * FROM jobs WHERE profile_id = ? AND job_key = ?');
  const setState = db.prepare('UPDATE jobs SET state = ?, updated_at = ? WHERE profile_id = ? AND job_key = ?');
  const setCron = db.prepare('UPDATE jobs SET cron_last_run = ?, updated_at = ? WHERE profile_id = ? AND job_key = ?');

  return {
    /** Creates a job, or replaces a killed one with the same key. */
    put(profileId: string, spec: JobSpec, source: string | null, now: number): void {
      insert.run(profileId, jobKeyString(spec.key), JSON.stringify(spec), source, now, now);
    },
    list(profileId: string): JobRecord[] {
      return all.all(profileId).map(toJob);
    },
    get(profileId: string, key: string): JobRecord | null {
      const r = one.get(profileId, key);
      return r ? toJob(r) : null;
    },
    setState(profileId: string, key: string, state: JobRecord['state'], now: number): void {
      setState.run(state, now, profileId, key);
    },
    setCronLastRun(profileId: string, key: string, at: number): void {
      setCron.run(at, at, profileId, key);
    },
  };
}
export type JobRepository = ReturnType<typeof jobRepository>;
