/**
 * The Thermos task of a job, from its typed, interpolated tree to a TaskSpec, with the checks the
 * Aurora client runs (thermos/config/loader.py#ThermosTaskValidator, thermos/common/planner.py,
 * aurora/config/thrift.py#convert for resources).
 */
import type { JsonObject } from './job-file-json.js';
import { childPath, isObject } from './job-file-json.js';
import type { Issue } from './job-file-shape.js';
import type { ProcessSpec, TaskSpec } from './job.js';
import { mustachePattern, referencedPorts, renderCmdline, runtimeRef, TemplateError } from './mustache.js';

const MiB = 1024 * 1024;
const processNameRe = /^[^./][^/]*$/;

/**
 * Whether a value still holds a mustache, reporting a launch-time one (other leftovers were
 * reported by the interpolation pass); used for the fields that cannot wait for launch.
 */
export function launchOnly(value: string, path: string, issues: Issue[]): boolean {
  let found = false;
  for (const m of value.matchAll(mustachePattern())) {
    found = true;
    const r = m[1] ? null : runtimeRef(m[2]!);
    if (r && r !== 'bad-port') {
      issues.push({ path, message: `${m[0]} is only known at launch; only a process cmdline may use it` });
      break;
    }
  }
  return found;
}

const num = (o: JsonObject, k: string): number | undefined => (typeof o[k] === 'number' ? o[k] : undefined);
const bool = (o: JsonObject, k: string): boolean => o[k] === true;

function atLeast(o: JsonObject, key: string, min: number, path: string, issues: Issue[], note = ''): number {
  const v = num(o, key);
  if (v !== undefined && v < min) issues.push({ path: childPath(path, key), message: `must be >= ${min}${note}` });
  return v ?? min;
}

function megabytes(res: JsonObject, key: 'ram' | 'disk', path: string, issues: Issue[]): number {
  const bytes = num(res, key);
  if (bytes === undefined) return 0;
  const p = childPath(path, key);
  if (bytes <= 0) issues.push({ path: p, message: 'must be > 0' });
  else if (bytes < MiB) issues.push({ path: p, message: `must be at least 1 MiB (${MiB} bytes): ${key} is in bytes` });
  // Aurora's client divides with Python 2 integer division: ramMb = ram / MB.
  return Math.floor(bytes / MiB);
}

export interface TaskResult {
  task: TaskSpec;
  ports: string[];
}

export function validateTask(task: JsonObject, path: string, issues: Issue[]): TaskResult | null {
  const before = issues.length;
  const procPath = childPath(path, 'processes');
  const rawProcesses = Array.isArray(task.processes) ? task.processes.filter(isObject) : [];
  if (Array.isArray(task.processes) && task.processes.length === 0) {
    issues.push({ path: procPath, message: 'must list at least one process' });
  }

  const processes: ProcessSpec[] = [];
  const seen = new Set<string>();
  const ports = new Set<string>();
  rawProcesses.forEach((p, i) => {
    const pp = childPath(procPath, i);
    const name = typeof p.name === 'string' ? p.name : '';
    const cmdline = typeof p.cmdline === 'string' ? p.cmdline : '';
    if (!launchOnly(name, childPath(pp, 'name'), issues)) {
      if (!processNameRe.test(name)) issues.push({ path: childPath(pp, 'name'), message: `must match ${processNameRe.source}` });
      else if (seen.has(name)) issues.push({ path: childPath(pp, 'name'), message: `duplicate process name "${name}"` });
    }
    seen.add(name);
    const used = referencedPorts(cmdline);
    used.forEach((port) => ports.add(port));
    try {
      // Aurora renders each process with made-up launch values to catch nested mustaches.
      const ports = Object.fromEntries(used.map((u) => [u, 31000]));
      renderCmdline(cmdline, { instance: 0, hostname: 'host', taskId: 'task', user: 'user', ports });
    } catch (e) {
      if (!(e instanceof TemplateError)) throw e;
      if (/nested/.test(e.message)) issues.push({ path: childPath(pp, 'cmdline'), message: e.message });
    }
    processes.push({
      name,
      cmdline,
      maxFailures: atLeast(p, 'max_failures', 0, pp, issues, ' (0 = retry forever)'),
      daemon: bool(p, 'daemon'),
      ephemeral: bool(p, 'ephemeral'),
      final: bool(p, 'final'),
      minDuration: atLeast(p, 'min_duration', 0, pp, issues),
    });
  });

  const orderings = validateOrderings(task, processes, childPath(path, 'constraints'), issues);

  const resPath = childPath(path, 'resources');
  const res = isObject(task.resources) ? task.resources : null;
  const resources = { cpus: 0, ramMb: 0, diskMb: 0 };
  if (res) {
    resources.cpus = num(res, 'cpu') ?? 0;
    if (num(res, 'cpu') !== undefined && resources.cpus <= 0) {
      issues.push({ path: childPath(resPath, 'cpu'), message: 'must be > 0' });
    }
    resources.ramMb = megabytes(res, 'ram', resPath, issues);
    resources.diskMb = megabytes(res, 'disk', resPath, issues);
    const gpu = num(res, 'gpu') ?? 0;
    if (gpu < 0) issues.push({ path: childPath(resPath, 'gpu'), message: 'must be >= 0' });
    if (gpu > 0) issues.push({ path: childPath(resPath, 'gpu'), message: 'GPUs are not supported by the console (must be 0)' });
  }

  const name = typeof task.name === 'string' ? task.name : '';
  launchOnly(name, childPath(path, 'name'), issues);
  const spec: TaskSpec = {
    name,
    processes,
    orderings,
    resources,
    maxFailures: atLeast(task, 'max_failures', 0, path, issues),
    finalizationWait: atLeast(task, 'finalization_wait', 0, path, issues),
  };
  atLeast(task, 'max_concurrency', 0, path, issues, ' (0 = no limit)');
  if (!res || issues.length > before) return null;
  return { task: spec, ports: [...ports].sort() };
}

