import type { Agent } from '../contract/agents.js';
import type { ContractError } from '../contract/errors.js';
import type { Task } from '../contract/jobs.js';
import type { Overview } from '../contract/overview.js';
import type { AgentAddress } from '../mesos/agent.js';
import { createMesosClient, type MesosClient } from '../mesos/client.js';
import { snapshotOf, type EventChanges, type LiveState } from '../mesos/events.js';
import type { Sandbox } from '../mesos/sandbox.js';
import type { StreamStatus } from '../mesos/subscribe.js';
import type { MesosAgent, MesosState } from '../mesos/types.js';
import { ConsoleError, isConsoleError } from '../errors.js';
import type { AgentOnMachine } from '../scaling/plan.js';
import type { Snapshot } from '../store/snapshots.js';
import { buildModel, buildModelInSteps, noModelChanges, type LiveModel, type ModelChanges, type StateIndex } from './live-model.js';
import { instanceOfTaskId, statusOfMesos, taskOfMesos } from './tasks.js';

/**
 * The Mesos side of a real cluster, as the screens see it: one live model of the master's state
 * (live-model.ts) that the SUBSCRIBE stream keeps current event by event, in place.
 *
 * Where the model comes from:
 *   - the stream (v1 masters): its SUBSCRIBED snapshot, then its events; drains, deactivations
 *     and the master's own used figures, which have no event, from GET_AGENTS every
 *     `agentsPollMs` (a few MB, never the full state);
 *   - full state reads every `pollMs`, only while the stream is down (connecting, retrying) or
 *     absent (a v0 master); each read replaces the model and says what differs;
 *   - before either, GET_AGENTS alone (a big cluster's agents show before its tasks: `partial`);
 *   - the last-known snapshot (store) while no master has answered since the console started.
 *
 * API (what handlers and the real-cluster backend call):
 *   agents()            the Agents screen's rows, asOf, `unreachable` when not live, `partial`
 *   overview()          capacity per pool, tasks by state, latest failures (recomputed after a change only)
 *   live()              { state, index } — index.taskById / agentById / activeByAgent / activeByName / agents;
 *                       the state is the live one (later events change it in place: read, do not keep)
 *   agent(id), task(id) one agent (also from the GET_AGENTS-first state) / one task in the console's terms
 *   agentsOnMachines()  agents and their active tasks, for scaling plans
 *   sandboxOf(...)      a task's run directory through its agent's /state (and learns the agent's work_dir);
 *                       learnWorkDir(agent, dir) when it is known otherwise; task(id).sandboxDir uses it
 *   whenLive(ms), whenAgents(ms), ready, refresh(), streaming()
 *   freshness()         { live, asOf, error, failure }: live while the stream is live or the last read succeeded
 *   onChange(listener)  batched change sets (at most one per `changeFlushMs`, default 250 ms, while
 *                       things change): agents added or changed, agents removed, tasks added or
 *                       changed (ids), `all` when the whole model was replaced; a freshness change
 *                       is pushed at once (the stream dropping, a read failing, a recovery). Returns
 *                       the stop function.
 *   close()
 */

/** A state with this many tasks or more is indexed in steps (model/steps.ts) before it answers. */
const bigStateTasks = 20_000;

export interface RealClusterOptions {
  masters: readonly string[];
  /** Time between two reads of the master's full state while no stream keeps it current. */
  pollMs: number;
  /** Time between two GET_AGENTS while the stream is live (drains, deactivations). Default 10 s. */
  agentsPollMs?: number;
  /** At most one change set per this while the cluster moves. Default 250 ms. */
  changeFlushMs?: number;
  log: (msg: string, err?: unknown) => void;
  /** Called after each change of which agents there are. */
  onAgents?: () => void;
  /** For tests: another client (loopback masters). */
  client?: MesosClient;
  /** Keep the state current through the v1 SUBSCRIBE stream (default true); polls when it is down. */
  stream?: boolean;
  /** The last-known state: loaded when the masters cannot be read, saved now and then. */
  snapshot?: { load(): Snapshot | null; save(s: Snapshot): void };
  /** States with this many tasks or more are indexed in steps before they answer (default 20,000). */
  indexInStepsFrom?: number;
}

export interface MesosFreshness {
  /** The model is current: the stream is live, or (no stream) the last read succeeded. */
  live: boolean;
  /** When the model was last known current (ms since the epoch); null before anything answered. */
  asOf: number | null;
  /** Why it is not live (null when live). */
  error: ContractError | null;
  /** The last full read's failure, if it failed since (kept for callers of the first API). */
  failure: ContractError | null;
}

