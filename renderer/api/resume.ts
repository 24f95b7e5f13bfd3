import type { StreamInput, StreamName } from '../../core/contract';

/**
 * How each stream resumes after the cursor of its last batch. Keyed by every stream of the
 * contract, so a new stream does not compile until it says how it resumes after a reconnect.
 */
const resumers: { [N in StreamName]: (input: StreamInput<N>, cursor: string) => StreamInput<N> } = {
  'cluster.events': (input, cursor) => {
    const after = Number(cursor);
    return Number.isInteger(after) && after >= 0 ? { ...input, after } : input;
  },
  // A follow cursor is `<offset>@<file>`: the byte to resume at, in the file it was read from,
  // so resuming leaves no gap and no duplicate, and a rotated file restarts at 0.
  'logs.follow': (input, cursor) => {
    const at = cursor.indexOf('@');
    const from = Number(at < 0 ? cursor : cursor.slice(0, at));
    if (!Number.isInteger(from) || from < 0) return input;
    return at < 0 ? { ...input, from } : { ...input, from, file: cursor.slice(at + 1) };
  },
  // Changes have no cursor: a new subscription starts with the freshness, and what was missed is refetched.
  'cluster.changes': (input) => input,
  'logs.search': (input, cursor) => {
    const from = Number(cursor);
    return Number.isInteger(from) && from >= 0 ? { ...input, from } : input;
  },
};

export function resumeInput(name: string, input: unknown, cursor: string): unknown {
  const resume = (resumers as Record<string, ((input: unknown, cursor: string) => unknown) | undefined>)[name];
  return resume ? resume(input, cursor) : input;
}
