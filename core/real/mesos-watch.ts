import type { Agent } from '../contract/agents.js';
import type { ContractError } from '../contract/errors.js';
import type { Overview } from '../contract/overview.js';
import { createMesosClient, type MesosClient } from '../mesos/client.js';
import type { MesosAgent, MesosState } from '../mesos/types.js';
import { ConsoleError, isConsoleError } from '../errors.js';
import type { AgentOnMachine } from '../scaling/plan.js';
import type { Snapshot } from '../store/snapshots.js';
import { indexState, indexStateInSteps, overviewOfIndex, type StateIndex } from './state-index.js';
import { instanceOfTaskId, statusOfMesos } from './tasks.js';

/** A state with this many tasks or more is indexed in steps (model/steps.ts) before it answers. */
const bigStateTasks = 20_000;

export interface RealClusterOptions {
  masters: readonly string[];
  /** Time between two reads of the master's state. */
  pollMs: number;
  log: (msg: string, err?: unknown) => void;
  /** Called after each read that changed what the agents are. */
  onAgents?: () => void;
  /** For tests: another client (loopback masters). */
  client?: MesosClient;
  /** Keep the state current through the v1 SUBSCRIBE stream (default true); polls when it is down. */
  stream?: boolean;
  /** The last-known state: loaded when the masters cannot be read, saved after each read. */
  snapshot?: { load(): Snapshot | null; save(s: Snapshot): void };
  /** States with this many tasks or more are indexed in steps before they answer (default 20,000). */
  indexInStepsFrom?: number;
}

/**
 * A real cluster's Mesos side as the screens see it: the master's state, read every `pollMs`
 * from the leader (found again when it changes). Until the first read answers, calls say why;
 * after a failed read the last state is kept and the failure reported beside it.
 */
