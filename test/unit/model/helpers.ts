import { expect } from 'vitest';
import { formatJobFileError, parseJobFile, type ParseJobFileOptions } from '../../../core/model/job-file.js';
import type { JobSpec } from '../../../core/model/job.js';

export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;

type Obj = Record<string, unknown>;

/** A small valid Aurora job; `over` replaces top-level fields, `task` task fields. */
export function job(over: Obj = {}, task: Obj = {}): Obj {
  return {
    cluster: 'embedded',
    role: 'www-data',
    environment: 'prod',
    name: 'hello',
    task: {
      name: 'hello',
      processes: [{ name: 'hello', cmdline: 'echo hello' }],
      resources: { cpu: 0.5, ram: 128 * MiB, disk: 256 * MiB },
      ...task,
    },
    ...over,
  };
}

export function parseOk(file: unknown, options?: ParseJobFileOptions): JobSpec[] {
  const r = parseJobFile(typeof file === 'string' ? file : JSON.stringify(file), options);
  if (!r.ok) expect.fail(`expected the file to parse, got:\n${r.errors.map(formatJobFileError).join('\n')}`);
  return r.jobs;
}

/** The errors of a file that must not parse, as `path: message` lines. */
export function errorsOf(file: unknown, options?: ParseJobFileOptions): string[] {
  const r = parseJobFile(typeof file === 'string' ? file : JSON.stringify(file), options);
  if (r.ok) expect.fail('expected the file to be rejected');
  return r.errors.map(formatJobFileError);
}

/** The errors of `{"jobs": [one job]}`. */
export const jobErrors = (j: Obj, options?: ParseJobFileOptions): string[] => errorsOf({ jobs: [j] }, options);
