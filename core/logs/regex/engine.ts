import { LazyDfa } from './dfa.js';
import { compile } from './nfa.js';
import { parse } from './parse.js';
import { PikeVm } from './pike.js';

/**
 * A user's regex, compiled for the linear-time engine: which lines match (lazy DFA, the scan)
 * and where in a matching line (Pike VM, the highlight). Nothing here backtracks.
 */
export interface LineRegex {
  /** Calls `onLine` for each matching line of buf[from, to) until it returns false. */
  scan(buf: Uint8Array, from: number, to: number, onLine: (start: number, end: number) => boolean): void;
  /** Whether the line buf[start, end) matches. */
  matches(buf: Uint8Array, start: number, end: number): boolean;
  /** The matches in the line buf[start, end), starting at or before `startLimit`, relative to `start`. */
  ranges(buf: Uint8Array, start: number, end: number, startLimit?: number): number[];
}

export function compileLineRegex(pattern: string, caseInsensitive: boolean, options: { maxStates?: number } = {}): LineRegex & { dfa: LazyDfa } {
  const prog = compile(parse(pattern, caseInsensitive));
  const dfa = new LazyDfa(prog, options.maxStates);
  const pike = new PikeVm(prog);
  return {
    dfa,
    scan: (buf, from, to, onLine) => dfa.scan(buf, from, to, onLine),
    matches: (buf, start, end) => dfa.matches(buf, start, end),
    ranges: (buf, start, end, startLimit) => pike.ranges(buf, start, end, startLimit),
  };
}
