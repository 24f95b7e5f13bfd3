/**
 * Aurora's Pystachio schema as data: every struct a JSON job may contain, with field types,
 * defaults and required fields, from apache/aurora at HEAD 11ebaeeb0:
 * src/main/python/apache/thermos/config/schema_base.py (Process, Task, Resources, Constraint,
 * Logger) and src/main/python/apache/aurora/config/schema/base.py (MesosJob and the rest).
 *
 * Aurora builds `Job(dict)` from the JSON (config/loader.py#loads_json), and Pystachio raises
 * "Unknown schema attribute" for any key a struct does not declare, at every depth. So a field is
 * accepted here only if the schema declares it; the structs the console does not act on
 * (update_config, health_check_config, announce, container, ...) are still checked for shape, so
 * a file that passes here also loads in the Aurora client.
 *
 * A Choice field accepts only its first alternative from JSON; see `choice` below.
 * "required" marks what Aurora refuses to go without: Pystachio's Required fields, plus
 * `task.processes` (AuroraConfig.validate_job) and `task.resources` (config/thrift.py#convert).
 */

import type { JsonObject } from './job-file-json.js';

export type ScalarType = 'string' | 'integer' | 'float' | 'boolean';

export type FieldSchema =
  | { kind: 'scalar'; type: ScalarType; required?: boolean; default?: string | number | boolean; oneOf?: string[] }
  | { kind: 'struct'; schema: StructSchema; required?: boolean; default?: JsonObject }
  | { kind: 'list'; of: FieldSchema; required?: boolean; default?: [] }
  /** Pystachio Map(String, String). */
  | { kind: 'map'; required?: boolean; default?: Record<string, string> };

export interface StructSchema {
  name: string;
  fields: Record<string, FieldSchema>;
}

type ScalarOpts = { required?: boolean; default?: string | number | boolean; oneOf?: string[] };
const scalar =
  (type: ScalarType) =>
  (opts: ScalarOpts = {}): FieldSchema => ({ kind: 'scalar', type, ...opts });
const S = scalar('string');
const I = scalar('integer');
const F = scalar('float');
const B = scalar('boolean');
const struct = (schema: StructSchema, required = false, dflt?: JsonObject): FieldSchema =>
  dflt ? { kind: 'struct', schema, required, default: dflt } : { kind: 'struct', schema, required };
/**
 * A Pystachio Choice([A, B, ...]). From JSON only the first alternative can be read: Choice tries
 * A(dict) first, and a key A does not declare raises AttributeError, which Choice does not catch
 * (pystachio/choice.py#_unwrap), so the Aurora client fails on e.g. container: {"image": ...}.
 * Checked against Pystachio. The other alternatives are listed for the reader only.
 */
const choice = (first: StructSchema, ..._others: StructSchema[]): FieldSchema => ({ kind: 'struct', schema: first });
/** Lists default to [] where the schema says Default(List(...), []). */
const list = (of: FieldSchema, required = false, empty = false): FieldSchema =>
  empty ? { kind: 'list', of, required, default: [] } : { kind: 'list', of, required };
const map = (dflt?: Record<string, string>): FieldSchema => (dflt ? { kind: 'map', default: dflt } : { kind: 'map' });
const def = (name: string, fields: Record<string, FieldSchema>): StructSchema => ({ name, fields });
const req = { required: true };

export const resourcesSchema = def('Resources', {
  cpu: F(req),
  ram: I(req),
  disk: I(req),
  gpu: I({ default: 0 }),
});

const rotatePolicy = def('RotatePolicy', { log_size: I({ default: 100 * 1024 * 1024 }), backups: I({ default: 5 }) });
const logger = def('Logger', {
  destination: S({ default: 'file', oneOf: ['file', 'console', 'both', 'none'] }),
  mode: S({ default: 'standard', oneOf: ['standard', 'rotate'] }),
  rotate: struct(rotatePolicy),
});

export const processSchema = def('Process', {
  cmdline: S(req),
  name: S(req),
  resources: struct(resourcesSchema),
  max_failures: I({ default: 1 }),
  daemon: B({ default: false }),
  ephemeral: B({ default: false }),
  min_duration: I({ default: 5 }),
  final: B({ default: false }),
  logger: struct(logger),
});

const processConstraint = def('Constraint', { order: list(S()) });

export const taskSchema = def('Task', {
  name: S({ default: '{{processes[0].name}}' }),
  processes: list(struct(processSchema), true),
  constraints: list(struct(processConstraint), false, true),
  resources: struct(resourcesSchema, true),
  max_failures: I({ default: 1 }),
  max_concurrency: I({ default: 0 }),
  finalization_wait: I({ default: 30 }),
  user: S(),
});

