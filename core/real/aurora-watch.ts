import type { ContractError } from '../contract/errors.js';
import type { JobSummary } from '../contract/jobs.js';
import type { AuroraClient, AuroraJob } from '../aurora/types.js';
import { ConsoleError, isConsoleError } from '../errors.js';
import type { JobsSnapshot } from '../store/snapshots.js';

export interface AuroraWatchOptions {
  client: AuroraClient;
  /** Time between two reads of the job summaries. */
  pollMs: number;
  log: (msg: string, err?: unknown) => void;
  /** Counts of active tasks by state for a job key, from the Mesos master (exact states; Aurora's JobStats lumps them). */
  activeCounts?: (jobKey: string) => Record<string, number> | null;
  snapshot?: { load(): JobsSnapshot | null; save(s: JobsSnapshot): void };
  now: () => number;
}

/** A job summary in the Jobs screen's terms. */
export function jobSummaryOf(j: AuroraJob, active: Record<string, number> | null): JobSummary {
  // JobStats counts every active attempt as "active"; Mesos knows whether each is starting or running.
  const taskCounts: Record<string, number> = {};
  if (j.stats.pending > 0) taskCounts.PENDING = j.stats.pending;
  if (active && Object.keys(active).length > 0) Object.assign(taskCounts, active);
  else if (j.stats.active > 0) taskCounts.RUNNING = j.stats.active;
  return {
    key: j.key,
    role: j.role,
    environment: j.environment,
    name: j.name,
    instances: j.instances,
    service: j.service,
    cron: j.cron,
    tier: j.tier ?? 'preferred',
    priority: j.priority,
    maxTaskFailures: j.maxTaskFailures,
    constraints: j.constraints,
    resources: j.resources,
    state: 'active',
    taskCounts,
    source: null,
    createdAt: null,
  };
}

/**
 * A real cluster's Aurora side: its job summaries, read every `pollMs` (the Jobs screen and
 * the Overview use them); a job's tasks are read when its page is opened. When the scheduler
 * stops answering, the last summaries answer with why; before any read, the last-known ones.
 */
export function watchAurora(o: AuroraWatchOptions) {
  let jobs: { at: number; list: AuroraJob[] } | null = null;
  let failure: ContractError | null = null;
  let inFlight: Promise<void> | null = null;
  let closed = false;
  let lastSaved = 0;
  let saved: JobsSnapshot | null | undefined;

  const summaries = (list: AuroraJob[]) => list.map((j) => jobSummaryOf(j, o.activeCounts?.(j.key) ?? null));

  const read = (): Promise<void> => {
    inFlight ??= (async () => {
      try {
        const list = await o.client.jobs();
        const at = o.now();
        jobs = { at, list };
        failure = null;
        if (at - lastSaved >= 60_000 || lastSaved === 0) {
          lastSaved = at;
          try {
            o.snapshot?.save({ at, jobs: summaries(list) });
          } catch (e) {
            o.log('saving the last-known jobs failed', e);
          }
        }
      } catch (e) {
        failure = isConsoleError(e)
          ? e.toContract()
          : { code: 'AURORA_BAD_RESPONSE', message: `Reading the Aurora jobs failed: ${String(e)}` };
        if (!isConsoleError(e)) o.log('reading the Aurora jobs failed', e);
      } finally {
        inFlight = null;
      }
    })();
    return inFlight;
  };
  const first = read();
  const timer = setInterval(() => {
    if (!closed) void read();
  }, o.pollMs);
  timer.unref();

  return {
    ready: first,
    client: o.client,
    /** The jobs to list, when they were read, and why they are not newer. */
    jobs(): { jobs: JobSummary[]; asOf: number; unreachable?: ContractError } {
      if (jobs) return { jobs: summaries(jobs.list), asOf: jobs.at, ...(failure ? { unreachable: failure } : {}) };
      if (failure) {
        saved ??= o.snapshot?.load() ?? null;
        if (saved)
          return {
            jobs: saved.jobs,
            asOf: saved.at,
            unreachable: {
              ...failure,
              hint: `These are the last-known jobs; they turn live by itself once the scheduler answers.${failure.hint ? ` ${failure.hint}` : ''}`,
            },
          };
        throw new ConsoleError(failure.code, failure.message, failure.hint, failure.details);
      }
      throw new ConsoleError('AURORA_UNREACHABLE', 'The Aurora jobs have not been read yet.', 'Try again in a moment.');
    },
    /** The summary of one job as last read. */
    job: (key: string): AuroraJob | null => jobs?.list.find((j) => j.key === key) ?? null,
    failure: () => failure,
    /** When the jobs were last read (null before the first read answered). */
    asOf: (): number | null => jobs?.at ?? null,
    refresh: read,
    close() {
      closed = true;
      clearInterval(timer);
      if (jobs && jobs.at > lastSaved) {
        try {
          o.snapshot?.save({ at: jobs.at, jobs: summaries(jobs.list) });
        } catch (e) {
          o.log('saving the last-known jobs failed', e);
        }
      }
      o.client.close();
    },
  };
}
export type AuroraWatch = ReturnType<typeof watchAurora>;
