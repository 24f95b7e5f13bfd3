/**
 * One job of a job file, from its typed, interpolated tree to a JobSpec, with the checks Aurora
 * runs on the way: the client (config/thrift.py#convert, client/config.py#validate_config) and the
 * scheduler (configuration/ConfigurationManager.java, cron/CrontabEntry.java, cron/quartz/
 * CronJobManagerImpl.java). Each rule names its source where the message does not.
 */
import { parseCron } from './cron.js';
import type { JsonObject } from './job-file-json.js';
import { childPath, isObject } from './job-file-json.js';
import type { Issue } from './job-file-shape.js';
import { launchOnly, validateTask } from './job-file-task.js';
import type { Constraint, CronCollisionPolicy, JobSpec } from './job.js';

export interface ValidateOptions {
  /** Aurora's default -allowed_job_environments. */
  allowedEnvironments: RegExp;
  /** Tier names the scheduler knows (tiers.json) and the one it gives a job without a tier. */
  tiers: readonly string[];
  defaultTier: string;
}

/** api.thrift GOOD_IDENTIFIER_PATTERN, for role, environment, name and tier. */
const identifierRe = /^[\w\-.]+$/;
const identifierText = '^[\\w\\-.]+$';

const str = (o: JsonObject, k: string): string | undefined => (typeof o[k] === 'string' ? o[k] : undefined);
const num = (o: JsonObject, k: string): number | undefined => (typeof o[k] === 'number' ? o[k] : undefined);

export function validateJob(job: JsonObject, path: string, options: ValidateOptions, issues: Issue[]): JobSpec | null {
  const before = issues.length;
  const at = (key: string) => childPath(path, key);

  const identifier = (key: 'role' | 'environment' | 'name'): string => {
    const v = str(job, key);
    if (v !== undefined && !launchOnly(v, at(key), issues) && !identifierRe.test(v)) {
      issues.push({ path: at(key), message: `must match ${identifierText}` });
    }
    return v ?? '';
  };
  const role = identifier('role');
  const environment = identifier('environment');
  const name = identifier('name');
  // The scheduler matches the whole environment (Java Matcher.matches).
  const allowed = new RegExp(`^(?:${options.allowedEnvironments.source})$`, options.allowedEnvironments.flags.replace(/[gy]/g, ''));
  if (identifierRe.test(environment) && !allowed.test(environment)) {
    const message = `must match ${options.allowedEnvironments.source} (the scheduler's allowed environments)`;
    issues.push({ path: at('environment'), message });
  }

  const cluster = str(job, 'cluster') ?? '';
  if (job.cluster !== undefined && !launchOnly(cluster, at('cluster'), issues) && cluster.trim() === '') {
    issues.push({ path: at('cluster'), message: 'must not be empty' });
  }

  const instances = num(job, 'instances') ?? 1;
  if (instances < 1) issues.push({ path: at('instances'), message: 'must be >= 1' });

  const maxTaskFailures = num(job, 'max_task_failures') ?? 1;
  if (maxTaskFailures < -1) issues.push({ path: at('max_task_failures'), message: 'must be >= -1 (-1 = unlimited)' });

  let tier = options.defaultTier;
  const givenTier = str(job, 'tier');
  if (givenTier !== undefined) {
    tier = givenTier;
    const ok = !launchOnly(givenTier, at('tier'), issues);
    if (ok && !identifierRe.test(givenTier)) issues.push({ path: at('tier'), message: `must match ${identifierText}` });
    else if (ok && !options.tiers.includes(givenTier)) {
      issues.push({ path: at('tier'), message: `unknown tier "${givenTier}" (known: ${options.tiers.join(', ')})` });
    }
  }

  const service = job.service === true;
  const cronSchedule = cronOf(job, service, at('cron_schedule'), issues);
  const cronCollisionPolicy = collisionPolicyOf(job, at('cron_collision_policy'), issues);
  const constraints = constraintsOf(job, role, at('constraints'), issues);
  const dedicated = constraints.some((c) => c.name === 'dedicated');

  const executor = isObject(job.executor_config) ? str(job.executor_config, 'name') : undefined;
  if (executor !== undefined && executor !== 'AuroraExecutor') {
    issues.push({ path: childPath(at('executor_config'), 'name'), message: 'only Thermos tasks (AuroraExecutor) can run here' });
  }
  clientChecks(job, instances, dedicated, path, issues);

  const task = isObject(job.task) ? validateTask(job.task, at('task'), issues) : null;
  if (!task || issues.length > before) return null;
  return {
    key: { role, environment, name },
    cluster,
    instances,
    task: task.task,
    constraints,
    service,
    maxTaskFailures,
    cronSchedule,
    cronCollisionPolicy,
    tier,
    priority: num(job, 'priority') ?? 0,
    ports: [...new Set([...task.ports, ...announcePorts(job, task.ports, at('announce'), issues)])].sort(),
  };
}

/**
 * The ports an Announcer makes the scheduler allocate besides the referenced ones: the portmap
 * values that are names (config/__init__.py#ports, port_resolver.py). A process may not reference
 * a portmap alias ({{thermos.ports[aurora]}} for aurora -> http): JobSpec has no portmap, so the
 * launch could not resolve it.
 */
