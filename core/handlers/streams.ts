import type { ContractError } from '../contract/errors.js';
import type { ParsedStreamInput, StreamItem, StreamName } from '../contract/index.js';
import type { SessionContext } from './context.js';

/** Where a stream's source delivers: items with the cursor after them, or the error that ends it. */
export interface StreamSink<T> {
  push(items: readonly T[], cursor: string | null): void;
  fail(error: ContractError): void;
}

/**
 * Starts one stream of the contract and returns the function that stops it. Throws a
 * ConsoleError when it cannot start at all; a failure found later goes to `sink.fail`.
 */
export type StreamOpener<N extends StreamName> = (input: ParsedStreamInput<N>, sink: StreamSink<StreamItem<N>>) => () => void;

/** One opener per stream name: a stream added to the contract does not compile until it has one. */
export type StreamOpeners = { [N in StreamName]: StreamOpener<N> };

/** Cluster events of the active profile, replayed from the cursor, then live. */
export function clusterEventsOpener(ready: () => SessionContext): StreamOpener<'cluster.events'> {
  return (input, sink) => {
    const ctx = ready();
    const profileId = ctx.profile.id;
    let last = input.after ?? 0;
    const deliver = (events: StreamItem<'cluster.events'>[]) => {
      const fresh = events.filter((e) => e.id > last);
      if (fresh.length === 0) return;
      last = fresh[fresh.length - 1]!.id;
      sink.push(fresh, String(last));
    };
    for (;;) {
      const page = ctx.store.events.after(profileId, last, 1000);
      deliver(page);
      if (page.length < 1000) break;
    }
    return ctx.store.events.onAppend((pid, e) => {
      if (pid === profileId) deliver([e]);
    });
  };
}
