import { ConsoleError, isConsoleError } from '../errors.js';
import {
  applyEvent,
  decodeEvent,
  defaultHeartbeatSeconds,
  liveStateInSteps,
  liveStateOf,
  noChanges,
  snapshotOf,
  type EventChanges,
  stateOfSubscribed,
  type LiveOptions,
  type LiveState,
} from './events.js';
import { answered, badResponse, masterUnreachable, unauthorized } from './failures.js';
import { TransportError, type HttpAnswer, type HttpStream, type Transport } from './http.js';
import { discoverLeader, resolveLocation, withEc2Ip } from './leader.js';
import { RecordIoDecoder, RecordIoError, type RecordSink } from './recordio.js';
import { ShapeError } from './shape.js';
import { StateFeed } from './state-feed.js';
import type { MesosState } from './types.js';

/**
 * Live updates from the leading master: v1 `SUBSCRIBE` (reference/mesos.md §2). The first
 * record is SUBSCRIBED with the whole state, then events and a HEARTBEAT every
 * `heartbeat_interval_seconds`. The state is delivered after SUBSCRIBED and then at most every
 * `flushMs` while events arrive (a burst of 10,000 updates is one delivery, not 10,000).
 *
 * Whatever ends a stream (the master ends it or dies, the connection drops, silence past
 * 5 × the heartbeat, a 503 while masters elect) leads to the same recovery: find the leader
 * again over all masters and subscribe anew, waiting 0.5 s, doubling to 15 s, back to 0.5 s
 * after a good SUBSCRIBED. A master that lost leadership exits (Mesos aborts on lost
 * leadership), so its stream ends and the next discovery finds the new leader. A master with no
 * v1 API (404/405) cannot stream at all: the status says so and the subscription stops, the
 * caller keeps polling the state.
 */

export type StateWhy = 'subscribed' | 'events';

export interface StreamStatus {
  /** `unavailable` and `closed` are final: nothing more is attempted. */
  phase: 'connecting' | 'live' | 'retrying' | 'unavailable' | 'closed';
  /** A stream is open and SUBSCRIBED arrived on it. */
  connected: boolean;
  /** The leader's URL last subscribed to (or being tried). */
  leader: string | null;
  /** When the last record (event or heartbeat) arrived, ms since the epoch. */
  lastEventAt: number | null;
  /** Why the stream is not live (or, while live, an event that could not be read). */
  error?: ConsoleError;
  /** While retrying: how long until the next attempt. */
  retryInMs?: number;
}

export interface SubscribeOptions {
  masters: readonly string[];
  transport: Transport;
  /** The state as of now, a copy (its arrays) per delivery. Ignored when `onLive` is given. */
  onState?: (state: MesosState, why: StateWhy) => void;
  /**
   * Instead of `onState`: the live state itself, which later events keep changing in place (no
   * copy per delivery), with what changed since the last delivery (`all` after a SUBSCRIBED).
   */
  onLive?: (live: LiveState, changes: EventChanges, why: StateWhy) => void;
  onStatus?: (status: StreamStatus) => void;
  /** At most one `onState` per this while events arrive. Default 250 ms. */
  flushMs?: number;
  /** Waits between attempts: initial, doubled up to max. Default 500 ms and 15 s. */
  retryMs?: { initial?: number; max?: number };
  /** Silence of this many heartbeat intervals ends the stream. Default 5 (the docs' advice). */
  silenceFactor?: number;
  /** Until the answer's head arrives. Default the transport's timeout. */
  connectTimeoutMs?: number;
  maxRecordBytes?: number;
  live?: LiveOptions;
  /**
   * Parses a big SUBSCRIBED record (the whole state) off the main thread, in the client's state
   * worker: its bytes go to the thread as they arrive (`feed`), never joined or scanned here
   * (joining 290 MB and finding the state in it held the main thread for over a second); records
   * arriving meanwhile are held and applied after it, in order. Without it, or for a small
   * record, it is parsed here.
   */
  parseSnapshot?: (feed: StateFeed, url: string) => Promise<{ state: MesosState; heartbeatSeconds: number | null }>;
}

/** A SUBSCRIBED record bigger than this goes to `parseSnapshot`. */
const offThreadSnapshotBytes = 1024 * 1024;

