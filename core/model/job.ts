/**
 * Aurora's job model, as the console uses it for the embedded scheduler and for a real Aurora.
 * Field meanings follow Aurora's Pystachio schema (shared/reference/aurora.md §1); resources are
 * kept in MiB like Aurora's thrift TaskConfig (ramMb, diskMb), converted from the job file's bytes.
 */

export interface JobKey {
  role: string;
  environment: string;
  name: string;
}

/** `role/environment/name`. */
export function jobKeyString(k: JobKey): string {
  return `${k.role}/${k.environment}/${k.name}`;
}

export function parseJobKey(s: string): JobKey | null {
  const parts = s.split('/');
  if (parts.length !== 3 || parts.some((p) => !/^[\w\-.]+$/.test(p))) return null;
  const [role, environment, name] = parts as [string, string, string];
  return { role, environment, name };
}

export interface ProcessSpec {
  name: string;
  /** Runs in `bash -c`; may hold the mustaches {{mesos.instance}}, {{mesos.hostname}}, {{thermos.task_id}}, {{thermos.ports[name]}}. */
  cmdline: string;
  /** Failed runs allowed before the process counts as failed; 0 = retry forever. */
  maxFailures: number;
  /** Restarted even after exit 0. */
  daemon: boolean;
  /** Does not count toward task completion. */
  ephemeral: boolean;
  /** Runs in the finalization stage, after the others. */
  final: boolean;
  /** Seconds between restarts at most once per (Thermos min_duration). */
  minDuration: number;
}

export interface Resources {
  cpus: number;
  ramMb: number;
  diskMb: number;
}

export interface TaskSpec {
  name: string;
  processes: ProcessSpec[];
  /** Process ordering constraints: each list runs in sequence (Thermos `order(a, b, ...)`). */
  orderings: string[][];
  resources: Resources;
  /** Failed processes that fail the task (Thermos Task.max_failures). */
  maxFailures: number;
  /** Seconds the task has to finish its final processes after being told to stop. */
  finalizationWait: number;
}

export type Constraint =
  /** The host must carry `name` with one of `values` (or, negated, with none of them). */
  | { kind: 'value'; name: string; negated: boolean; values: string[] }
  /** At most `limit` active tasks of this job on hosts sharing one value of `name`. */
  | { kind: 'limit'; name: string; limit: number };

export type CronCollisionPolicy = 'KILL_EXISTING' | 'CANCEL_NEW';

export interface JobSpec {
  key: JobKey;
  cluster: string;
  instances: number;
  task: TaskSpec;
  constraints: Constraint[];
  service: boolean;
  /** -1 = unlimited. */
  maxTaskFailures: number;
  cronSchedule: string | null;
  cronCollisionPolicy: CronCollisionPolicy;
  tier: string;
  priority: number;
  /** Named ports the processes reference as {{thermos.ports[name]}}, to be allocated from the agent. */
  ports: string[];
}
