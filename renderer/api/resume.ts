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
};

export function resumeInput(name: string, input: unknown, cursor: string): unknown {
  const resume = (resumers as Record<string, ((input: unknown, cursor: string) => unknown) | undefined>)[name];
  return resume ? resume(input, cursor) : input;
}
