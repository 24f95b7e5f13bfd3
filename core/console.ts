import { isStreamName, streams, type AppStatus, type CallResult, type ContractError, type Profile } from './contract/index.js';
import type { ServerStreamMessage } from './contract/stream.js';
import { createDispatch, describeIssues, failure, type Handlers } from './dispatch.js';
import { startEmbeddedCluster } from './embedded/cluster.js';
import { embeddedProfile } from './embedded/profile.js';
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
}

export interface Console {
  readonly status: AppStatus;
  dispatch(call: unknown): Promise<CallResult<unknown>>;
  /** A channel's subscriptions: feed it client messages, it posts batches back. */
  openStreamSession(post: (msg: ServerStreamMessage) => void, options?: PumpOptions): ReturnType<typeof createStreamSession>;
  close(): void;
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
  try {
    store = openStore(file);
    profile = openProfile(store, options, now());
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

  const status: AppStatus = {
    version: options.version,
    host: options.host,
    dataDir: options.dataDir,
    databaseFile: file,
    startupError,
    activeProfile: profile && { id: profile.id, name: profile.name, kind: profile.kind, builtin: profile.builtin },
    startedAt,
  };

  const ready = (): { store: Store; profile: Profile } => {
    if (!store || !profile) throw new ConsoleError(startupError!.code, startupError!.message, startupError!.hint);
    return { store, profile };
  };

  const handlers: Handlers = {
    'app.status': () => status,
    'profiles.list': () => {
      const { store } = ready();
      return { profiles: store.profiles.list(), activeId: store.profiles.activeId() };
    },
    'agents.list': (input) => {
      const { store, profile } = ready();
      let agents = store.agents.list(profile.id, input.slaveType);
      const attr = input.attribute;
      if (attr) agents = agents.filter((a) => a.attributes[attr.name] === attr.value);
      return { agents, asOf: now() };
    },
  };
  const dispatch = createDispatch(handlers, log);

  const openStream: OpenStream = (name, rawInput, push) => {
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
    let ctx: { store: Store; profile: Profile };
    try {
      ctx = ready();
    } catch (e) {
      return failure((e as ConsoleError).toContract());
    }
    // Only one stream so far: cluster events, replayed from the cursor then live.
    const profileId = ctx.profile.id;
    let last = parsed.data.after ?? 0;
    const deliver = (events: { id: number }[]) => {
      const fresh = events.filter((e) => e.id > last);
      if (fresh.length === 0) return;
      last = fresh[fresh.length - 1]!.id;
      push(fresh, String(last));
    };
    for (;;) {
      const page = ctx.store.events.after(profileId, last, 1000);
      deliver(page);
      if (page.length < 1000) break;
    }
    const off = ctx.store.events.onAppend((pid, e) => {
      if (pid === profileId) deliver([e]);
    });
    return { ok: true, close: off };
  };

  return {
    status,
    dispatch,
    openStreamSession: (post, pumpOptions) => createStreamSession(openStream, post, pumpOptions),
    close() {
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
  if (profile.kind === 'embedded') startEmbeddedCluster(store, profile, options.dataDir, at);
  store.events.append(profile.id, {
    at,
    kind: 'profile.opened',
    subject: profile.id,
    message: `Profile ${profile.name} opened`,
  });
  return profile;
}