const queueStrategy = def('QueueUpdateStrategy', { batch_size: I({ default: 1 }) });
const batchStrategy = def('BatchUpdateStrategy', {
  batch_size: I({ default: 1 }),
  autopause_after_batch: B({ default: false }),
});
const variableBatchStrategy = def('VariableBatchUpdateStrategy', {
  batch_sizes: list(I(), true),
  autopause_after_batch: B({ default: false }),
});
const updateConfig = def('UpdateConfig', {
  batch_size: I({ default: 1 }),
  watch_secs: I({ default: 45 }),
  max_per_shard_failures: I({ default: 0 }),
  max_total_failures: I({ default: 0 }),
  rollback_on_failure: B({ default: true }),
  wait_for_batch_completion: B({ default: false }),
  pulse_interval_secs: I(),
  sla_aware: B({ default: false }),
  update_strategy: choice(queueStrategy, batchStrategy, variableBatchStrategy),
});

const httpHealthChecker = def('HttpHealthChecker', {
  endpoint: S({ default: '/health' }),
  expected_response: S({ default: 'ok' }),
  expected_response_code: I({ default: 0 }),
});
const shellHealthChecker = def('ShellHealthChecker', { shell_command: S(req) });
const healthCheckConfig = def('HealthCheckConfig', {
  health_checker: struct(def('HealthCheckerConfig', { http: struct(httpHealthChecker), shell: struct(shellHealthChecker) }), false, {
    http: {},
  }),
  initial_interval_secs: F({ default: 15 }),
  interval_secs: F({ default: 10 }),
  max_consecutive_failures: I({ default: 0 }),
  min_consecutive_successes: I({ default: 1 }),
  timeout_secs: F({ default: 1 }),
});

const httpLifecycle = def('HttpLifecycleConfig', {
  port: S({ default: 'health' }),
  graceful_shutdown_endpoint: S({ default: '/quitquitquit' }),
  shutdown_endpoint: S({ default: '/abortabortabort' }),
  graceful_shutdown_wait_secs: I({ default: 5 }),
  shutdown_wait_secs: I({ default: 5 }),
});

const announcer = def('Announcer', {
  primary_port: S({ default: 'http' }),
  portmap: map({ aurora: '{{primary_port}}' }),
  zk_path: S(),
});
const parameter = def('Parameter', { name: S(req), value: S(req) });
const docker = def('Docker', { image: S(req), parameters: list(struct(parameter), false, true) });
const mesosContainer = def('Mesos', {
  image: choice(def('AppcImage', { name: S(req), image_id: S(req) }), def('DockerImage', { name: S(req), tag: S(req) })),
  volumes: list(
    struct(def('Volume', { container_path: S(req), host_path: S(req), mode: S({ required: true, oneOf: ['RO', 'RW'] }) })),
    false,
    true,
  ),
});

export const jobSchema = def('Job', {
  name: S({ default: '{{task.name}}' }),
  role: S(req),
  contact: S(),
  cluster: S(req),
  environment: S(req),
  instances: I({ default: 1 }),
  task: struct(taskSchema, true),
  announce: struct(announcer),
  tier: S(),
  cron_schedule: S(),
  cron_collision_policy: S({ default: 'KILL_EXISTING' }),
  update_config: struct(updateConfig, false, {}),
  constraints: map(),
  metadata: list(struct(def('Metadata', { key: S(req), value: S(req) })), false, true),
  service: B({ default: false }),
  max_task_failures: I({ default: 1 }),
  production: B({ default: false }),
  priority: I({ default: 0 }),
  health_check_config: struct(healthCheckConfig, false, {}),
  lifecycle: struct(def('LifecycleConfig', { http: struct(httpLifecycle) }), false, { http: {} }),
  task_links: map(),
  executor_config: struct(def('ExecutorConfig', { name: S({ default: 'AuroraExecutor' }), data: S({ default: '' }) }), false, {}),
  enable_hooks: B({ default: false }),
  partition_policy: struct(def('PartitionPolicy', { reschedule: B({ default: true }), delay_secs: I({ default: 0 }) })),
  sla_policy: choice(
    def('CoordinatorSlaPolicy', { coordinator_url: S(req), status_key: S({ default: 'drain' }) }),
    def('CountSlaPolicy', { count: I(req), duration_secs: I(req) }),
    def('PercentageSlaPolicy', { percentage: F(req), duration_secs: I(req) }),
  ),
  container: choice(def('Container', { docker: struct(docker) }), docker, mesosContainer),
});
