import { LazyDfa } from './dfa.js';
import { compile, endAnchored } from './nfa.js';
import { parse } from './parse.js';
import { PikeVm } from './pike.js';

/**
 * A user's regex, compiled for the linear-time engine: which lines match (lazy DFA, the scan)
 * and where in a matching line (Pike VM, the highlight). Nothing here backtracks.
 *
 * A pattern whose every match ends at `$` (`[0-9a-f]{6}ff$`) is also compiled backwards, as RE2
 * does for end-anchored patterns: each line is then read from its end, only as far as a match
 * could reach (a few bytes, usually), instead of all of it. Only in text without CR: `$` also
 * matches before a CR, anywhere in a line, and the backward program starts at the line's end.
 */
export interface LineRegex {
  /** Calls `onLine` for each matching line of buf[from, to) until it returns false. */
  scan(buf: Uint8Array, from: number, to: number, onLine: (start: number, end: number) => boolean): void;
  /** Whether the line buf[start, end) matches. */
  matches(buf: Uint8Array, start: number, end: number): boolean;
  /**
   * The matches in the line buf[start, end), relative to `start`: the first one at or after
   * `from` (default: the line's start), then each one starting at or before `startLimit`.
   */
  ranges(buf: Uint8Array, start: number, end: number, startLimit?: number, from?: number): number[];
  /** Where the match that ends first in the line buf[start, end) ends, or -1. */
  firstEnd(buf: Uint8Array, start: number, end: number): number;
}

export function compileLineRegex(
  pattern: string,
  caseInsensitive: boolean,
  options: { maxStates?: number } = {},
): LineRegex & { dfa: LazyDfa; backward: LazyDfa | null } {
  const tree = parse(pattern, caseInsensitive);
  const prog = compile(tree);
  const dfa = new LazyDfa(prog, options.maxStates);
  const backward = endAnchored(tree) ? new LazyDfa(compile(tree, true), options.maxStates) : null;
  const pike = new PikeVm(prog);
  const bytes = (buf: Uint8Array) => Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const noCR = (buf: Uint8Array, from: number, to: number) => bytes(buf).subarray(from, to).indexOf(13) < 0;
  return {
    dfa,
    backward,
    scan(buf, from, to, onLine) {
      if (!backward || !noCR(buf, from, to)) return dfa.scan(buf, from, to, onLine);
      const b = bytes(buf);
      for (let start = from; start < to;) {
        const nl = b.indexOf(10, start);
        const end = nl < 0 || nl >= to ? to : nl;
        if (backward.startBackward(buf, start, end, true) >= 0 && !onLine(start, end)) return;
        start = end + 1;
      }
    },
    matches: (buf, start, end) =>
      backward && noCR(buf, start, end) ? backward.startBackward(buf, start, end, true) >= 0 : dfa.matches(buf, start, end),
    firstEnd: (buf, start, end) => dfa.firstEnd(buf, start, end),
    ranges(buf, start, end, startLimit = end, from = start) {
      if (!backward || !noCR(buf, start, end)) return pike.ranges(buf, start, end, startLimit, from);
      // No match starts before the leftmost start the backward program finds: the Pike VM starts there.
      const leftmost = backward.startBackward(buf, start, end, false);
      return leftmost < 0 ? [] : pike.ranges(buf, start, end, startLimit, Math.max(from, leftmost));
    },
  };
}
