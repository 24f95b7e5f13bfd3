import path from 'node:path';
import type { ContractError } from '../contract/errors.js';
import type { Handlers } from '../dispatch.js';
import type { Logs } from '../logs/service.js';
import type { LogSource, Sink } from '../logs/source.js';
import { ConsoleError, isConsoleError } from '../model/errors.js';
import type { ClusterContext } from './context.js';
import type { StreamOpeners, StreamSink } from './streams.js';

type LogHandlers = Pick<Handlers, 'sandbox.list' | 'logs.stat' | 'logs.lines' | 'logs.read' | 'logs.index'>;

/**
 * The log source of a task: its run directory (the parent of the sandbox the executor made),
 * read on this machine. The embedded profile only, for now: a real cluster's tasks will get a
 * source over their agent's files API, behind the same LogSource.
 */
function sourceOf(ctx: ClusterContext, logs: Logs, taskId: string): LogSource {
  const task = ctx.store.tasks.get(ctx.profile.id, taskId);
  if (!task) throw new ConsoleError('TASK_NOT_FOUND', `There is no task ${taskId}.`, 'It may have been pruned; open its job instead.');
  if (task.sandboxDir === null) {
    const why = task.pendingReason ? ` (${task.pendingReason})` : '';
    throw new ConsoleError(
      'SANDBOX_GONE',
      `Task ${taskId} has no sandbox yet: it is ${task.state}${why}.`,
      'Its files appear once the task is placed on an agent and starts.',
    );
  }
  return logs.local(path.dirname(task.sandboxDir));
}

export function logHandlers(ready: () => ClusterContext, logs: Logs): LogHandlers {
  const source = (taskId: string) => sourceOf(ready(), logs, taskId);
  return {
    'sandbox.list': async ({ taskId, path: rel }) => {
      const s = source(taskId);
      return { runDir: s.root, ...(await s.list(rel)) };
    },
    'logs.stat': ({ taskId, path: rel }) => source(taskId).stat(rel),
    'logs.lines': ({ taskId, path: rel, at, line, before, after, maxLineChars }) =>
      source(taskId).lines(rel, { at, ...(line === undefined ? {} : { line }), before, after, maxLineChars }),
    'logs.read': async ({ taskId, path: rel, offset, length }) => {
      const r = await source(taskId).read(rel, offset, length);
      return { offset: r.offset, data: r.data.toString('base64'), size: r.size };
    },
    'logs.index': ({ taskId, path: rel }) => source(taskId).index(rel),
  };
}

function toContract(e: unknown, what: string): ContractError {
  if (isConsoleError(e)) return e.toContract();
  return { code: 'INTERNAL', message: `${what} failed: ${e instanceof Error ? e.message : String(e)}`, hint: 'Try again; the full error is in the console log.' };
}

/**
 * Adapts a LogSource stream (which opens asynchronously) to a stream opener (which returns its
 * stop function at once): an error while opening reaches the subscriber through `fail`, and a
 * stop before the source is open stops it as soon as it is.
 */
function opened<T>(
  start: (sink: Sink<T>) => Promise<() => void>,
  sink: StreamSink<T>,
  what: string,
): () => void {
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

export function logStreamOpeners(ready: () => ClusterContext, logs: Logs): Pick<StreamOpeners, 'logs.follow' | 'logs.search'> {
  return {
    'logs.follow': (input, sink) => {
      const s = sourceOf(ready(), logs, input.taskId);
      return opened((out) => s.follow(input.path, { offset: input.from, file: input.file }, out), sink, `Following ${input.path}`);
    },
    'logs.search': (input, sink) => {
      const s = sourceOf(ready(), logs, input.taskId);
      const { query, mode, caseInsensitive, from, maxMatches, maxLineChars } = input;
      return opened((out) => s.search(input.path, { query, mode, caseInsensitive, from, maxMatches, maxLineChars }, out), sink, `Searching ${input.path}`);
    },
  };
}