export interface Subscription {
  status(): StreamStatus;
  /** Stops the stream and every timer; no callback is called after it. */
  close(): void;
}

const subscribeBody = JSON.stringify({ type: 'SUBSCRIBE' });
const maxRedirects = 3;

/** How one attempt ended: how long to wait, and whether to go on at all. */
interface Outcome {
  error: ConsoleError;
  subscribed: boolean;
  final: boolean;
}

export function subscribe(options: SubscribeOptions): Subscription {
  const flushMs = options.flushMs ?? 250;
  const initialWait = options.retryMs?.initial ?? 500;
  const maxWait = options.retryMs?.max ?? 15_000;
  const factor = options.silenceFactor ?? 5;
  const abort = new AbortController();
  let closed = false;
  let current: StreamStatus = { phase: 'connecting', connected: false, leader: null, lastEventAt: null };
  let stream: HttpStream | null = null;
  const timers = new Set<NodeJS.Timeout>();
  let wake: (() => void) | null = null;

  const report = (s: Partial<StreamStatus> & Pick<StreamStatus, 'phase'>) => {
    const next: StreamStatus = {
      phase: s.phase,
      connected: s.connected ?? false,
      leader: s.leader ?? current.leader,
      lastEventAt: s.lastEventAt ?? current.lastEventAt,
    };
    if (s.error) next.error = s.error;
    if (s.retryInMs !== undefined) next.retryInMs = s.retryInMs;
    current = next;
    if (!closed || s.phase === 'closed') options.onStatus?.(next);
  };
  const later = (ms: number, f: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      f();
    }, ms);
    timers.add(t);
    return t;
  };
  const clear = (t: NodeJS.Timeout | null) => {
    if (t === null) return;
    clearTimeout(t);
    timers.delete(t);
  };

  /** One discovery + one stream, until it ends. */
  async function attempt(): Promise<Outcome> {
    report({ phase: 'connecting' });
    let leaderUrl: string;
    try {
      leaderUrl = (await discoverLeader(options.masters, options.transport, abort.signal)).url;
    } catch (e) {
      return { error: asConsoleError(e, options.masters.join(', ')), subscribed: false, final: false };
    }
    if (closed) return closedOutcome();
    report({ phase: 'connecting', leader: leaderUrl });

    let live: LiveState | null = null;
    let dirty = false;
    let changes = noChanges();
    const deliver = (l: LiveState, why: StateWhy) => {
      const c = changes;
      changes = noChanges();
      if (options.onLive) options.onLive(l, why === 'subscribed' ? { ...c, all: true } : c, why);
      else options.onState?.(snapshotOf(l), why);
    };
    let flushTimer: NodeJS.Timeout | null = null;
    let watchdog: NodeJS.Timeout | null = null;
    let lastByteAt = Date.now();
    let silentFor: number | null = null;
    let skipped: ConsoleError | null = null;
    let failedSnapshot: unknown = null;
    let url = `${leaderUrl}/api/v1`;
    // Records that arrive while a big snapshot is parsed in the worker, applied after it.
    let held: { record: Buffer; at: number }[] | null = null;
    /** The big snapshot's bytes on their way to the worker, until its last one is in. */
    let feeding: StateFeed | null = null;
    /** This attempt is over: a parse answering late is for nobody. */
    let over = false;
    const parseSnapshot = options.parseSnapshot;
    /** The first record, if big, goes to the worker as it arrives. */
    const openSnapshot = (): RecordSink | null => {
      if (live !== null || held !== null || !parseSnapshot) return null;
      const feed = new StateFeed();
      feeding = feed;
      held = [];
      parseSnapshot(feed, url)
        // Indexed for the events in steps too (100,000 tasks); records are still held meanwhile.
        .then(({ state, heartbeatSeconds }) =>
          closed || over ? null : liveStateInSteps(state, options.live).then((built) => ({ built, heartbeatSeconds })),
        )
        .then((r) => {
          if (!r || closed || over) return;
          const queue = held ?? [];
          held = null;
          started(r.built.state, r.heartbeatSeconds ?? defaultHeartbeatSeconds, r.built.state.fetchedAt, r.built);
          for (const h of queue) onRecord(h.record, h.at);
        })
        .catch((e: unknown) => {
          if (over) return;
          held = null;
          failedSnapshot = e;
          stream?.close();
        });
      return {
        chunk: (bytes) => feed.push(bytes),
        end: () => {
          feeding = null;
          current = { ...current, lastEventAt: Date.now() };
          feed.end(Date.now());
        },
        abort: () => feed.abort(),
      };
    };
    const decoder = new RecordIoDecoder({
      ...(options.maxRecordBytes === undefined ? {} : { maxRecordBytes: options.maxRecordBytes }),
      large: { minBytes: offThreadSnapshotBytes, open: openSnapshot },
    });

    const flush = () => {
      clear(flushTimer);
      flushTimer = null;
      if (!dirty || live === null || closed) return;
      dirty = false;
      deliver(live, 'events');
      if (skipped) {
        report({ phase: 'live', connected: true, error: skipped });
        skipped = null;
      }
    };
    // Closures, so TypeScript does not take `live` for the null it was when the stream opened.
    const heartbeat = () => live?.heartbeatSeconds ?? 15;
    const subscribed = () => live !== null;
    const silenceLimit = () => factor * heartbeat() * 1000;
    const watch = () => {
      watchdog = later(Math.max(1, lastByteAt + silenceLimit() - Date.now()), () => {
        if (Date.now() - lastByteAt >= silenceLimit()) {
          silentFor = Date.now() - lastByteAt;
          stream?.close();
        } else watch();
      });
    };

    const started = (state: MesosState, heartbeatSeconds: number, at: number, built?: LiveState) => {
      live = built ?? liveStateOf(state, options.live);
      live.heartbeatSeconds = heartbeatSeconds;
      dirty = false;
      changes = noChanges();
      deliver(live, 'subscribed');
      report({ phase: 'live', connected: true, leader: leaderUrl, lastEventAt: at });
    };
    const onRecord = (record: Buffer, arrived?: number) => {
      const at = arrived ?? Date.now();
      current = { ...current, lastEventAt: at };
      // A zero-length record is valid framing but no event (stout yields it as an empty string).
      if (record.length === 0) return;
      if (held) {
        held.push({ record, at });
        return;
      }
      const event = decodeEvent(record);
      if (live === null) {
        // SUBSCRIBED comes first; anything else means this is not the stream we asked for.
        const { state, heartbeatSeconds } = stateOfSubscribed(event, url, at);
        started(state, heartbeatSeconds, at);
        return;
      }
      try {
        if (!applyEvent(live, event, at, live.state.url, changes).changed) return;
        dirty = true;
        flushTimer ??= later(flushMs, flush);
      } catch (e) {
        // One event the console cannot read is skipped, and said; the stream goes on.
        if (!(e instanceof ShapeError)) throw e;
        skipped = badResponse(url, `an event could not be read (${e.message}); it was skipped`);
        flushTimer ??= later(flushMs, flush);
      }
    };
    const onChunk = (chunk: Buffer) => {
      lastByteAt = Date.now();
      for (const record of decoder.push(chunk)) onRecord(record);
    };

    try {
      const opened = await open(url, onChunk);
      if ('outcome' in opened) return opened.outcome;
      url = opened.url;
      watch();
      await opened.stream.done;
      if (closed) return closedOutcome();
      decoder.end();
      if (failedSnapshot !== null) return { error: asConsoleError(failedSnapshot, url), subscribed: false, final: false };
      const error =
        silentFor !== null
          ? lost(url, `nothing arrived for ${(silentFor / 1000).toFixed(1)} s (heartbeats are every ${heartbeat()} s)`)
          : lost(url, 'the master ended the stream');
      return { error, subscribed: subscribed(), final: false };
    } catch (e) {
      if (closed) return closedOutcome();
      return { error: asConsoleError(e, url), subscribed: subscribed(), final: false };
    } finally {
      over = true;
      // The stream ended inside the snapshot: the worker forgets its bytes.
      (feeding as StateFeed | null)?.abort();
      feeding = null;
      clear(watchdog);
      // What arrived before the end is still the newest state there is.
      flush();
      stream = null;
    }
  }

  /** POSTs SUBSCRIBE, following redirects (re-POSTed, as the master wants), to a 2xx stream. */
  async function open(first: string, onChunk: (c: Buffer) => void): Promise<{ stream: HttpStream; url: string } | { outcome: Outcome }> {
    let url = first;
    let redirected = false;
    for (let hop = 0; ; hop++) {
      const s = options.transport.stream(
        {
          url,
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
          body: subscribeBody,
          signal: abort.signal,
          ...(options.connectTimeoutMs === undefined ? {} : { timeoutMs: options.connectTimeoutMs }),
        },
        onChunk,
      );
      stream = s;
      let head: HttpAnswer;
      try {
        head = await s.response;
      } catch (e) {
        const byIp = e instanceof TransportError && e.kind === 'dns' && redirected ? withEc2Ip(url) : null;
        if (byIp === null) throw e instanceof TransportError ? masterUnreachable(url, e) : e;
        url = byIp;
        redirected = false;
        continue;
      }
      const status = head.status;
      if (status >= 200 && status < 300) {
        const type = String(head.headers['content-type'] ?? '');
        if (type !== '' && !/json/i.test(type)) {
          s.close();
          throw badResponse(url, `the stream is ${type}, not JSON`);
        }
        return { stream: s, url };
      }
      const location = head.headers.location;
      if (status >= 300 && status < 400 && location) {
        if (hop >= maxRedirects) throw badResponse(url, `it redirects more than ${maxRedirects} times (last to ${location})`);
        url = resolveLocation(location, url);
        redirected = true;
        continue;
      }
      return { outcome: refused(url, head) };
    }
  }

  async function run(): Promise<void> {
    let wait = initialWait;
    while (!closed) {
      const outcome = await attempt();
      if (closed) return;
      if (outcome.final) {
        report({ phase: 'unavailable', error: outcome.error });
        return;
      }
      if (outcome.subscribed) wait = initialWait;
      report({ phase: 'retrying', error: outcome.error, retryInMs: wait });
      await new Promise<void>((resolve) => {
        wake = resolve;
        later(wait, resolve);
      });
      wake = null;
      wait = Math.min(wait * 2, maxWait);
    }
  }

  void run();

  return {
    status: () => current,
    close() {
      if (closed) return;
      closed = true;
      abort.abort();
      stream?.close();
      for (const t of timers) clearTimeout(t);
      timers.clear();
      wake?.();
      report({ phase: 'closed' });
    },
  };
}