export interface MesosChanges {
  /** Agents added, or whose used resources, task count or state changed. */
  agents: string[];
  removedAgents: string[];
  /** Tasks added or changed, or dropped by the master (then absent from `live().index.taskById`). */
  tasks: string[];
  /** The whole model was replaced (a new SUBSCRIBED, or a first read): read everything again. */
  all?: true;
  /** Set when freshness changed: the new one. */
  freshness?: MesosFreshness;
}

export function watchMesos(o: RealClusterOptions) {
  const client = o.client ?? createMesosClient({ masters: o.masters, timeoutMs: 10_000 });
  const bigFrom = o.indexInStepsFrom ?? bigStateTasks;
  let model: LiveModel | null = null;
  /** When the model was last known current. */
  let currentAt: number | null = null;
  let failure: ContractError | null = null;
  let closed = false;
  let inFlight: Promise<void> | null = null;
  let lastSaved = 0;
  const workDirs = new Map<string, string>();

  // Who waits for the first model (a sandbox asked for while a big state is still loading).
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

  // ---- the change feed --------------------------------------------------------------------
  const listeners = new Set<(c: MesosChanges) => void>();
  let pending = noModelChanges();
  let pendingAll = false;
  let flushTimer: NodeJS.Timeout | null = null;
  const emit = (c: MesosChanges) => {
    for (const l of [...listeners]) {
      try {
        l(c);
      } catch (e) {
        o.log('a Mesos change listener failed', e);
      }
    }
  };
  const flushChanges = () => {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = null;
    const p = pending;
    const all = pendingAll;
    pending = noModelChanges();
    pendingAll = false;
    if (!all && p.agents.size + p.removedAgents.size + p.tasks.size === 0) return;
    emit({ agents: [...p.agents], removedAgents: [...p.removedAgents], tasks: [...p.tasks], ...(all ? { all: true as const } : {}) });
  };
  const changed = (c: ModelChanges | 'all') => {
    if (c === 'all') pendingAll = true;
    else {
      for (const id of c.removedAgents) {
        pending.agents.delete(id);
        pending.removedAgents.add(id);
      }
      for (const id of c.agents) {
        pending.removedAgents.delete(id);
        pending.agents.add(id);
      }
      for (const id of c.tasks) pending.tasks.add(id);
      if (c.agents.size + c.removedAgents.size + c.tasks.size === 0) return;
    }
    if (listeners.size > 0) flushTimer ??= setTimeout(flushChanges, o.changeFlushMs ?? 250);
    else {
      pending = noModelChanges();
      pendingAll = false;
    }
  };

  // ---- freshness --------------------------------------------------------------------------
  let streamLive = false;
  let streamError: ContractError | null = null;
  let stream: ReturnType<MesosClient['subscribe']> | null = null;
  /** While the stream is live, every record (a heartbeat too) says the model is current. */
  const noteCurrent = () => {
    const at = streamLive && model ? stream?.status().lastEventAt : null;
    if (at) currentAt = Math.max(currentAt ?? 0, at);
  };
  const freshness = (): MesosFreshness => {
    noteCurrent();
    const live = streamLive || (model !== null && failure === null && streamError === null);
    return {
      live,
      asOf: currentAt,
      error: live ? null : (streamError ?? failure ?? null),
      failure,
    };
  };
  let lastFresh = { live: false, error: null as string | null };
  /** Pushes freshness the moment it changes (not batched: a drop must show within seconds). */
  const freshnessMaybeChanged = () => {
    const f = freshness();
    const key = { live: f.live, error: f.error ? `${f.error.code}:${f.error.message}` : null };
    if (key.live === lastFresh.live && key.error === lastFresh.error) return;
    lastFresh = key;
    // Changes gathered so far go first: they are what the new freshness is about.
    flushChanges();
    emit({ agents: [], removedAgents: [], tasks: [], freshness: f });
  };

  // ---- last-known snapshot ------------------------------------------------------------------
  const save = () => {
    if (!model) return;
    noteCurrent();
    const at = currentAt ?? Date.now();
    lastSaved = at;
    try {
      o.snapshot?.save({ at, agents: model.index.agents.slice(), overview: { ...model.overview(), asOf: at } });
    } catch (e) {
      o.log('saving the last-known state failed', e);
    }
  };
  /** A few MB for a big cluster: written when the agents change, else once a minute (and at close). */
  const maybeSave = (agentsChanged: boolean) => {
    if (agentsChanged || (currentAt ?? 0) - lastSaved >= 60_000) save();
  };

  // ---- models -----------------------------------------------------------------------------
  /** Replaces the model: a read, or a stream's snapshot. Says what differs from the one before. */
  const adopt = (next: LiveModel) => {
    const before = model;
    model = next;
    failure = null;
    currentAt = Math.max(currentAt ?? 0, next.state.fetchedAt);
    wake();
    const diff = before ? differences(before, next) : 'all';
    const agentsChanged = diff === 'all' || diff.removedAgents.size > 0 || [...diff.agents].some((id) => !before!.index.agentById.has(id));
    changed(diff);
    if (agentsChanged) o.onAgents?.();
    maybeSave(agentsChanged);
    freshnessMaybeChanged();
  };

  /** Models built in steps (big states): the newest state waiting is built next, the ones between skipped. */
  let buildingNow = false;
  let nextRead: MesosState | null = null;
  const acceptRead = (s: MesosState) => {
    if (s.tasks.length < bigFrom) return adopt(buildModel(s, { workDirs }));
    nextRead = s;
    if (buildingNow) return;
    buildingNow = true;
    void (async () => {
      try {
        while (nextRead && !closed) {
          const r = nextRead;
          nextRead = null;
          const built = await buildModelInSteps(r, { workDirs });
          // The stream took over meanwhile: its model is newer.
          if (closed || streamLive) break;
          adopt(built);
        }
      } catch (e) {
        failed(e);
      } finally {
        buildingNow = false;
      }
    })();
  };
  const failed = (e: unknown) => {
    failure = isConsoleError(e) ? e.toContract() : { code: 'MESOS_BAD_RESPONSE', message: `Reading the Mesos state failed: ${String(e)}` };
    wake();
    if (!isConsoleError(e)) o.log('reading the Mesos state failed', e);
    freshnessMaybeChanged();
  };

  const read = (): Promise<void> => {
    inFlight ??= (async () => {
      try {
        acceptRead(await client.state());
      } catch (e) {
        failed(e);
      } finally {
        inFlight = null;
      }
    })();
    return inFlight;
  };

  // ---- the stream -------------------------------------------------------------------------
  /** The stream's live state the model follows, and changes that arrived while its model was being built. */
  let following: LiveState | null = null;
  let held: EventChanges[] | null = null;
  /** Bumped for every event batch; which batch last touched each agent (for GET_AGENTS, see reconcile). */
  let batch = 0;
  const touched = new Map<string, number>();
  const touch = (c: ModelChanges) => {
    batch++;
    for (const id of c.agents) touched.set(id, batch);
    for (const id of c.removedAgents) touched.delete(id);
  };

  const onLive = (live: LiveState, changes: EventChanges) => {
    if (closed) return;
    currentAt = Math.max(currentAt ?? 0, live.changedAt);
    if (changes.all || following !== live) {
      following = live;
      // A new SUBSCRIBED: a new model, built from a copy while events go on changing the live state.
      if (live.state.tasks.length < bigFrom) {
        const m = buildModel(live.state, { workDirs, agentPositions: live.agents });
        m.follow(live);
        held = null;
        adopt(m);
        return;
      }
      held = [];
      const copy = snapshotOf(live);
      void buildModelInSteps(copy, { workDirs }).then(
        (m) => {
          if (closed || following !== live || held === null) return;
          m.follow(live);
          const later = held;
          held = null;
          // The changes since the copy: exact, as each names what it touched.
          const merged = noModelChanges();
          for (const c of later) {
            const out = m.apply(c);
            for (const k of ['agents', 'removedAgents', 'tasks'] as const) for (const id of out[k]) merged[k].add(id);
          }
          adopt(m);
          touch(merged);
        },
        (e: unknown) => failed(e),
      );
      return;
    }
    if (held !== null) {
      held.push(changes);
      return;
    }
    if (!model) return;
    const out = model.apply(changes);
    touch(out);
    changed(out);
    if (out.removedAgents.size > 0 || changes.agents.size > 0) o.onAgents?.();
    maybeSave(out.removedAgents.size > 0 || changes.agents.size > 0);
  };

  const onStatus = (st: StreamStatus) => {
    noteCurrent();
    const wasLive = streamLive;
    streamLive = st.phase === 'live';
    if (closed) return;
    if (streamLive) streamError = null;
    else if (wasLive || (st.phase === 'retrying' && st.error)) {
      // Said at once: what is on screen stops being current now.
      const leader = st.leader ?? o.masters.join(', ');
      streamError =
        wasLive || !streamError
          ? {
              code: 'MESOS_STREAM_LOST',
              message: `The event stream from ${leader} dropped, reconnecting${st.error ? ` (${st.error.message})` : ''}.`,
              hint: 'The console finds the leader again and resubscribes; the last state stays on screen, marked with its time, meanwhile.',
            }
          : streamError;
    }
    if (st.phase === 'unavailable') streamError = null; // no v1 API: reads keep the model current instead
    freshnessMaybeChanged();
    // The stream is down: read the state instead (which also says why the masters fail).
    if (st.phase === 'unavailable' || (st.phase === 'retrying' && (wasLive || !model))) void read();
  };

  const startStream = () => {
    if (closed || o.stream === false) return;
    stream = client.subscribe({ onLive, onStatus });
  };

  // ---- GET_AGENTS while the stream is live ------------------------------------------------
  let agentsInFlight = false;
  /** The batch number when the previous GET_AGENTS was sent: untouched since then means its figures and the model's agree in time. */
  let previousSend: number | null = null;
  const pollAgents = async () => {
    if (agentsInFlight || !streamLive || !model || held !== null) return;
    agentsInFlight = true;
    const sentAt = batch;
    const since = previousSend ?? sentAt;
    previousSend = sentAt;
    try {
      const s = await client.agents();
      if (!s || closed || !model || held !== null) return;
      const out = model.reconcile(s.agents, (id) => (touched.get(id) ?? 0) <= since);
      changed(out);
    } catch (e) {
      // The stream says whether the master is gone; a failed poll only waits for the next.
      o.log('reading the Mesos agents (GET_AGENTS) failed', e);
    } finally {
      agentsInFlight = false;
    }
  };

  // With a stream, its SUBSCRIBED snapshot is the first state: reading GET_STATE as well would
  // download a big cluster's state twice at every start.
  const first: Promise<void> = o.stream !== false ? until(() => model !== null || failure !== null, 10 * 60_000) : read();
  // A big cluster's full state takes many seconds to arrive; its agents alone come first, and
  // the stream (hundreds of MB to receive) starts once they are in, so it does not delay them.
  let agentsFirst: MesosState | null = null;
  let agentsFirstIndex: StateIndex | null = null;
  const agentsRead = client
    .agents()
    .then((s) => {
      if (!model && s && !closed) {
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
    if (!closed && !streamLive) void read();
  }, o.pollMs);
  timer.unref();
  const agentsTimer = setInterval(() => void pollAgents(), o.agentsPollMs ?? 10_000);
  agentsTimer.unref();

  const learnWorkDir = (agentId: string, workDir: string) => {
    if (model) model.setWorkDir(agentId, workDir);
    else workDirs.set(agentId, workDir);
    changed({ agents: new Set([agentId]), removedAgents: new Set(), tasks: new Set() });
  };

  let saved: Snapshot | null | undefined;
  const partialIndex = (s: MesosState): StateIndex => {
    agentsFirstIndex ??= buildModel(s, { workDirs }).index;
    return agentsFirstIndex;
  };
  /** Why there is nothing current to answer from: the last-known state with why, or a ConsoleError. */
  const lastKnown = (): { snapshot: Snapshot; why: ContractError } => {
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
  const notLive = (): ContractError | undefined => {
    const f = freshness();
    return f.live ? undefined : (f.error ?? undefined);
  };

  return {
    client,
    ready: first,
    freshness,
    onChange(listener: (c: MesosChanges) => void): () => void {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    agents: (): { agents: Agent[]; asOf: number; unreachable?: ContractError; partial?: true } => {
      const why = notLive();
      if (model)
        return {
          agents: model.index.agents.slice(),
          asOf: freshness().asOf ?? model.state.fetchedAt,
          ...(why ? { unreachable: why } : {}),
        };
      if (agentsFirst && !failure) return { agents: partialIndex(agentsFirst).agents, asOf: agentsFirst.fetchedAt, partial: true };
      const c = lastKnown();
      return { agents: c.snapshot.agents, asOf: c.snapshot.at, unreachable: c.why };
    },
    overview: (): Overview => {
      const why = notLive();
      if (model) return { ...model.overview(), asOf: freshness().asOf ?? model.state.fetchedAt, ...(why ? { unreachable: why } : {}) };
      const c = lastKnown();
      return { ...c.snapshot.overview, unreachable: c.why };
    },
    /** For scaling: the agents and the tasks on each, so a plan names what a removal loses. */
    agentsOnMachines: (): AgentOnMachine[] => {
      if (!model) return [];
      const ix = model.index;
      return [...ix.agentById.values()].map((a) => ({
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
    /** An agent by id, from the model, or from the agents that came before it (GET_AGENTS). */
    agent: (id: string): MesosAgent | undefined =>
      model ? model.index.agentById.get(id) : agentsFirst ? partialIndex(agentsFirst).agentById.get(id) : undefined,
    /** A task in the console's terms, its run directory on the agent's disk once known. */
    task: (taskId: string): Task | undefined => {
      const t = model?.index.taskById.get(taskId);
      return t ? taskOfMesos(t, model!.index.agentById.get(t.agentId), workDirs.get(t.agentId)) : undefined;
    },
    /** The agent's `--work_dir`, once a sandbox lookup read its `/state`. */
    workDirOf: (agentId: string): string | undefined => workDirs.get(agentId),
    /** A task's run directory through its agent's `/state`; what it says of the agent's work_dir is kept. */
    sandboxOf: async (agent: AgentAddress, frameworkId: string, executorId: string, taskId?: string): Promise<Sandbox> => {
      const s = await client.sandboxOf(agent, frameworkId, executorId, taskId);
      const m = s.directory ? /^(.*)\/slaves\/[^/]+\/frameworks\//.exec(s.directory) : null;
      if (m?.[1]) learnWorkDir(agent.id, m[1]);
      return s;
    },
    /** The agent's `--work_dir`, learned elsewhere (its `/state` flags, a run directory): its tasks' run directories use it. */
    learnWorkDir: (agentId: string, workDir: string) => learnWorkDir(agentId, workDir),
    /** The model (null before anything answered). Its state is live: later events change it in place. */
    live: (): { state: MesosState; index: StateIndex } | null => (model ? { state: model.state, index: model.index } : null),
    refresh: read,
    /** The model once there is one: at once when it is, else when the first read answers or fails (null), or after `timeoutMs`. */
    whenLive: (timeoutMs: number): Promise<{ state: MesosState; index: StateIndex } | null> =>
      until(() => model !== null || failure !== null, timeoutMs).then(() => (model ? { state: model.state, index: model.index } : null)),
    /** Resolves once there is something to answer the Agents screen with (agents, the state, or why not), or after `timeoutMs`. */
    whenAgents: (timeoutMs: number): Promise<void> => until(() => model !== null || agentsFirst !== null || failure !== null, timeoutMs),
    /** Whether the SUBSCRIBE stream keeps the model current now. */
    streaming: () => streamLive,
    close() {
      closed = true;
      clearInterval(timer);
      clearInterval(agentsTimer);
      clearTimeout(streamAfter);
      if (flushTimer) clearTimeout(flushTimer);
      listeners.clear();
      wake();
      noteCurrent();
      if (model && (currentAt ?? 0) > lastSaved) save();
      stream?.close();
      client.close();
    },
  };
}
export type MesosWatch = ReturnType<typeof watchMesos>;

/** What a new model (a read) changes against the one before: agents by their rows, tasks by state and statuses. */
function differences(before: LiveModel, next: LiveModel): ModelChanges {
  const out = noModelChanges();
  const rowsBefore = new Map(before.index.agents.map((a) => [a.id, a] as const));
  for (const a of next.index.agents) {
    const b = rowsBefore.get(a.id);
    if (!b || !sameRow(a, b)) out.agents.add(a.id);
    rowsBefore.delete(a.id);
  }
  for (const id of rowsBefore.keys()) out.removedAgents.add(id);
  // Drains and deactivations are not on the rows: the agents themselves say them.
  for (const [id, a] of next.index.agentById) {
    const b = before.index.agentById.get(id);
    if (b && (b.active !== a.active || b.deactivated !== a.deactivated || b.drain !== a.drain)) out.agents.add(id);
  }
  const tasksBefore = before.index.taskById;
  for (const [id, t] of next.index.taskById) {
    const b = tasksBefore.get(id);
    if (!b || b.state !== t.state || b.statuses.length !== t.statuses.length || b.sandbox.containerId !== t.sandbox.containerId)
      out.tasks.add(id);
  }
  for (const id of tasksBefore.keys()) if (!next.index.taskById.has(id)) out.tasks.add(id);
  return out;
}

const sameRow = (a: Agent, b: Agent) =>
  a.activeTasks === b.activeTasks &&
  a.state === b.state &&
  a.used.cpus === b.used.cpus &&
  a.used.memMb === b.used.memMb &&
  a.used.diskMb === b.used.diskMb &&
  a.resources.cpus === b.resources.cpus &&
  a.resources.memMb === b.resources.memMb &&
  a.sandboxRoot === b.sandboxRoot;
