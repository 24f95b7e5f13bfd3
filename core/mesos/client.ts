import type { SandboxFiles } from '../logs/source.js';
import { isConsoleError } from '../errors.js';
import type { AgentAddress } from './agent.js';
import { agentSandboxFiles, type AgentFilesOptions } from './files.js';
import { createTransport, type TransportOptions } from './http.js';
import { discoverLeader, type Leader } from './leader.js';
import { sandboxOf, type Sandbox } from './sandbox.js';
import { fetchAgents, fetchState, fetchTask, type StateOptions } from './state.js';
import { subscribe, type SubscribeOptions, type Subscription } from './subscribe.js';
import type { StateFeed } from './state-feed.js';
import { createStateWorker } from './state-worker.js';
import type { MesosState, MesosTask } from './types.js';

/**
 * One Mesos cluster: its masters, the leader once found, its agents' files. The leader is
 * cached; a state fetch that finds it gone (no answer, or 503) looks for the leader again once.
 */

export interface MesosClientOptions extends TransportOptions {
  masters: readonly string[];
  /** Agent requests (browse, read, /state): an agent that does not answer within this is AGENT_UNREACHABLE. Default 5 s. */
  agentTimeoutMs?: number;
  state?: Omit<StateOptions, 'signal'>;
  files?: AgentFilesOptions;
}

export interface MesosClient {
  leader(refresh?: boolean): Promise<Leader>;
  /**
   * The full state; when it cannot be read whole, a `degraded` one put together from GET_AGENTS
   * (or /master/slaves) and the paged /master/tasks (state.ts fetchState).
   */
  state(signal?: AbortSignal): Promise<MesosState>;
  /** The agents only: v1 GET_AGENTS, or `/master/slaves` from a master without the v1 API; null when neither is there. */
  agents(signal?: AbortSignal): Promise<MesosState | null>;
  /** One task by id (`/master/tasks?task_id=`), or null when the master does not list it. */
  task(taskId: string, signal?: AbortSignal): Promise<MesosTask | null>;
  sandboxOf(agent: AgentAddress, frameworkId: string, executorId: string, taskId?: string): Promise<Sandbox>;
  files(agent: AgentAddress, root: string): SandboxFiles;
  /** Live updates (v1 SUBSCRIBE) from whichever master leads; closed with the client too. */
  subscribe(options: Omit<SubscribeOptions, 'masters' | 'transport'>): Subscription;
  close(): void;
}

export function createMesosClient(options: MesosClientOptions): MesosClient {
  const masters = createTransport(options);
  const agents = createTransport({ ...options, timeoutMs: options.agentTimeoutMs ?? options.timeoutMs ?? 5000 });
  let current: Promise<Leader> | null = null;
  const subscriptions = new Set<Subscription>();
  // Big states are parsed in this client's own thread, started at the first big state, ended by close().
  const stateWorker = options.state?.worker ?? createStateWorker();

  const leader = (refresh = false): Promise<Leader> => {
    if (refresh || current === null) {
      const found = discoverLeader(options.masters, masters);
      current = found;
      // A failed discovery is not cached: the next call asks again.
      found.catch(() => {
        if (current === found) current = null;
      });
    }
    return current;
  };

  return {
    leader,
    async state(signal) {
      const opts: StateOptions = { ...options.state, worker: stateWorker };
      if (signal) opts.signal = signal;
      const first = await leader();
      try {
        return await fetchState(first.url, masters, opts);
      } catch (e) {
        if (!isConsoleError(e) || (e.code !== 'MESOS_UNREACHABLE' && e.code !== 'MESOS_NO_LEADER')) throw e;
        const again = await leader(true);
        return fetchState(again.url, masters, opts);
      }
    },
    async agents(signal) {
      const first = await leader();
      try {
        return await fetchAgents(first.url, masters, signal ? { signal } : {});
      } catch (e) {
        if (!isConsoleError(e) || (e.code !== 'MESOS_UNREACHABLE' && e.code !== 'MESOS_NO_LEADER')) throw e;
        return fetchAgents((await leader(true)).url, masters, signal ? { signal } : {});
      }
    },
    async task(taskId, signal) {
      const first = await leader();
      try {
        return await fetchTask(first.url, masters, taskId, signal ? { signal } : {});
      } catch (e) {
        if (!isConsoleError(e) || (e.code !== 'MESOS_UNREACHABLE' && e.code !== 'MESOS_NO_LEADER')) throw e;
        return fetchTask((await leader(true)).url, masters, taskId, signal ? { signal } : {});
      }
    },
    sandboxOf: (agent, frameworkId, executorId, taskId) =>
      sandboxOf(agent, frameworkId, executorId, agents, { ...options.files, ...(taskId === undefined ? {} : { taskId }) }),
    files: (agent, root) => agentSandboxFiles(agent, root, agents, options.files),
    subscribe(o) {
      // A big cluster's SUBSCRIBED snapshot is parsed in the state worker, as its GET_STATE is
      // (where no thread can start, it is joined and parsed here, as a small one is).
      const parseSnapshot = stateWorker.available
        ? { parseSnapshot: (feed: StateFeed, url: string) => stateWorker.parseSubscribed(feed, url, Date.now()) }
        : {};
      const s = subscribe({ ...parseSnapshot, ...o, masters: options.masters, transport: masters });
      subscriptions.add(s);
      return {
        status: s.status,
        close() {
          subscriptions.delete(s);
          s.close();
        },
      };
    },
    close() {
      for (const s of subscriptions) s.close();
      subscriptions.clear();
      masters.close();
      agents.close();
      if (stateWorker !== options.state?.worker) void stateWorker.close();
    },
  };
}