export function watchMesos(o: RealClusterOptions) {
  const client = o.client ?? createMesosClient({ masters: o.masters, timeoutMs: 10_000 });
  let state: MesosState | null = null;
  let failure: ContractError | null = null;
  let closed = false;
  let inFlight: Promise<void> | null = null;
  let lastSaved = 0;
  let indexed: { state: MesosState; index: StateIndex } | null = null;

  // Who waits for the first full state (a sandbox asked for while a big state is still loading).
  let waiting: (() => void)[] = [];
  const wake = () => {
    for (const w of [...waiting]) w();
  };
  /** Resolves when `ready()` holds, checked at each wake, or after `timeoutMs`. */
  const until = (ready: () => boolean, timeoutMs: number): Promise<void> =>
    new Promise((resolve) => {
      if (ready()) return resolve();
      const check = () => {
        if (ready() || closed) {
          clearTimeout(timer);
          waiting = waiting.filter((w) => w !== check);
          resolve();
        }
      };
      const timer = setTimeout(() => {
        waiting = waiting.filter((w) => w !== check);
        resolve();
      }, timeoutMs);
      timer.unref();
      waiting.push(check);
    });
  const save = (s: MesosState) => {
    lastSaved = s.fetchedAt;
    try {
      o.snapshot?.save({ at: s.fetchedAt, agents: agentsOf(s), overview: overviewOf(s) });
    } catch (e) {
      o.log('saving the last-known state failed', e);
    }
  };
  /**
   * A new state (a read, or the stream's latest). A big one is indexed in steps first (100,000
   * tasks: 85-130 ms in one go), the state before it answering meanwhile; states arriving while
   * one is indexed replace each other, the newest is indexed next.
   */
  let waitingToIndex: MesosState | null = null;
  let indexingNow = false;
  const accept = (next: MesosState) => {
    // A small one is indexed when first asked (view), as before.
    if (next.tasks.length < (o.indexInStepsFrom ?? bigStateTasks)) return accepted(next);
    waitingToIndex = next;
    if (indexingNow) return;
    indexingNow = true;
    void (async () => {
      try {
        while (waitingToIndex && !closed) {
          const s = waitingToIndex;
          waitingToIndex = null;
          const index = await indexStateInSteps(s);
          if (closed) break;
          indexed = { state: s, index };
          accepted(s);
        }
      } catch (e) {
        failed(e);
      } finally {
        indexingNow = false;
      }
    })();
  };
  /** An indexed state: it answers from now on, and is saved as the last-known one now and then. */
  const accepted = (next: MesosState) => {
    const changed = !state || state.agents.length !== next.agents.length || next.agents.some((a, i) => a.id !== state!.agents[i]?.id);
    state = next;
    failure = null;
    wake();
    if (changed) o.onAgents?.();
    // A few MB for a big cluster: written when the agents change, else once a minute (and at close).
    if (changed || next.fetchedAt - lastSaved >= 60_000) save(next);
  };
  const failed = (e: unknown) => {
    failure = isConsoleError(e) ? e.toContract() : { code: 'MESOS_BAD_RESPONSE', message: `Reading the Mesos state failed: ${String(e)}` };
    wake();
    if (!isConsoleError(e)) o.log('reading the Mesos state failed', e);
  };

  const read = (): Promise<void> => {
    inFlight ??= (async () => {
      try {
        accept(await client.state());
      } catch (e) {
        failed(e);
      } finally {
        inFlight = null;
      }
    })();
    return inFlight;
  };
  /**
   * Live updates: the SUBSCRIBE stream keeps the state current, event by event; while it is
   * live, polling only re-reads now and then (drains and deactivations have no event). When it
   * is down (connecting, retrying, or no v1 API) the state is polled as before, which is also
   * what sets the failure the screens show.
   */
  let streamLive = false;
  let stream: ReturnType<MesosClient['subscribe']> | null = null;
  const startStream = () => {
    if (closed || o.stream === false) return;
    stream = client.subscribe({
      onState: (next) => accept(next),
      onStatus: (st) => {
        const wasLive = streamLive;
        streamLive = st.phase === 'live';
        if (closed) return;
        // The stream is down: read the state instead (which also says why the masters fail).
        if (st.phase === 'unavailable' || (st.phase === 'retrying' && (wasLive || !state))) void read();
      },
    });
  };
  // With a stream, its SUBSCRIBED snapshot is the first state: reading GET_STATE as well would
  // download a big cluster's state twice at every start.
  const first: Promise<void> = o.stream !== false ? until(() => state !== null || failure !== null, 10 * 60_000) : read();
  let ticks = 0;
  // A big cluster's full state takes many seconds to arrive; its agents alone come first, and
  // the stream (hundreds of MB to receive) starts once they are in, so it does not delay them.
  let agentsFirst: MesosState | null = null;
  const agentsRead = client
    .agents()
    .then((s) => {
      if (!state && s && !closed) {
        agentsFirst = s;
        o.onAgents?.();
        wake();
      }
    })
    .catch(() => {});
  const streamAfter = setTimeout(startStream, 5_000);
  streamAfter.unref();
  void agentsRead.then(() => {
    if (stream === null && !closed) {
      clearTimeout(streamAfter);
      startStream();
    }
  });
  const timer = setInterval(() => {
    ticks++;
    if (!closed && (!streamLive || ticks % 8 === 0)) void read();
  }, o.pollMs);
  timer.unref();

  let saved: Snapshot | null | undefined;
  /**
   * What to answer from: the state read, else (the masters out of reach since the console
   * started) the last-known state with why it is not newer, else the reason there is none.
   */
  const current = (allowPartial = false): { state: MesosState; partial?: true } | { snapshot: Snapshot; why: ContractError } => {
    if (state) return { state };
    if (allowPartial && agentsFirst && !failure) return { state: agentsFirst, partial: true };
    const f = failure ?? {
      code: 'MESOS_UNREACHABLE' as const,
      message: 'The Mesos state is still being read (a big cluster takes a while).',
      hint: 'It shows by itself once it has arrived.',
    };
    if (failure) {
      saved ??= o.snapshot?.load() ?? null;
      if (saved)
        return {
          snapshot: saved,
          why: {
            ...failure,
            hint: `This is the last-known state; it turns live by itself once a master answers.${failure.hint ? ` ${failure.hint}` : ''}`,
          },
        };
    }
    throw new ConsoleError(f.code, f.message, f.hint, f.details);
  };

  const view = (s: MesosState): StateIndex => {
    if (indexed?.state !== s) indexed = { state: s, index: indexState(s) };
    return indexed.index;
  };
  const agentsOf = (s: MesosState): Agent[] => view(s).agents;
  const overviewOf = (s: MesosState): Overview => overviewOfIndex(s, view(s));

  return {
    client,
    ready: first,
    /** When the state answering calls was read, and the last read's failure if it failed since. */
    freshness: () => ({ asOf: state?.fetchedAt ?? null, failure }),
    agents: (): { agents: Agent[]; asOf: number; unreachable?: ContractError; partial?: true } => {
      const c = current(true);
      if ('state' in c)
        return {
          agents: agentsOf(c.state),
          asOf: c.state.fetchedAt,
          ...(failure ? { unreachable: failure } : {}),
          ...(c.partial ? { partial: true as const } : {}),
        };
      return { agents: c.snapshot.agents, asOf: c.snapshot.at, unreachable: c.why };
    },
    overview: (): Overview => {
      const c = current();
      if ('state' in c) return { ...overviewOf(c.state), ...(failure ? { unreachable: failure } : {}) };
      return { ...c.snapshot.overview, unreachable: c.why };
    },

    /** For scaling: the agents and the tasks on each, so a plan names what a removal loses. */
    agentsOnMachines: (): AgentOnMachine[] => {
      if (!state) return [];
      const ix = view(state);
      return state.agents.map((a) => ({
        id: a.id,
        hostname: a.hostname,
        ip: a.ip,
        slaveType: a.slaveType ?? '',
        tasks: (ix.activeByAgent.get(a.id) ?? []).map((t) => ({
          taskId: t.id,
          jobKey: t.name,
          instance: instanceOfTaskId(t.id) ?? 0,
          state: statusOfMesos(t.state),
        })),
      }));
    },
    /** An agent by id, from the state, or from the agents that came before it (GET_AGENTS). */
    agent: (id: string): MesosAgent | undefined => {
      const from = state ?? agentsFirst;
      return from ? view(from).agentById.get(id) : undefined;
    },
    /** The state read last (null before the first read answered): what sandboxes and task views look things up in. */
    live: (): { state: MesosState; index: StateIndex } | null => (state ? { state, index: view(state) } : null),
    refresh: read,
    /** The state once read: at once when it is, else when the first read answers or fails (null), or after `timeoutMs`. */
    whenLive: (timeoutMs: number): Promise<{ state: MesosState; index: StateIndex } | null> =>
      until(() => state !== null || failure !== null, timeoutMs).then(() => (state ? { state, index: view(state) } : null)),
    /** Resolves once there is something to answer the Agents screen with (agents, the state, or why not), or after `timeoutMs`. */
    whenAgents: (timeoutMs: number): Promise<void> => until(() => state !== null || agentsFirst !== null || failure !== null, timeoutMs),
    /** Whether the SUBSCRIBE stream keeps the state current now. */
    streaming: () => streamLive,
    close() {
      closed = true;
      clearInterval(timer);
      clearTimeout(streamAfter);
      wake();
      if (state && state.fetchedAt > lastSaved) save(state);
      stream?.close();
      client.close();
    },
  };
}
export type MesosWatch = ReturnType<typeof watchMesos>;
