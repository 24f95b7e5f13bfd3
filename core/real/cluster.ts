import { createAuroraClient } from '../aurora/client.js';
import type { AuroraClient } from '../aurora/types.js';
import type { Profile } from '../contract/profiles.js';
import type { SandboxFiles } from '../logs/source.js';
import type { AgentAddress } from '../mesos/agent.js';
import { createMesosClient, type MesosClient } from '../mesos/client.js';
import type { MesosTask } from '../mesos/types.js';
import { ConsoleError } from '../errors.js';
import type { Store } from '../store/index.js';
import { watchAurora, type AuroraWatch } from './aurora-watch.js';
import { watchMesos, type MesosWatch } from './mesos-watch.js';
import { readNetrc } from './netrc.js';
import { statusOfMesos } from './tasks.js';

export interface RealClusterOptions {
  now: () => number;
  log: (msg: string, err?: unknown) => void;
  /** How often the Mesos state is read when no event stream keeps it current (default 15 s). */
  mesosPollMs?: number;
  /** How often Aurora's job summaries are read (default 15 s). */
  auroraPollMs?: number;
  onAgents?: () => void;
  /** Where a task's sandbox was when it was last seen (stored), for when the master cannot say now. */
  lastKnownWhere?: (taskId: string) => StoredWhere | null;
  /** For tests: clients of loopback servers. */
  mesosClient?: MesosClient;
  auroraClient?: AuroraClient;
}

/** Where a task ran, as kept in the store: enough to find its sandbox on its agent without the master. */
export interface StoredWhere {
  agent: AgentAddress;
  frameworkId: string;
  executorId: string;
}

/** Where a task's files are: its agent, and the run directory to browse there. */
export interface TaskSandbox {
  agent: AgentAddress;
  root: string;
  files: SandboxFiles;
}

/** A real cluster: its Mesos master(s) read, its Aurora scheduler read, and where each task's sandbox is. */
export interface RealCluster {
  profile: Profile;
  mesos: MesosWatch | null;
  aurora: AuroraWatch | null;
  /** The sandbox of a task, found through its agent's `/state` (cached briefly: a viewer asks often). */
  sandbox(taskId: string): Promise<TaskSandbox>;
  ready: Promise<void>;
  close(): void;
}

/** How long a task's sandbox location is reused before its agent is asked again. */
const sandboxTtlMs = 30_000;

