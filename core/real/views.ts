import type { AuroraJobKey, AuroraTask } from '../aurora/types.js';
import type { CallOutput, Capabilities, ContractError, Profile, Task } from '../contract/index.js';
import { ConsoleError, isConsoleError } from '../errors.js';
import type { MesosTask } from '../mesos/types.js';
import { isTerminal, statusOfMesos, taskOfAurora } from './tasks.js';

/** The real cluster's views in the screens' terms: pure functions of what Aurora and the master said. */

type JobDetail = CallOutput<'jobs.get'>;

export const keyOf = (key: string): AuroraJobKey => {
  const [role = '', environment = '', name = ''] = key.split('/');
  return { role, environment, name };
};

/** Errors that mean "out of reach now", after which the last-known state is served instead. */
export const outOfReach = new Set<string>([
  'AURORA_UNREACHABLE',
  'AURORA_NO_LEADER',
  'AURORA_BAD_RESPONSE',
  'MESOS_UNREACHABLE',
  'MESOS_NO_LEADER',
  'MESOS_BAD_RESPONSE',
  'MESOS_NOT_CONNECTED',
  'AGENT_UNREACHABLE',
]);
export const isOutOfReach = (e: unknown): e is ConsoleError => isConsoleError(e) && outOfReach.has(e.code);

export function capabilitiesOf(profile: Profile): Capabilities {
  const yes = { ok: true, reason: null };
  const noMesos = 'The profile names no Mesos masters: edit it and add their URLs.';
  const noAurora = 'The profile names no Aurora scheduler: edit it and set its URL.';
  return {
    agents: profile.mesos ? yes : { ok: false, reason: noMesos },
    jobs: profile.aurora ? yes : { ok: false, reason: noAurora },
    createJobs: {
      ok: false,
      reason: 'Submit jobs to a real Aurora with the Aurora client: aurora job create <cluster>/<role>/<env>/<name> <file> --read-json',
    },
    jobCommands: profile.aurora ? yes : { ok: false, reason: noAurora },
    machines: profile.aws ? yes : { ok: false, reason: 'The profile names no AWS account: edit it and set its AWS profile and region.' },
    observer: profile.mesos ? yes : { ok: false, reason: noMesos },
    noAgentsHint:
      'The Mesos master of this profile reports no registered agents. Check that the agents are running and ' +
      'can reach the master (its /master/slaves endpoint lists them), then refresh.',
    label: 'Mesos cluster',
    local: false,
  };
}

/**
 * A task as Aurora last had it, with the master's newer word on its state: a status the
 * master has from after Aurora's last event (a kill it just carried out) is what the task is now.
 */
export function liveTaskOf(a: AuroraTask, m: MesosTask | undefined, pendingReason: string | null, workDir?: string): Task {
  const t = taskOfAurora(a, m, pendingReason, workDir);
  const last = m?.statuses.at(-1)?.at?.ms ?? null;
  if (!m || last === null || last <= t.updatedAt || m.id !== a.taskId) return t;
  const state = statusOfMesos(m.state);
  if (state === t.state) return t;
  return {
    ...t,
    state,
    pendingReason: null,
    updatedAt: last,
    startedAt: t.startedAt ?? (state === 'RUNNING' ? last : null),
    endedAt: isTerminal(state) ? last : null,
  };
}

/**
 * The current attempt of each instance first, then the ones before it (newest first). The
 * current one is the attempt no other attempt replaced (Aurora names the one it replaced as
 * `ancestorId`); among several, the newest.
 */
export function instancesOf(tasks: Task[]): JobDetail['instances'] {
  const byInstance = new Map<number, Task[]>();
  for (const t of tasks) {
    const list = byInstance.get(t.instance);
    if (list) list.push(t);
    else byInstance.set(t.instance, [t]);
  }
  return [...byInstance.entries()]
    .sort(([a], [b]) => a - b)
    .map(([instance, attempts]) => {
      const replaced = new Set(attempts.map((t) => t.ancestorId).filter((id): id is string => id !== null));
      const sorted = attempts.sort(
        (a, b) =>
          Number(replaced.has(a.taskId)) - Number(replaced.has(b.taskId)) || b.createdAt - a.createdAt || (a.taskId < b.taskId ? 1 : -1),
      );
      return { instance, current: sorted[0]!, history: sorted.slice(1) };
    });
}

export const stillReading: ContractError = {
  code: 'MESOS_UNREACHABLE',
  message: 'The Mesos state is still being read (a big cluster takes a while).',
  hint: 'It shows by itself once it has arrived.',
};
export const auroraFirstRead: ContractError = {
  code: 'AURORA_UNREACHABLE',
  message: 'The Aurora jobs have not been read yet.',
  hint: 'They show by themselves once the scheduler answers.',
};
