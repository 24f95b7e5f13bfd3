import {
  isStreamName,
  streams,
  type AppStatus,
  type CallResult,
  type ContractError,
  type ParsedStreamInput,
  type Profile,
  type StreamName,
} from './contract/index.js';
import type { ServerStreamMessage } from './contract/stream.js';
import { createDispatch, describeIssues, failure, type Handlers } from './dispatch.js';
import { embeddedProfile } from './embedded/profile.js';
import { openClusterSession, type ClusterSession, type SessionOptions } from './cluster-session.js';
import type { ClusterContext, SessionContext } from './handlers/context.js';
import { profileHandlers } from './handlers/profiles.js';
import { clusterHandlers } from './handlers/cluster.js';
import { logHandlers, logStreamOpeners } from './handlers/logs.js';
import { clusterEventsOpener, type StreamOpener, type StreamOpeners } from './handlers/streams.js';
import { scalingHandlers } from './handlers/scaling.js';
import type { CloudProvider } from './cloud/provider.js';
import { createLogs } from './logs/service.js';
import os from 'node:os';
import { ConsoleError, isConsoleError } from './model/errors.js';
import { databaseFile } from './paths.js';
import { openStore, type Store } from './store/index.js';
import { createStreamSession, type OpenStream } from './stream/session.js';
import type { PumpOptions } from './stream/pump.js';

export interface ConsoleOptions {
  dataDir: string;
  host: AppStatus['host'];
  version: string;
  /** Profile to open instead of the last active one. */
  profileId?: string;
  now?: () => number;
  log?: (msg: string, err?: unknown) => void;
  /** Job files submitted on the first start of the embedded profile. */
  demoJobsDir?: string;
  /** Embedded cluster timings (tests shorten them). */
  embedded?: { tickMs?: number; graceMs?: number; bootMs?: number };
  /** Wraps the cloud provider: the seam fault-injection and crash tests use. */
  wrapProvider?: (provider: CloudProvider) => CloudProvider;
  /** How often a real cluster's Mesos state is read (tests shorten it). */
  mesosPollMs?: number;
  /** Scaling timings (tests shorten them). */
  scaling?: { cancelWindowMs?: number; pollMs?: number; defaultTimeoutMs?: number };
}

export interface Console {
  readonly status: AppStatus;
  dispatch(call: unknown): Promise<CallResult<unknown>>;
  /** A channel's subscriptions: feed it client messages, it posts batches back. */
  openStreamSession(post: (msg: ServerStreamMessage) => void, options?: PumpOptions): ReturnType<typeof createStreamSession>;
  /** Resolves once the embedded cluster has dealt with what a previous run left and scheduling began. */
  readonly ready: Promise<void>;
  /** Stops the cluster's tasks and closes the store. */
  close(): Promise<void>;
}

/**
 * The composition root: opens the store, brings up the active profile's cluster and wires
 * every call of the contract to its handler. Hosts (Electron main, headless) only carry
 * calls and stream messages to and from here.
 *
 * If the store cannot be opened the console still starts: `app.status` says why, and every
 * other call answers with the same error, so the UI can show the user what to do.
 */
