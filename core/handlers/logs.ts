import type { ContractError } from '../contract/errors.js';
import type { Handlers } from '../dispatch.js';
import type { LogSource, Sink } from '../logs/source.js';
import { isConsoleError } from '../errors.js';
import type { StreamOpeners, StreamSink } from './streams.js';

type LogHandlers = Pick<Handlers, 'sandbox.list' | 'logs.stat' | 'logs.lines' | 'logs.linePart' | 'logs.read' | 'logs.index'>;

/** Where a task's files are read from: this machine (embedded), or the task's agent over its files API (the backend says). */
export type TaskLogSource = (taskId: string) => LogSource | Promise<LogSource>;

export function logHandlers(source: TaskLogSource): LogHandlers {
  return {
    'sandbox.list': async ({ taskId, path: rel }) => {
      const s = await source(taskId);
      return { runDir: s.root, ...(await s.list(rel)) };
    },
    'logs.stat': async ({ taskId, path: rel }) => (await source(taskId)).stat(rel),
    'logs.lines': async ({ taskId, path: rel, at, line, before, after, maxLineChars }) =>
      (await source(taskId)).lines(rel, { at, ...(line === undefined ? {} : { line }), before, after, maxLineChars }),
    'logs.linePart': async ({ taskId, path: rel, offset, length, from, maxLineChars }) =>
      (await source(taskId)).linePart(rel, { offset, length, from, maxLineChars }),
    'logs.read': async ({ taskId, path: rel, offset, length }) => {
      const r = await (await source(taskId)).read(rel, offset, length);
      return { offset: r.offset, data: r.data.toString('base64'), size: r.size };
    },
    'logs.index': async ({ taskId, path: rel }) => (await source(taskId)).index(rel),
  };
}

function toContract(e: unknown, what: string): ContractError {
  if (isConsoleError(e)) return e.toContract();
  return {
    code: 'INTERNAL',
    message: `${what} failed: ${e instanceof Error ? e.message : String(e)}`,
    hint: 'Try again; the full error is in the console log.',
  };
}

/**
 * Adapts a LogSource stream (which opens asynchronously) to a stream opener (which returns its
 * stop function at once): an error while opening reaches the subscriber through `fail`, and a
 * stop before the source is open stops it as soon as it is.
 */
function opened<T>(start: (sink: Sink<T>) => Promise<() => void>, sink: StreamSink<T>, what: string): () => void {
  let stop: (() => void) | null = null;
  let stopped = false;
  start({ push: (items, cursor) => sink.push(items, cursor), fail: (e) => sink.fail(e.toContract()) }).then(
    (s) => (stopped ? s() : (stop = s)),
    (e: unknown) => {
      if (!stopped) sink.fail(toContract(e, what));
    },
  );
  return () => {
    stopped = true;
    stop?.();
  };
}

/**
 * A source is found asynchronously (a real task's agent is asked over the network): a task
 * that cannot be found fails the subscription through the stream.
 */
export function logStreamOpeners(source: TaskLogSource): Pick<StreamOpeners, 'logs.follow' | 'logs.search'> {
  return {
    'logs.follow': (input, sink) => {
      const s = source(input.taskId);
      return opened(
        async (out) => (await s).follow(input.path, { offset: input.from, file: input.file }, out),
        sink,
        `Following ${input.path}`,
      );
    },
    'logs.search': (input, sink) => {
      const s = source(input.taskId);
      const { query, mode, caseInsensitive, from, maxMatches, maxLineChars } = input;
      return opened(
        async (out) => (await s).search(input.path, { query, mode, caseInsensitive, from, maxMatches, maxLineChars }, out),
        sink,
        `Searching ${input.path}`,
      );
    },
  };
}
