/**
 * Aurora JSON job files: the files `aurora job create --read-json` reads, parsed into JobSpecs.
 *
 * A file is either `{"jobs": [job, ...]}` or one job object (apache/aurora
 * config/loader.py#loads_json converts the single-job form itself; Aurora clients before 0.12 read
 * only that form). Each job goes through the passes the Aurora client and scheduler apply, so a
 * file accepted here is accepted by a real Aurora and means the same there:
 *   1. shape (job-file-shape.ts against job-file-schema.ts): Pystachio's schema, defaults, and its
 *      refusal of unknown fields;
 *   2. templates (job-file-interpolate.ts): the mustaches the client resolves, leaving the
 *      launch-time ones ({{mesos.instance}}, {{thermos.ports[http]}}, ...) for mustache.ts;
 *   3. types: Pystachio's coercion of each scalar;
 *   4. rules (job-file-validate.ts, job-file-task.ts): identifiers, resources, constraints,
 *      process ordering, cron, and the client's and scheduler's other checks.
 * Every problem is reported with the JSON path it is at (`jobs[0].task.resources.ram`; for the
 * single-job form the path starts at the job: `task.resources.ram`), up to MAX_ERRORS.
 *
 * Stricter than Aurora, on purpose: duplicate keys in a JSON object (Python keeps the last one
 * silently), NaN/Infinity literals, non-whole numbers for integer fields (Python truncates),
 * GPUs, unknown processes in an ordering, a schedule that never fires, and the same job key twice
 * in one file.
 */
import type { JobSpec } from './job.js';
import { jobKeyString } from './job.js';
import { childPath, isObject, parseJson, type Json } from './job-file-json.js';
import { interpolateJob } from './job-file-interpolate.js';
import { jobSchema } from './job-file-schema.js';
import { coerceScalars, normalizeJob, type Issue } from './job-file-shape.js';
import { validateJob } from './job-file-validate.js';

export interface JobFileError {
  /** JSON path of the offending value (`jobs[1].role`); '' for the file as a whole. */
  path: string;
  message: string;
}

export type JobFileResult = { ok: true; jobs: JobSpec[] } | { ok: false; errors: JobFileError[] };

export interface ParseJobFileOptions {
  /** Used for a job without `cluster` (Aurora requires the field; the console knows its cluster). */
  defaultCluster?: string;
  /** The scheduler's -allowed_job_environments (matched against the whole environment); Aurora's default is ^(prod|devel|test|staging\d*)$. */
  allowedEnvironments?: RegExp;
  /** Tiers the scheduler knows; Aurora's default tiers.json has preferred, preemptible, revocable. */
  tiers?: readonly string[];
  /** The tier of a job that names none; Aurora's default is preemptible. */
  defaultTier?: string;
}

export const MAX_ERRORS = 50;

/** `path: message`, the way errors are shown to users. */
export function formatJobFileError(e: JobFileError): string {
  return e.path === '' ? e.message : `${e.path}: ${e.message}`;
}

export function parseJobFile(text: string, options: ParseJobFileOptions = {}): JobFileResult {
  const issues: Issue[] = [];
  const parsed = parseJson(text);
  if (!parsed.ok) {
    const message = `invalid JSON at line ${parsed.line}, column ${parsed.column}: ${parsed.message}`;
    return { ok: false, errors: [{ path: '', message }] };
  }
  for (const d of parsed.duplicates) {
    const message = `duplicate key "${d.key}" (line ${d.line}, column ${d.column}); only one may be given`;
    issues.push({ path: childPath(d.path, d.key), message });
  }

  const entries = jobEntries(parsed.value, issues);
  const validateOptions = {
    allowedEnvironments: options.allowedEnvironments ?? /^(prod|devel|test|staging\d*)$/,
    tiers: options.tiers ?? ['preferred', 'preemptible', 'revocable'],
    defaultTier: options.defaultTier ?? 'preemptible',
  };
  const jobs: JobSpec[] = [];
  const keys = new Map<string, string>();
  for (const { value, path } of entries) {
    if (issues.length >= MAX_ERRORS) break;
    const job = parseJob(value, path, options.defaultCluster, validateOptions, issues);
    if (!job) continue;
    const key = `${job.cluster}/${jobKeyString(job.key)}`;
    const first = keys.get(key);
    if (first !== undefined) {
      issues.push({ path, message: `duplicate job key ${jobKeyString(job.key)}` });
    } else {
      keys.set(key, path);
      jobs.push(job);
    }
  }

  if (issues.length === 0) return { ok: true, jobs };
  const errors = issues.slice(0, MAX_ERRORS);
  if (issues.length > MAX_ERRORS) errors.push({ path: '', message: `too many errors; only the first ${MAX_ERRORS} are shown` });
  return { ok: false, errors };
}

function jobEntries(root: Json, issues: Issue[]): { value: Json; path: string }[] {
  if (!isObject(root)) {
    issues.push({ path: '', message: 'must be a JSON object: one job, or {"jobs": [...]}' });
    return [];
  }
  if (!Object.hasOwn(root, 'jobs')) return [{ value: root, path: '' }];
  // Other top-level keys of the {"jobs": [...]} form are ignored, as loads_json ignores them.
  const list = root.jobs;
  if (!Array.isArray(list)) {
    issues.push({ path: 'jobs', message: 'must be a list of jobs' });
    return [];
  }
  if (list.length === 0) issues.push({ path: 'jobs', message: 'must contain at least one job' });
  return list.map((value, i) => ({ value, path: childPath('jobs', i) }));
}

function parseJob(
  value: Json,
  path: string,
  defaultCluster: string | undefined,
  options: Parameters<typeof validateJob>[2],
  issues: Issue[],
): JobSpec | null {
  let job = value;
  if (isObject(job) && !Object.hasOwn(job, 'cluster') && defaultCluster !== undefined) {
    job = { ...job, cluster: defaultCluster };
  }
  const tree = normalizeJob(job, jobSchema, path, issues);
  if (!tree) return null;
  interpolateJob(tree, path, issues);
  coerceScalars(tree.root, tree, path, issues);
  return validateJob(tree.root, path, options, issues);
}
