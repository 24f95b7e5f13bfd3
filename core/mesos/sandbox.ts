import { agentGet, jsonOf, type AgentAddress, type AgentOptions } from './agent.js';
import { badResponse } from './failures.js';
import type { Transport } from './http.js';
import { isObject, text, type Json } from './shape.js';
import { latestRunPath } from './task-parts.js';

/**
 * Where an executor's run directory is on its agent, from the agent's own `/state`
 * (`frameworks[].executors[].directory`, the absolute path of the run; reference/mesos.md §3),
 * as the stock web UI finds it. The virtual `runs/latest` path is always given too: it is what
 * to browse when the agent no longer lists the executor (it keeps a bounded number of completed
 * ones) but has not garbage-collected its sandbox yet.
 */

export interface Sandbox {
  agentId: string;
  frameworkId: string;
  executorId: string;
  /** The run directory as the agent attached it (absolute, `…/runs/<containerId>`), or null when the agent does not list the executor. */
  directory: string | null;
  /** `/frameworks/<fw>/executors/<executor>/runs/latest`: the newest run. */
  latest: string;
  /** The directory to open: `directory`, else `latest`; for a task of a DEFAULT executor, its `tasks/<taskId>` inside. */
  root: string;
  containerId: string | null;
  /** DEFAULT (task groups), CUSTOM (e.g. Thermos), or null when not sent. */
  type: string | null;
  /** The executor is running (in `executors`), not completed. */
  running: boolean;
}

interface Found {
  executor: Json;
  running: boolean;
}

/**
 * The sandbox of an executor. `taskId` matters for executors of type DEFAULT only, where each
 * task of a group has its own directory under `tasks/`.
 */
export async function sandboxOf(
  agent: AgentAddress,
  frameworkId: string,
  executorId: string,
  transport: Transport,
  options: AgentOptions & { taskId?: string } = {},
): Promise<Sandbox> {
  const a = await agentGet(agent, transport, '/state', options);
  const state = jsonOf(a);
  if (!isObject(state)) throw badResponse(a.url, 'it is not an agent state (an object)');
  const found = findExecutor(state, frameworkId, executorId);
  const latest = latestRunPath(frameworkId, executorId);
  const directory = found ? text(found.executor.directory) : null;
  const type = found ? text(found.executor.type) : null;
  let root = directory ?? latest;
  if (type === 'DEFAULT' && options.taskId !== undefined) root = `${root}/tasks/${options.taskId}`;
  return {
    agentId: agent.id,
    frameworkId,
    executorId,
    directory,
    latest,
    root,
    containerId: found ? text(found.executor.container) : null,
    type,
    running: found?.running ?? false,
  };
}

/** A running executor first; else the newest completed run (the agent lists them oldest first). */
function findExecutor(state: Json, frameworkId: string, executorId: string): Found | null {
  const frameworks = [...arrayOf(state.frameworks), ...arrayOf(state.completed_frameworks)].filter(
    (f): f is Json => isObject(f) && f.id === frameworkId,
  );
  for (const f of frameworks) {
    const running = arrayOf(f.executors).find((e): e is Json => isObject(e) && e.id === executorId);
    if (running) return { executor: running, running: true };
  }
  for (const f of frameworks) {
    const done = arrayOf(f.completed_executors).filter((e): e is Json => isObject(e) && e.id === executorId);
    if (done.length > 0) return { executor: done[done.length - 1]!, running: false };
  }
  return null;
}

const arrayOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
