import { isObject, text } from './shape.js';
import { timeOfSeconds } from './time.js';
import { mesosTaskStates, type MesosTask, type MesosTaskState, type MesosTaskStatus, type SandboxHint } from './types.js';

/** What v0 and v1 tasks share: states, statuses, the sandbox they run in. */

const knownStates = new Set<string>(mesosTaskStates);

const terminal = new Set<MesosTaskState>([
  'TASK_FINISHED',
  'TASK_FAILED',
  'TASK_KILLED',
  'TASK_ERROR',
  'TASK_LOST',
  'TASK_DROPPED',
  'TASK_GONE',
  'TASK_GONE_BY_OPERATOR',
]);

/** Which of the master's lists a task in `state` belongs in. */
export const listOf = (state: MesosTaskState): MesosTask['list'] =>
  terminal.has(state) ? 'completed' : state === 'TASK_UNREACHABLE' ? 'unreachable' : 'active';

/** A state name; one this console does not know (a newer Mesos) reads as TASK_UNKNOWN. */
export const taskState = (v: unknown): MesosTaskState =>
  typeof v === 'string' && knownStates.has(v) ? (v as MesosTaskState) : 'TASK_UNKNOWN';

/** v1 statuses carry message, reason and source; v0 ones only state and timestamp (they read as null). */
export function statusesOf(v: unknown): MesosTaskStatus[] {
  if (!Array.isArray(v)) return [];
  const out: MesosTaskStatus[] = new Array(v.length);
  let n = 0;
  for (const s of v) {
    if (!isObject(s)) continue;
    out[n++] = {
      state: taskState(s.state),
      at: timeOfSeconds(s.timestamp),
      message: text(s.message),
      reason: text(s.reason),
      source: text(s.source),
      healthy: typeof s.healthy === 'boolean' ? s.healthy : null,
    };
  }
  out.length = n;
  return out;
}

/** The container the newest status names (`container_status.container_id.value`): the run directory's name. */
export function containerIdOf(statuses: unknown): string | null {
  if (!Array.isArray(statuses)) return null;
  for (let i = statuses.length - 1; i >= 0; i--) {
    const s: unknown = statuses[i];
    if (!isObject(s) || !isObject(s.container_status)) continue;
    const id = s.container_status.container_id;
    if (isObject(id) && typeof id.value === 'string' && id.value !== '') return id.value;
  }
  return null;
}

/**
 * The virtual path under which an agent serves the latest run of an executor
 * (`paths::getExecutorVirtualPath`, Mesos ≥ 1.5).
 */
export const latestRunPath = (frameworkId: string, executorId: string) => `/frameworks/${frameworkId}/executors/${executorId}/runs/latest`;

/** A command-executor task (no executor id) runs in an executor named after the task. */
export function sandboxHint(
  taskId: string,
  agentId: string,
  frameworkId: string,
  executorId: string | null,
  containerId: string | null,
): SandboxHint {
  const executor = executorId ?? taskId;
  return { agentId, frameworkId, executorId: executor, latestPath: latestRunPath(frameworkId, executor), containerId };
}