export function createConsole(options: ConsoleOptions): Console {
  const now = options.now ?? Date.now;
  const log = options.log ?? ((msg, err) => console.error(msg, err));
  const file = databaseFile(options.dataDir);
  const startedAt = now();
  const actor = safeUserName();
  const sessionOptions: SessionOptions = {
    dataDir: options.dataDir,
    now,
    log,
    actor,
    ...(options.demoJobsDir === undefined ? {} : { demoJobsDir: options.demoJobsDir }),
    ...(options.embedded === undefined ? {} : { embedded: options.embedded }),
    ...(options.scaling === undefined ? {} : { scaling: options.scaling }),
    ...(options.wrapProvider === undefined ? {} : { wrapProvider: options.wrapProvider }),
    ...(options.mesosPollMs === undefined ? {} : { mesosPollMs: options.mesosPollMs }),
  };

  let store: Store | null = null;
  let startupError: ContractError | null = null;
  let session: ClusterSession | null = null;
  try {
    store = openStore(file);
    session = openClusterSession(store, openProfile(store, options.profileId, now()), sessionOptions);
  } catch (e) {
    store?.close();
    store = null;
    startupError = isConsoleError(e)
      ? e.toContract()
      : {
          code: 'INTERNAL',
          message: `The console could not open its cluster: ${e instanceof Error ? e.message : String(e)}`,
          hint: `Check that ${options.dataDir} is writable; the full error is in the console's log.`,
        };
    if (!isConsoleError(e)) log('startup failed', e);
  }

  const summaryOf = (p: Profile) => ({ id: p.id, name: p.name, kind: p.kind, builtin: p.builtin });
  const status: AppStatus = {
    version: options.version,
    host: options.host,
    dataDir: options.dataDir,
    databaseFile: file,
    startupError,
    activeProfile: session && summaryOf(session.profile),
    startedAt,
  };

  const logs = createLogs();
  const unavailable = () =>
    startupError
      ? new ConsoleError(startupError.code, startupError.message, startupError.hint)
      : new ConsoleError('PROFILE_SWITCHING', 'The console is switching cluster profiles.', 'Try again in a moment.');
  const readyStore = () => {
    if (!store) throw unavailable();
    return { store, now };
  };
  const readySession = (): SessionContext => {
    if (!store || !session) throw unavailable();
    return { store, profile: session.profile, provider: session.provider, scaling: session.scaling, now, actor };
  };
  const ready = (): ClusterContext => {
    const ctx = readySession();
    const runtime = session!.runtime;
    if (!runtime) {
      throw new ConsoleError(
        'MESOS_NOT_CONNECTED',
        session!.real
          ? `${ctx.profile.name} is a real cluster, and this console does not read Aurora yet: jobs, tasks and sandboxes are not available.`
          : `${ctx.profile.name} names no Mesos masters, and this console does not read Aurora yet: agents, jobs and sandboxes are not available.`,
        session!.real
          ? 'Agents, the Overview, scaling, holds, instances and the audit log work; open the embedded profile for the rest.'
          : 'Scaling, holds, instances and the audit log work with its AWS account; add the Mesos masters to the profile for its agents.',
      );
    }
    return { ...ctx, runtime };
  };

  // Opening a profile closes the open one first; if the new one fails, the old one comes back.
  let switching: Promise<unknown> = Promise.resolve();
  const serially = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = switching.then(fn);
    switching = next.catch(() => {});
    return next;
  };
  const openOther = async (id: string) => {
    const { store: s } = readyStore();
    const next = s.profiles.get(id);
    if (!next) throw new ConsoleError('PROFILE_NOT_FOUND', `There is no cluster profile ${id}.`, 'Pick one from the list.');
    const previous = session?.profile ?? null;
    if (session) await session.close();
    session = null;
    try {
      session = openClusterSession(s, openProfile(s, id, now()), sessionOptions);
      await session.ready;
    } catch (e) {
      await session?.close().catch(() => {});
      session = previous ? openClusterSession(s, openProfile(s, previous.id, now()), sessionOptions) : null;
      throw e;
    } finally {
      status.activeProfile = session && summaryOf(session.profile);
    }
    return { activeProfile: summaryOf(session.profile) };
  };

  const cluster = clusterHandlers(ready);
  const handlers: Handlers = {
    'app.status': () => status,
    ...profileHandlers(readyStore),
    // Saving the open profile reopens it, so what was saved is what runs.
    'profiles.save': async (input) => {
      const saved = await profileHandlers(readyStore)['profiles.save'](input);
      if (session && saved.profile.id === session.profile.id) await serially(() => openOther(saved.profile.id));
      return saved;
    },
    'profiles.open': ({ id }) => serially(() => openOther(id)),
    ...cluster,
    // A real cluster's agents and overview come from its Mesos master.
    'agents.list': (input) => {
      const real = session?.real;
      if (!real) return cluster['agents.list'](input);
      const attr = input.attribute;
      const known = real.agents();
      const agents = known.agents.filter((a) => (input.slaveType === undefined || a.slaveType === input.slaveType) && (!attr || a.attributes[attr.name] === attr.value));
      return { ...known, agents };
    },
    'overview.get': (input) => {
      const real = session?.real;
      return real ? real.overview() : cluster['overview.get'](input);
    },
    ...logHandlers(ready, logs),
    ...scalingHandlers(readySession),
  };
  const dispatch = createDispatch(handlers, log);

  // One opener per stream of the contract; each throws a ConsoleError when it cannot start.
  const openers: StreamOpeners = {
    'cluster.events': clusterEventsOpener(readySession),
    ...logStreamOpeners(ready, logs),
  };

  const openStream: OpenStream = (name, rawInput, push, fail) => {
    if (!isStreamName(name)) {
      return {
        ok: false,
        error: {
          code: 'CONTRACT_UNKNOWN_STREAM',
          message: `There is no stream named "${name.slice(0, 100)}".`,
          hint: `Known streams: ${Object.keys(streams).join(', ')}.`,
        },
      };
    }
    const parsed = streams[name].input.safeParse(rawInput ?? {});
    if (!parsed.success) {
      return failure({ code: 'CONTRACT_INVALID_INPUT', message: `${name}: ${describeIssues(parsed.error)}` });
    }
    try {
      const open = openers[name] as StreamOpener<StreamName>;
      return { ok: true, close: open(parsed.data as ParsedStreamInput<StreamName>, { push, fail }) };
    } catch (e) {
      if (isConsoleError(e)) return failure(e.toContract());
      log(`stream ${name} failed to start`, e);
      return failure({
        code: 'INTERNAL',
        message: `${name} could not start: ${e instanceof Error ? e.message : String(e)}`,
        hint: 'This is a bug in the console; the full error is in its log.',
      });
    }
  };

  return {
    status,
    dispatch,
    openStreamSession: (post, pumpOptions) => createStreamSession(openStream, post, pumpOptions),
    get ready() {
      return session?.ready ?? Promise.resolve();
    },
    async close() {
      await switching;
      await logs.close();
      await session?.close();
      store?.close();
    },
  };
}

function openProfile(store: Store, profileId: string | undefined, at: number): Profile {
  store.profiles.ensure(embeddedProfile, at);
  const id = profileId ?? store.profiles.activeId() ?? embeddedProfile.id;
  const profile = store.profiles.get(id);
  if (!profile) {
    throw new ConsoleError(
      'PROFILE_NOT_FOUND',
      `There is no cluster profile "${id}".`,
      `Start without --profile to open the embedded cluster, or pick one of: ${store.profiles
        .list()
        .map((p) => p.name)
        .join(', ')}.`,
    );
  }
  store.profiles.setActive(profile.id);
  store.events.append(profile.id, {
    at,
    kind: 'profile.opened',
    subject: profile.id,
    message: `Profile ${profile.name} opened`,
  });
  return profile;
}

function safeUserName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}
