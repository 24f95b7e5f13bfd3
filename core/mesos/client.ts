import type { SandboxFiles } from '../logs/source.js';
import { isConsoleError } from '../model/errors.js';
import type { AgentAddress } from './agent.js';
import { agentSandboxFiles, type AgentFilesOptions } from './files.js';
import { createTransport, type TransportOptions } from './http.js';
import { discoverLeader, type Leader } from './leader.js';
import { sandboxOf, type Sandbox } from './sandbox.js';
import { fetchState, type StateOptions } from './state.js';
import type { MesosState } from './types.js';

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
  state(signal?: AbortSignal): Promise<MesosState>;
  sandboxOf(agent: AgentAddress, frameworkId: string, executorId: string, taskId?: string): Promise<Sandbox>;
  files(agent: AgentAddress, root: string): SandboxFiles;
  close(): void;
}

export function createMesosClient(options: MesosClientOptions): MesosClient {
  const masters = createTransport(options);
  const agents = createTransport({ ...options, timeoutMs: options.agentTimeoutMs ?? options.timeoutMs ?? 5000 });
  let current: Promise<Leader> | null = null;

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
      const opts: StateOptions = { ...options.state };
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
    sandboxOf: (agent, frameworkId, executorId, taskId) =>
      sandboxOf(agent, frameworkId, executorId, agents, { ...options.files, ...(taskId === undefined ? {} : { taskId }) }),
    files: (agent, root) => agentSandboxFiles(agent, root, agents, options.files),
    close() {
      masters.close();
      agents.close();
    },
  };
}
