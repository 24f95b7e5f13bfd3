import type { Task, TaskEvent } from '../contract/jobs.js';
import type { AuroraStatus, AuroraTask } from '../aurora/types.js';
import type { MesosAgent, MesosTask, MesosTaskState } from '../mesos/types.js';

/**
 * A real cluster's tasks in the console's terms. Aurora knows the job, the instance, the
 * attempts and why a task is pending; the Mesos master knows where it runs, the reason and
 * message of its last status and where its sandbox is. The Mesos task id is Aurora's task id,
 * and Aurora names the Mesos task after its job key (`role/env/name`), so the two meet by id.
 */

/** Mesos states in Aurora's words (how the embedded cluster and Aurora's UI name them). */
const auroraOfMesos: Record<MesosTaskState, AuroraStatus> = {
  TASK_STAGING: 'ASSIGNED',
  TASK_STARTING: 'STARTING',
  TASK_RUNNING: 'RUNNING',
  TASK_KILLING: 'KILLING',
  TASK_FINISHED: 'FINISHED',
  TASK_FAILED: 'FAILED',
  TASK_KILLED: 'KILLED',
  TASK_ERROR: 'FAILED',
  TASK_LOST: 'LOST',
  TASK_DROPPED: 'LOST',
  TASK_UNREACHABLE: 'PARTITIONED',
  TASK_GONE: 'LOST',
  TASK_GONE_BY_OPERATOR: 'LOST',
  TASK_UNKNOWN: 'LOST',
};
export const statusOfMesos = (s: MesosTaskState): AuroraStatus => auroraOfMesos[s];

export const activeMesosStates: ReadonlySet<MesosTaskState> = new Set(['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING']);
const terminal = new Set<AuroraStatus>(['FINISHED', 'FAILED', 'KILLED', 'LOST']);
export const isTerminal = (s: AuroraStatus) => terminal.has(s);

/** `www-data-prod-hello-3-<uuid>` → 3: Aurora's task ids end with the instance and a UUID. */
export function instanceOfTaskId(taskId: string): number | null {
  const m = /-(\d+)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.exec(taskId);
  return m ? Number(m[1]) : null;
}

const isJobKey = (name: string) => /^[\w\-.]+\/[\w\-.]+\/[\w\-.]+$/.test(name);

/**
 * The run directory of a task on its agent's disk, as the agent lays it out
 * (`<work_dir>/slaves/<agent>/frameworks/<fw>/executors/<executor>/runs/<container>`,
 * reference/mesos.md §3): known once a status named the container (a task the stream added
 * gets it with its TASK_UPDATED to STARTING or RUNNING) and the agent's `--work_dir` is known
 * (its `/state`). Until then, the virtual path the agent serves its latest run at.
 */
export function sandboxDirOf(t: Pick<MesosTask, 'agentId' | 'sandbox'>, workDir: string | undefined): string {
  const s = t.sandbox;
  if (!workDir || !s.containerId) return s.latestPath;
  return `${workDir.replace(/\/+$/, '')}/slaves/${t.agentId}/frameworks/${s.frameworkId}/executors/${s.executorId}/runs/${s.containerId}`;
}

/** A task as the Mesos master has it (no Aurora at hand, or a task Aurora no longer lists). */
export function taskOfMesos(t: MesosTask, agent: MesosAgent | undefined, workDir?: string): Task {
  const last = t.statuses.at(-1) ?? null;
  const at = (s: AuroraStatus) => t.statuses.find((x) => statusOfMesos(x.state) === s)?.at?.ms ?? null;
  const state = statusOfMesos(t.state);
  const first = t.statuses[0]?.at?.ms ?? 0;
  return {
    taskId: t.id,
    jobKey: isJobKey(t.name) ? t.name : t.name || t.id,
    instance: instanceOfTaskId(t.id) ?? 0,
    state,
    agentId: t.agentId,
    agentHost: agent?.hostname ?? null,
    ancestorId: null,
    failureCount: 0,
    exitCode: null,
    reason: last?.reason ?? null,
    message: last?.message ?? null,
    pendingReason: null,
    sandboxDir: sandboxDirOf(t, workDir),
    ports: {},
    createdAt: first,
    updatedAt: last?.at?.ms ?? first,
    startedAt: at('RUNNING'),
    endedAt: isTerminal(state) ? (last?.at?.ms ?? null) : null,
  };
}

/**
 * A task as Aurora has it, with what only Mesos knows laid over it: the reason and message of
 * the last status (REASON_CONTAINER_LIMITATION_MEMORY is Mesos' word, not Aurora's) and the
 * sandbox. Aurora's state wins: it is the scheduler's view of the attempt.
 */
export function taskOfAurora(a: AuroraTask, m: MesosTask | undefined, pendingReason: string | null, workDir?: string): Task {
  const first = a.events[0]?.at ?? 0;
  const last = a.events.at(-1) ?? null;
  const reached = (s: AuroraStatus) => a.events.find((e) => e.status === s)?.at ?? null;
  const mesosLast = m?.statuses.at(-1) ?? null;
  return {
    taskId: a.taskId,
    jobKey: a.jobKey,
    instance: a.instance,
    state: a.status,
    agentId: a.agentId,
    agentHost: a.agentHost,
    ancestorId: a.ancestorId,
    failureCount: a.failureCount,
    exitCode: exitCodeOf(last?.message ?? null),
    reason: mesosLast?.reason ?? null,
    message: mesosLast?.message ?? last?.message ?? null,
    pendingReason: a.status === 'PENDING' ? pendingReason : null,
    sandboxDir: m ? sandboxDirOf(m, workDir) : null,
    ports: a.ports,
    createdAt: first,
    updatedAt: last?.at ?? first,
    startedAt: reached('RUNNING'),
    endedAt: isTerminal(a.status) ? (last?.at ?? null) : null,
  };
}

/** Thermos writes "Task exited with status 1"-like messages; nothing else names the code. */
function exitCodeOf(message: string | null): number | null {
  const m = message ? /\b(?:exit(?:ed)?(?: with)? (?:status|code))\s*(-?\d+)/i.exec(message) : null;
  return m ? Number(m[1]) : null;
}

export function eventsOfAurora(a: AuroraTask): TaskEvent[] {
  return a.events.map((e) => ({ at: e.at, state: e.status, message: e.message }));
}

export function eventsOfMesos(t: MesosTask): TaskEvent[] {
  return t.statuses.map((s) => ({
    at: s.at?.ms ?? 0,
    state: statusOfMesos(s.state),
    message: [s.reason, s.message].filter(Boolean).join(': ') || null,
  }));
}
