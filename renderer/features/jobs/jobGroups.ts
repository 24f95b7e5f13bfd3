import type { JobSummary } from '../../../core/contract';

/** A line of the role → environment → job list. */
export type JobTreeRow =
  | { kind: 'role'; id: string; role: string; jobs: number; counts: Record<string, number>; collapsed: boolean }
  | { kind: 'env'; id: string; role: string; environment: string; jobs: number; counts: Record<string, number>; collapsed: boolean }
  | { kind: 'job'; id: string; job: JobSummary };

export interface JobFilter {
  /** Words that must all appear in the job key. */
  text: string;
  /** Only jobs with a current attempt in this state; '' for all. */
  state: string;
}

export function matchesFilter(job: JobSummary, filter: JobFilter): boolean {
  if (filter.state && !(job.taskCounts[filter.state] ?? 0)) return false;
  const words = filter.text.toLowerCase().split(/\s+/).filter(Boolean);
  const key = job.key.toLowerCase();
  return words.every((w) => key.includes(w));
}

function add(into: Record<string, number>, counts: Record<string, number>) {
  for (const [s, n] of Object.entries(counts)) into[s] = (into[s] ?? 0) + n;
}

const order = new Intl.Collator(undefined, { numeric: true });

/**
 * The jobs as the lines of a tree: each role, its environments, their jobs, all in name order.
 * A collapsed group keeps its line (with its totals) and hides what is under it. Groups are
 * ids `role` and `role/environment`.
 */
export function jobTreeRows(jobs: readonly JobSummary[], collapsed: ReadonlySet<string>): JobTreeRow[] {
  const byRole = new Map<string, Map<string, JobSummary[]>>();
  for (const j of jobs) {
    const envs = byRole.get(j.role) ?? new Map<string, JobSummary[]>();
    byRole.set(j.role, envs);
    const list = envs.get(j.environment) ?? [];
    envs.set(j.environment, list);
    list.push(j);
  }
  const rows: JobTreeRow[] = [];
  for (const role of [...byRole.keys()].sort(order.compare)) {
    const envs = byRole.get(role)!;
    const roleCounts: Record<string, number> = {};
    let roleJobs = 0;
    for (const list of envs.values()) {
      roleJobs += list.length;
      for (const j of list) add(roleCounts, j.taskCounts);
    }
    const roleCollapsed = collapsed.has(role);
    rows.push({ kind: 'role', id: role, role, jobs: roleJobs, counts: roleCounts, collapsed: roleCollapsed });
    if (roleCollapsed) continue;
    for (const environment of [...envs.keys()].sort(order.compare)) {
      const list = envs.get(environment)!.sort((a, b) => order.compare(a.name, b.name));
      const counts: Record<string, number> = {};
      for (const j of list) add(counts, j.taskCounts);
      const id = `${role}/${environment}`;
      const envCollapsed = collapsed.has(id);
      rows.push({ kind: 'env', id, role, environment, jobs: list.length, counts, collapsed: envCollapsed });
      if (envCollapsed) continue;
      for (const job of list) rows.push({ kind: 'job', id: job.key, job });
    }
  }
  return rows;
}

/** "service", "cron", or "batch" (Aurora's UI says "adhoc"). */
export function jobType(job: JobSummary): 'service' | 'cron' | 'batch' {
  return job.cron ? 'cron' : job.service ? 'service' : 'batch';
}