function announcePorts(job: JsonObject, referenced: string[], path: string, issues: Issue[]): string[] {
  if (!isObject(job.announce) || !isObject(job.announce.portmap)) return [];
  const portmap = job.announce.portmap;
  const resolved = new Map<string, string>();
  for (const name of Object.keys(portmap)) {
    const seen = new Set<string>();
    let root = name;
    while (Object.hasOwn(portmap, root) && !/^\s*[+-]?\d+\s*$/.test(root)) {
      if (seen.has(root)) {
        issues.push({ path: childPath(path, 'portmap'), message: `has a cycle through "${name}"` });
        return [];
      }
      seen.add(root);
      root = String(portmap[root]);
    }
    resolved.set(name, root);
  }
  for (const ref of referenced) {
    const target = resolved.get(ref);
    if (target !== undefined && target !== ref) {
      const message = `processes use {{thermos.ports[${ref}]}}; aliasing it to "${target}" is not supported`;
      issues.push({ path: childPath(childPath(path, 'portmap'), ref), message });
    }
  }
  return [...resolved.values()].filter((v) => !/^\s*[+-]?\d+\s*$/.test(v));
}

function cronOf(job: JsonObject, service: boolean, path: string, issues: Issue[]): string | null {
  const schedule = str(job, 'cron_schedule');
  if (schedule === undefined || launchOnly(schedule, path, issues)) return null;
  const parsed = parseCron(schedule);
  if (!parsed.ok) issues.push({ path, message: parsed.error });
  else if (service) {
    issues.push({ path, message: 'a service may not run on a cron schedule (set service: false or drop cron_schedule)' });
  }
  return schedule;
}

function collisionPolicyOf(job: JsonObject, path: string, issues: Issue[]): CronCollisionPolicy {
  const raw = str(job, 'cron_collision_policy') ?? 'KILL_EXISTING';
  // The client upper-cases it (config/thrift.py#parse_enum).
  const policy = raw.toUpperCase();
  if (policy === 'KILL_EXISTING' || policy === 'CANCEL_NEW') return policy;
  if (policy === 'RUN_OVERLAP') {
    issues.push({ path, message: 'RUN_OVERLAP has been removed from Aurora (AURORA-38); use KILL_EXISTING or CANCEL_NEW' });
  } else {
    issues.push({ path, message: `must be KILL_EXISTING or CANCEL_NEW, got ${JSON.stringify(raw)}` });
  }
  return 'KILL_EXISTING';
}

/** Job.constraints, converted as config/thrift.py#constraints_to_thrift does. */
function constraintsOf(job: JsonObject, role: string, path: string, issues: Issue[]): Constraint[] {
  const out: Constraint[] = [];
  const map = isObject(job.constraints) ? job.constraints : {};
  for (const [name, raw] of Object.entries(map)) {
    const p = childPath(path, name);
    if (typeof raw !== 'string') continue;
    if (name.includes('{{')) {
      issues.push({ path: p, message: 'template variables are not supported in attribute names' });
      continue;
    }
    if (launchOnly(raw, p, issues)) continue;
    if (raw.startsWith('limit:')) {
      const n = raw.slice('limit:'.length);
      if (!/^\d+$/.test(n) || Number(n) < 1) issues.push({ path: p, message: 'limit must be a whole number >= 1' });
      else if (name === 'dedicated') issues.push({ path: p, message: 'a dedicated constraint must be a value constraint' });
      else out.push({ kind: 'limit', name, limit: Number(n) });
      continue;
    }
    const negated = raw.startsWith('!');
    const values = (negated ? raw.slice(1) : raw).split(',');
    if (values.some((v) => v === '')) {
      issues.push({ path: p, message: `must list values separated by commas, without empty ones: ${JSON.stringify(raw)}` });
      continue;
    }
    if (name === 'dedicated') {
      // ConfigurationManager: exactly one value, `role/...` or `*/...`.
      const owner = values[0]!.split('/')[0];
      if (values.length !== 1) issues.push({ path: p, message: 'a dedicated constraint must have exactly one value' });
      else if (owner !== '*' && owner !== role) {
        issues.push({ path: p, message: `only role "${owner}" may use hosts dedicated to "${values[0]}"` });
      }
    }
    out.push({ kind: 'value', name, negated, values: [...new Set(values)] });
  }
  return out;
}

/** client/config.py#validate_config: update, health-check and announce checks the client dies on. */
function clientChecks(job: JsonObject, instances: number, dedicated: boolean, path: string, issues: Issue[]): void {
  const update = isObject(job.update_config) ? job.update_config : {};
  const health = isObject(job.health_check_config) ? job.health_check_config : {};
  const updatePath = childPath(path, 'update_config');
  const maxTotal = num(update, 'max_total_failures') ?? 0;
  if (instances >= 1 && maxTotal >= instances) {
    issues.push({ path: childPath(updatePath, 'max_total_failures'), message: `must be < instances (${instances})` });
  } else if (dedicated && maxTotal < Math.floor(instances * 0.02)) {
    const message = `must be >= 2% of instances for a dedicated job (${Math.floor(instances * 0.02)})`;
    issues.push({ path: childPath(updatePath, 'max_total_failures'), message });
  }
  const nonNegative: [JsonObject, string, string][] = [
    [update, 'watch_secs', 'update_config'],
    [health, 'max_consecutive_failures', 'health_check_config'],
    [health, 'min_consecutive_successes', 'health_check_config'],
    [health, 'initial_interval_secs', 'health_check_config'],
    [health, 'interval_secs', 'health_check_config'],
  ];
  for (const [o, key, parent] of nonNegative) {
    const v = num(o, key);
    if (v !== undefined && v < 0) issues.push({ path: childPath(childPath(path, parent), key), message: 'must be >= 0' });
  }
  const portmap = isObject(job.announce) && isObject(job.announce.portmap) ? job.announce.portmap : {};
  for (const [name, port] of Object.entries(portmap)) {
    if (typeof port === 'string' && /^\s*[+-]?\d+\s*$/.test(port) && !dedicated) {
      const p = childPath(childPath(childPath(path, 'announce'), 'portmap'), name);
      issues.push({ path: p, message: 'a static port needs a dedicated constraint' });
    }
  }
}
