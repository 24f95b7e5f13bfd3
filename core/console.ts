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
import { startEmbeddedRuntime, type EmbeddedRuntime } from './embedded/runtime.js';
import type { ClusterContext } from './handlers/context.js';
import { clusterHandlers } from './handlers/cluster.js';
import { logHandlers, logStreamOpeners } from './handlers/logs.js';
import { clusterEventsOpener, type StreamOpener, type StreamOpeners } from './handlers/streams.js';
import { scalingHandlers } from './handlers/scaling.js';
import { localProvider } from './cloud/local.js';
import type { CloudProvider } from './cloud/provider.js';
import { localIp } from './embedded/cluster.js';
import { createScaling, type Scaling } from './scaling/service.js';
import type { AgentOnMachine } from './scaling/plan.js';
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

  let store: Store | null = null;
  let startupError: ContractError | null = null;
  let profile: Profile | null = null;
  let runtime: EmbeddedRuntime | null = null;
  let provider: CloudProvider | null = null;
  let scaling: Scaling | null = null;
  const actor = safeUserName();
  try {
    store = openStore(file);
    profile = openProfile(store, options, now());
    const opened = { store, profile };
    if (profile.kind !== 'embedded') {
      throw new ConsoleError('PROFILE_NOT_FOUND', `Profile ${profile.name} is a real cluster, which this console cannot open yet.`);
    }
    runtime = startEmbeddedRuntime({
      store,
      profile,
      dataDir: options.dataDir,
      now,
      log,
      onChange: (kind, subject, message) => opened.store.events.append(opened.profile.id, { at: now(), kind, subject, message }),
      ...(options.demoJobsDir === undefined ? {} : { demoJobsDir: options.demoJobsDir }),
      ...(options.embedded?.tickMs === undefined ? {} : { tickMs: options.embedded.tickMs }),
      ...(options.embedded?.graceMs === undefined ? {} : { graceMs: options.embedded.graceMs }),
    });
    const rt = runtime;
    const local = localProvider({
      profileId: profile.id,
      machines: store.machines,
      now,
      bootMs: options.embedded?.bootMs ?? bootMsFrom(process.env),
      ipOf: localIp,
      atomically: (fn) => opened.store.db.transaction(fn)(),
    });
    provider = options.wrapProvider ? options.wrapProvider(local) : local;
    scaling = createScaling({
      store,
      profile,
      provider,
      actor,
      now,
      log,
      agents: () => agentsOnMachines(rt),
      ...(options.scaling?.cancelWindowMs === undefined ? {} : { cancelWindowMs: options.scaling.cancelWindowMs }),
      ...(options.scaling?.pollMs === undefined ? {} : { pollMs: options.scaling.pollMs }),
      ...(options.scaling?.defaultTimeoutMs === undefined ? {} : { defaultTimeoutMs: options.scaling.defaultTimeoutMs }),
      onEvent: (kind, subject, message) => opened.store.events.append(opened.profile.id, { at: now(), kind, subject, message }),
    });
  } catch (e) {
    store?.close();
    store = null;
    runtime = null;
    startupError = isConsoleError(e)
      ? e.toContract()
      : {
          code: 'INTERNAL',
          message: `The console could not open its cluster: ${e instanceof Error ? e.message : String(e)}`,
          hint: `Check that ${options.dataDir} is writable; the full error is in the console's log.`,
        };
    if (!isConsoleError(e)) log('startup failed', e);
  }

  const status: AppStatus = {
    version: options.version,
    host: options.host,
    dataDir: options.dataDir,
    databaseFile: file,
    startupError,
    activeProfile: profile && { id: profile.id, name: profile.name, kind: profile.kind, builtin: profile.builtin },
    startedAt,
  };

  const logs = createLogs();
  const ready = (): ClusterContext => {
    if (!store || !profile || !runtime || !provider || !scaling) throw new ConsoleError(startupError!.code, startupError!.message, startupError!.hint);
    return { store, profile, runtime, provider, scaling, now, actor };
  };

  const handlers: Handlers = {
    'app.status': () => status,
    'profiles.list': () => {
      const { store } = ready();
      return { profiles: store.profiles.list(), activeId: store.profiles.activeId() };
    },
    ...clusterHandlers(ready),
    ...logHandlers(ready, logs),
    ...scalingHandlers(ready),
  };
  const dispatch = createDispatch(handlers, log);

  // One opener per stream of the contract; each throws a ConsoleError when it cannot start.
  const openers: StreamOpeners = {
    'cluster.events': clusterEventsOpener(ready),
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
    ready: Promise.all([runtime?.ready, scaling?.ready]).then(() => undefined),
    async close() {
      await logs.close();
      await scaling?.close();
      provider?.close();
      await runtime?.close();
      store?.close();
    },
  };
}

function openProfile(store: Store, options: ConsoleOptions, at: number): Profile {
  store.profiles.ensure(embeddedProfile, at);
  const id = options.profileId ?? store.profiles.activeId() ?? embeddedProfile.id;
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

/** The agents of the embedded cluster with the tasks each one runs now. */
function agentsOnMachines(rt: EmbeddedRuntime): AgentOnMachine[] {
  return rt.agents().map((a) => ({
    id: a.id,
    hostname: a.hostname,
    ip: a.ip,
    slaveType: a.slaveType,
    tasks: rt.scheduler.activeOn(a.id).map((t) => ({ taskId: t.taskId, jobKey: t.jobKey, instance: t.instance, state: t.state })),
  }));
}

/** How long a new embedded machine takes to boot: 3 s, or CANTAREIRA_BOOT_MS. */
function bootMsFrom(env: NodeJS.ProcessEnv): number {
  const n = Number(env.CANTAREIRA_BOOT_MS);
  return env.CANTAREIRA_BOOT_MS !== undefined && Number.isFinite(n) && n >= 0 ? n : 3000;
}

function safeUserName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}
