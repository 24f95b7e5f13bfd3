import {
  isStreamName,
  streams,
  type AppStatus,
  type CallResult,
  type ContractError,
  type ParsedStreamInput,
  type Profile,
  type ProfileDraft,
  type StreamName,
} from './contract/index.js';
import type { ServerStreamMessage } from './contract/stream.js';
import { createDispatch, describeIssues, failure, type Handlers } from './dispatch.js';
import { embeddedProfile } from './embedded/profile.js';
import { openClusterSession, type ClusterSession, type SessionOptions } from './cluster-session.js';
import type { SessionContext } from './handlers/context.js';
import { profileHandlers, saveCommandLineCluster, type CommandLineCluster } from './handlers/profiles.js';
import { clusterChangesOpener, clusterHandlers } from './handlers/cluster.js';
import { logHandlers, logStreamOpeners, type TaskLogSource } from './handlers/logs.js';
import { testConnection } from './backend/connection.js';
import type { MesosState } from './mesos/types.js';
import { clusterEventsOpener, type StreamOpener, type StreamOpeners } from './handlers/streams.js';
import { scalingHandlers } from './handlers/scaling.js';
import type { CloudProvider } from './cloud/provider.js';
import { createLogs } from './logs/service.js';
import os from 'node:os';
import { ConsoleError, isConsoleError } from './errors.js';
import { databaseFile } from './paths.js';
import { openStore, type Store } from './store/index.js';
import { createStreamSession, type OpenStream } from './stream/session.js';
import type { PumpOptions } from './stream/pump.js';

export interface ConsoleOptions {
  dataDir: string;
  host: AppStatus['host'];
  version: string;
  /** Profile to open instead of the last active one: its id or its name. */
  profileId?: string;
  /** A real cluster named on the command line: its profile is created or updated, then opened. */
  connect?: CommandLineCluster;
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
  /** How often a real cluster's Aurora jobs are read (tests shorten it). */
  auroraPollMs?: number;
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
    ...(options.auroraPollMs === undefined ? {} : { auroraPollMs: options.auroraPollMs }),
  };

  let store: Store | null = null;
  let startupError: ContractError | null = null;
  let session: ClusterSession | null = null;
  try {
    store = openStore(file);
    store.profiles.ensure(embeddedProfile, now());
    const wanted = options.connect ? saveCommandLineCluster(store, options.connect, now()).id : options.profileId;
    session = openClusterSession(store, openProfile(store, wanted, now()), sessionOptions);
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
    capabilities: session?.backend.capabilities ?? null,
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
    const { profile, provider, scaling, backend } = session;
    return { store, profile, provider, scaling, backend, now, actor };
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
      status.capabilities = session?.backend.capabilities ?? null;
    }
    return { activeProfile: summaryOf(session.profile) };
  };

  // Every kind of cluster answers the same calls through its backend; the logs too.
  const source: TaskLogSource = async (taskId) => logs.over(await readySession().backend.sandbox(taskId));

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
    'profiles.test': async (input) => {
      const { store: s } = readyStore();
      let draft: ProfileDraft;
      let liveState: () => MesosState | null = () => null;
      if ('id' in input) {
        const p = s.profiles.get(input.id);
        if (!p) throw new ConsoleError('PROFILE_NOT_FOUND', `There is no profile ${input.id}.`, 'Pick one from the list.');
        draft = { name: p.name, kind: p.kind, pools: p.pools, aws: p.aws, mesos: p.mesos, aurora: p.aurora };
        if (session?.profile.id === p.id) liveState = () => session?.liveMesosState() ?? null;
      } else {
        draft = input.profile;
      }
      return { checks: await testConnection(draft, { liveState, now }) };
    },
    ...clusterHandlers(readySession),
    ...logHandlers(source),
    ...scalingHandlers(readySession),
  };
  const dispatch = createDispatch(handlers, log);

  // One opener per stream of the contract; each throws a ConsoleError when it cannot start.
  const openers: StreamOpeners = {
    'cluster.events': clusterEventsOpener(readySession),
    'cluster.changes': clusterChangesOpener(readySession),
    ...logStreamOpeners(source),
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
  // `--profile` takes what people remember (the name) as well as the id.
  const profile = store.profiles.get(id) ?? store.profiles.byName(id);
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