function closedOutcome(): Outcome {
  return { error: lost('', 'closed'), subscribed: false, final: true };
}

const lost = (url: string, why: string) =>
  new ConsoleError(
    'MESOS_STREAM_LOST',
    `The live updates from ${url} stopped: ${why}.`,
    'The console finds the leader again and resubscribes; the last state stays on screen meanwhile.',
  );

/** A SUBSCRIBE answered with something other than a stream. */
function refused(url: string, a: HttpAnswer): Outcome {
  if (a.status === 404 || a.status === 405) {
    return {
      error: new ConsoleError(
        'MESOS_STREAM_LOST',
        `Live updates are unavailable: ${url} has no v1 operator API (it answered ${answered(a)}).`,
        'The console keeps polling the state instead. A Mesos older than 1.1, or a proxy passing only /master/*, does this.',
      ),
      subscribed: false,
      final: true,
    };
  }
  if (a.status === 503) {
    // "No leader elected", or "Master has not finished recovery" on a leader just elected.
    const error = new ConsoleError(
      'MESOS_NO_LEADER',
      `${url} answered ${answered(a)}.`,
      'The masters are electing a leader or the new one is recovering; the console tries again shortly.',
    );
    return { error, subscribed: false, final: false };
  }
  if (a.status === 401 || a.status === 403) return { error: unauthorized(url, a), subscribed: false, final: false };
  return { error: badResponse(url, `it is ${answered(a)}`), subscribed: false, final: false };
}

function asConsoleError(e: unknown, url: string): ConsoleError {
  if (isConsoleError(e)) return e;
  if (e instanceof TransportError) return lost(e.url, e.message);
  if (e instanceof RecordIoError || e instanceof SyntaxError || e instanceof ShapeError)
    return badResponse(url, `the event stream is not readable: ${e.message}`);
  // Not foreseen (a callback that threw): still a lost stream, and said, rather than a crash.
  return lost(url, e instanceof Error ? e.message : String(e));
}