export function openRealCluster(store: Store, profile: Profile, o: RealClusterOptions): RealCluster {
  let mesos: MesosWatch | null = null;
  if (profile.mesos) {
    const client = o.mesosClient ?? createMesosClient({ masters: profile.mesos.masters, timeoutMs: 10_000 });
    mesos = watchMesos({
      masters: profile.mesos.masters,
      client,
      pollMs: o.mesosPollMs ?? 15_000,
      // Drains, deactivations and lingering executors (no event says so): GET_AGENTS, at most every 10 s.
      agentsPollMs: Math.min(10_000, o.mesosPollMs ?? 15_000),
      log: o.log,
      ...(o.onAgents ? { onAgents: o.onAgents } : {}),
      snapshot: { load: () => store.snapshots.load(profile.id), save: (snap) => store.snapshots.save(profile.id, snap) },
    });
  }
  let aurora: AuroraWatch | null = null;
  if (profile.aurora) {
    const settings = profile.aurora;
    const client =
      o.auroraClient ??
      createAuroraClient({
        url: settings.url,
        protocol: settings.protocol ?? 'auto',
        credentials: settings.credentials === 'none' ? null : readNetrc(settings.url),
        timeoutMs: 10_000,
      });
    const m = mesos;
    aurora = watchAurora({
      client,
      pollMs: o.auroraPollMs ?? 15_000,
      log: o.log,
      now: o.now,
      activeCounts: (key) => {
        const tasks = m?.live()?.index.activeByName.get(key);
        if (!tasks) return null;
        const counts: Record<string, number> = {};
        for (const t of tasks) counts[statusOfMesos(t.state)] = (counts[statusOfMesos(t.state)] ?? 0) + 1;
        return counts;
      },
      snapshot: { load: () => store.snapshots.loadJobs(profile.id), save: (s) => store.snapshots.saveJobs(profile.id, s) },
    });
  }

  const found = new Map<string, { at: number; sandbox: Promise<TaskSandbox> }>();
  const notConnected = () => {
    if (!profile.mesos) {
      return new ConsoleError(
        'MESOS_NOT_CONNECTED',
        `${profile.name} names no Mesos masters, so task sandboxes cannot be found.`,
        'Add the Mesos masters to the profile.',
      );
    }
    // Say what the master did: no answer, a refusal, an answer that could not be read.
    const why = mesos?.freshness().failure;
    return new ConsoleError(
      'MESOS_NOT_CONNECTED',
      why
        ? `The task's sandbox cannot be found: the Mesos master of ${profile.name} could not be read (${why.message})`
        : `The Mesos master of ${profile.name} has not answered yet, so task sandboxes cannot be found.`,
      'Sandboxes open again once a master answers.',
    );
  };
  type Where = Pick<MesosTask, 'agentId' | 'frameworkId' | 'sandbox'>;
  /**
   * Where a task ran, while a big cluster's full state is still on its way (many seconds; its
   * agents come first): the master answers for the one task at once. Null when it cannot say.
   */
  const early = async (m: MesosWatch, taskId: string): Promise<Where | null> => {
    await m.whenAgents(10_000);
    if (m.live()) return null;
    const t = await m.client.task(taskId).catch((e: unknown) => {
      o.log(`asking the master for task ${taskId} failed; waiting for the full state`, e);
      return null;
    });
    return t && m.agent(t.agentId) ? t : null;
  };
  /** The agent a task was last seen on, asked directly: its logs stay reachable while the agent is up, master or not. */
  const fromStore = async (taskId: string, m: MesosWatch, why: ConsoleError): Promise<TaskSandbox> => {
    const where = o.lastKnownWhere?.(taskId);
    if (!where) throw why;
    const sandbox = await m.sandboxOf(where.agent, where.frameworkId, where.executorId, taskId);
    return { agent: where.agent, root: sandbox.root, files: m.client.files(where.agent, sandbox.root) };
  };
  const locate = async (taskId: string): Promise<TaskSandbox> => {
    if (!mesos) throw notConnected();
    const m = mesos;
    // With the master out of reach (or not knowing the task any more), the store may still know its agent.
    if (m.freshness().failure && !m.live()?.index.taskById.has(taskId) && o.lastKnownWhere?.(taskId))
      return fromStore(taskId, m, notConnected());
    try {
      return await locateLive(taskId);
    } catch (e) {
      if (e instanceof ConsoleError && (e.code === 'MESOS_NOT_CONNECTED' || e.code === 'TASK_NOT_FOUND') && o.lastKnownWhere?.(taskId)) {
        return fromStore(taskId, m, e);
      }
      throw e;
    }
  };
  const locateLive = async (taskId: string): Promise<TaskSandbox> => {
    if (!mesos) throw notConnected();
    let task: Where | null | undefined = mesos.live()?.index.taskById.get(taskId);
    if (!task && !mesos.live()) task = await early(mesos, taskId);
    if (!task) {
      const live = mesos.live() ?? (await mesos.whenLive(60_000));
      if (!live) throw notConnected();
      task = live.index.taskById.get(taskId);
      if (!task && aurora)
        task = await fromAurora(taskId, aurora, live.state.frameworks.find((f) => f.name.toLowerCase() === 'aurora')?.id ?? null);
    }
    if (!task) {
      throw new ConsoleError(
        'TASK_NOT_FOUND',
        `Neither the Mesos master nor Aurora knows task ${taskId}.`,
        'It may have been pruned; open its job instead.',
      );
    }
    const a = mesos.agent(task.agentId);
    if (!a) {
      throw new ConsoleError(
        'SANDBOX_GONE',
        `Task ${taskId} ran on agent ${task.agentId}, which the Mesos master no longer lists.`,
        'Its machine is gone, and its sandbox with it.',
      );
    }
    const agent: AgentAddress = { id: a.id, hostname: a.hostname, ip: a.ip, port: a.port };
    const sandbox = await mesos.sandboxOf(agent, task.frameworkId, task.sandbox.executorId, taskId);
    return { agent, root: sandbox.root, files: mesos.client.files(agent, sandbox.root) };
  };

  return {
    profile,
    mesos,
    aurora,
    sandbox(taskId) {
      const now = o.now();
      const hit = found.get(taskId);
      if (hit && now - hit.at < sandboxTtlMs) return hit.sandbox;
      const sandbox = locate(taskId);
      found.set(taskId, { at: now, sandbox });
      // A failure is not kept: the next look asks again (the agent may be back).
      sandbox.catch(() => found.delete(taskId));
      if (found.size > 500) found.delete(found.keys().next().value!);
      return sandbox;
    },
    ready: Promise.all([mesos?.ready, aurora?.ready]).then(() => undefined),
    close() {
      mesos?.close();
      aurora?.close();
    },
  };
}

/** A task the master no longer lists (it keeps a bounded number of completed ones): where Aurora says it ran. */
async function fromAurora(
  taskId: string,
  aurora: AuroraWatch,
  frameworkId: string | null,
): Promise<Pick<MesosTask, 'agentId' | 'frameworkId' | 'sandbox'> | undefined> {
  if (!frameworkId) return undefined;
  const [t] = await aurora.client.tasks({ taskIds: [taskId] });
  if (!t?.agentId) return undefined;
  // Aurora's executor is Thermos, and it names the executor after the task.
  const executorId = `thermos-${taskId}`;
  return {
    agentId: t.agentId,
    frameworkId,
    sandbox: {
      agentId: t.agentId,
      frameworkId,
      executorId,
      latestPath: `/frameworks/${frameworkId}/executors/${executorId}/runs/latest`,
      containerId: null,
    },
  };
}