/** Task.constraints: process orderings, checked like Thermos's TaskPlanner. */
function validateOrderings(task: JsonObject, processes: ProcessSpec[], path: string, issues: Issue[]): string[][] {
  const byName = new Map(processes.map((p) => [p.name, p]));
  const orderings: string[][] = [];
  const after = new Map<string, Set<string>>();
  const constraints = Array.isArray(task.constraints) ? task.constraints : [];
  constraints.forEach((c, i) => {
    const p = childPath(childPath(path, i), 'order');
    const order = isObject(c) && Array.isArray(c.order) ? c.order.filter((n): n is string => typeof n === 'string') : [];
    if (order.length === 0) {
      issues.push({ path: p, message: 'must name the processes to run in order' });
      return;
    }
    const unknown = order.filter((n) => !byName.has(n));
    for (const n of new Set(unknown)) issues.push({ path: p, message: `unknown process "${n}"` });
    if (unknown.length > 0) return;
    if (new Set(order.map((n) => byName.get(n)!.final)).size > 1) {
      issues.push({ path: p, message: 'may not mix final and non-final processes' });
      return;
    }
    for (let k = 1; k < order.length; k++) {
      const [prev, next] = [byName.get(order[k - 1]!)!, byName.get(order[k]!)!];
      if (prev.daemon) issues.push({ path: p, message: `process "${next.name}" may not depend on daemon process "${prev.name}"` });
      if (prev.ephemeral && !next.ephemeral) {
        issues.push({ path: p, message: `non-ephemeral process "${next.name}" may not depend on ephemeral process "${prev.name}"` });
      }
      if (!after.has(next.name)) after.set(next.name, new Set());
      after.get(next.name)!.add(prev.name);
    }
    orderings.push(order);
  });
  const cycle = findCycle(after);
  if (cycle) issues.push({ path, message: `process ordering has a cycle: ${cycle.join(' -> ')}` });
  return orderings;
}

function findCycle(deps: Map<string, Set<string>>): string[] | null {
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string): string[] | null => {
    if (state.get(n) === 'done') return null;
    if (state.get(n) === 'active') return [...stack.slice(stack.indexOf(n)), n];
    state.set(n, 'active');
    stack.push(n);
    for (const d of deps.get(n) ?? []) {
      const c = visit(d);
      if (c) return c;
    }
    stack.pop();
    state.set(n, 'done');
    return null;
  };
  for (const n of [...deps.keys()].sort()) {
    const c = visit(n);
    if (c) return c.reverse();
  }
  return null;
}
