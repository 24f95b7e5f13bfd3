import fs from 'node:fs';
import path from 'node:path';
import { ConsoleError } from '../errors.js';

/**
 * Sandboxes on disk, laid out as Mesos + Thermos lay them out on a real agent
 * (shared/reference/aurora.md §6.1, mesos.md §3), so the log viewer finds a task's files the same
 * way in the embedded cluster and on a real cluster:
 *
 *   <agentWorkDir>/slaves/<agentId>/frameworks/<frameworkId>/executors/thermos-<taskId>/
 *     runs/<runId>/{stdout,stderr}                      the executor's own lifecycle lines
 *     runs/<runId>/sandbox/                             cwd of the task's processes
 *     runs/<runId>/sandbox/.logs/<process>/<run>/{stdout,stderr}
 *     runs/latest -> <runId>
 */

export interface SandboxPathsInput {
  agentWorkDir: string;
  agentId: string;
  frameworkId: string;
  taskId: string;
  runId: string;
}

export interface SandboxPaths {
  executorDir: string;
  runDir: string;
  sandboxDir: string;
  latestLink: string;
}

export const executorPrefix = 'thermos-';

/** Ids become path segments; one with a slash or `..` would put files outside the agent's work dir. */
export function assertPathSegment(kind: string, value: string): void {
  if (!/^[\w.-]+$/.test(value) || value === '.' || value === '..') {
    const allowed = `only letters, digits, '_', '-' and '.' may name a sandbox path`;
    throw new ConsoleError('INTERNAL', `Invalid ${kind} "${value}": ${allowed}.`);
  }
}

export function sandboxPaths(i: SandboxPathsInput): SandboxPaths {
  assertPathSegment('agent id', i.agentId);
  assertPathSegment('framework id', i.frameworkId);
  assertPathSegment('task id', i.taskId);
  assertPathSegment('run id', i.runId);
  const executorDir = path.join(i.agentWorkDir, 'slaves', i.agentId, 'frameworks', i.frameworkId, 'executors', executorPrefix + i.taskId);
  const runDir = path.join(executorDir, 'runs', i.runId);
  const latestLink = path.join(executorDir, 'runs', 'latest');
  return { executorDir, runDir, sandboxDir: path.join(runDir, 'sandbox'), latestLink };
}

/**
 * Process names follow Thermos's rule, the one job files are checked against (job-file-task.ts):
 * no '/', no leading '.', so a name is one path segment that cannot climb out, yet may hold
 * spaces and other characters Thermos allows. (NUL cannot be in a path at all.)
 */
export function assertProcessName(name: string): void {
  if (!/^[^./\u0000][^/\u0000]*$/.test(name)) {
    throw new ConsoleError('INTERNAL', `Invalid process name "${name}": it may not contain '/' or start with '.'.`);
  }
}

/** Where Thermos writes one run of one process: `runNumber` starts at 0 and grows with each restart. */
export function processLogDir(sandboxDir: string, processName: string, runNumber: number): string {
  assertProcessName(processName);
  return path.join(sandboxDir, '.logs', processName, String(runNumber));
}

/**
 * Creates the run directory with empty executor logs, and points `runs/latest` at it. The link
 * is relative (survives a moved data folder) and swapped in by rename, so a reader never sees
 * it missing.
 */
export function createSandbox(p: SandboxPaths): void {
  // Readable by this user only: a task's command line and output can hold secrets.
  fs.mkdirSync(p.sandboxDir, { recursive: true, mode: 0o700 });
  for (const name of ['stdout', 'stderr']) fs.closeSync(fs.openSync(path.join(p.runDir, name), 'a', 0o600));
  const temp = `${p.latestLink}.${process.pid}.tmp`;
  fs.rmSync(temp, { force: true });
  fs.symlinkSync(path.basename(p.runDir), temp);
  fs.renameSync(temp, p.latestLink);
}

export interface CollectOptions {
  /** Agent work dirs to scan. */
  roots: readonly string[];
  /** Executor dirs untouched for longer than this go first. */
  maxAgeMs: number;
  /** Then the oldest go until all executor dirs together fit. */
  maxTotalBytes: number;
  isActive(taskId: string): boolean;
  now?: number;
}

export interface CollectResult {
  removed: string[];
  freedBytes: number;
}

interface ExecutorDir {
  dir: string;
  taskId: string;
  bytes: number;
  /** Newest mtime in the tree: when the task last wrote anything. */
  lastWrite: number;
}

/**
 * Sandbox GC, as the Mesos agent does it (--gc_delay, then disk headroom): removes whole executor
 * dirs of tasks that are not active, oldest first — first all older than `maxAgeMs`, then more
 * until the total is at most `maxTotalBytes`. Sizes are file lengths (what the user sees), not
 * allocated blocks. An active task's sandbox is never removed, even if that leaves us over.
 */
export async function collectSandboxes(o: CollectOptions): Promise<CollectResult> {
  const now = o.now ?? Date.now();
  const dirs: ExecutorDir[] = [];
  for (const root of o.roots) {
    for (const dir of await executorDirs(root)) {
      const { bytes, lastWrite } = await measure(dir);
      dirs.push({ dir, taskId: path.basename(dir).slice(executorPrefix.length), bytes, lastWrite });
    }
  }
  dirs.sort((a, b) => a.lastWrite - b.lastWrite);
  let total = dirs.reduce((sum, d) => sum + d.bytes, 0);
  const result: CollectResult = { removed: [], freedBytes: 0 };
  for (const d of dirs) {
    const tooOld = now - d.lastWrite > o.maxAgeMs;
    if (!tooOld && total <= o.maxTotalBytes) break;
    if (o.isActive(d.taskId)) continue;
    await fs.promises.rm(d.dir, { recursive: true, force: true });
    result.removed.push(d.dir);
    result.freedBytes += d.bytes;
    total -= d.bytes;
  }
  return result;
}

async function list(dir: string): Promise<string[]> {
  try {
    return await fs.promises.readdir(dir);
  } catch {
    return [];
  }
}

/** Every <root>/slaves/<agent>/frameworks/<framework>/executors/thermos-<task>. */
async function executorDirs(root: string): Promise<string[]> {
  const found: string[] = [];
  const slaves = path.join(root, 'slaves');
  for (const agent of await list(slaves)) {
    if (agent === 'latest') continue;
    const frameworks = path.join(slaves, agent, 'frameworks');
    for (const fw of await list(frameworks)) {
      const executors = path.join(frameworks, fw, 'executors');
      for (const ex of await list(executors)) {
        if (ex.startsWith(executorPrefix)) found.push(path.join(executors, ex));
      }
    }
  }
  return found;
}

/** Walks without following symlinks (runs/latest points back into the same tree). */
async function measure(dir: string): Promise<{ bytes: number; lastWrite: number }> {
  let bytes = 0;
  let lastWrite = 0;
  const stack = [dir];
  while (stack.length > 0) {
    const current = stack.pop()!;
    let st: fs.Stats;
    try {
      st = await fs.promises.lstat(current);
    } catch {
      continue;
    }
    lastWrite = Math.max(lastWrite, st.mtimeMs);
    if (st.isDirectory()) {
      for (const name of await list(current)) stack.push(path.join(current, name));
    } else if (st.isFile()) {
      bytes += st.size;
    }
  }
  return { bytes, lastWrite };
}
