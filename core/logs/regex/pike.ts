import { holds, PREV_LINE_START, PREV_WORD } from './dfa.js';
import { ASSERT, BYTE, EPS, MATCH, SPLIT, isWordByte, type Program } from './nfa.js';

/**
 * Where a line matches, for highlighting: a Pike VM (Thompson's simulation with the threads
 * kept in priority order), so the matches are JavaScript's: leftmost-first, the preferred
 * alternative and greedy/lazy quantifiers as a backtracking engine would choose them, found one
 * after another from the end of the last (one character further after an empty match). One pass
 * costs O(line × NFA size); `budget` bounds the thread steps of a whole line, so no line can
 * make the highlighting more than linear either (past it, the ranges found so far are kept).
 */
export class PikeVm {
  private readonly states: [Int32Array, Int32Array];
  private readonly starts: [Int32Array, Int32Array];
  private readonly marks: [Int32Array, Int32Array];
  private readonly stack: Int32Array;
  private gen = 0;

  constructor(private readonly prog: Program) {
    const n = prog.size;
    this.states = [new Int32Array(n), new Int32Array(n)];
    this.starts = [new Int32Array(n), new Int32Array(n)];
    this.marks = [new Int32Array(n), new Int32Array(n)];
    this.stack = new Int32Array(n * 2 + 2);
  }

  /**
   * Matches in the line buf[start, end) that start at or before `startLimit` (and at or after
   * `from`, when the caller knows none starts before), as [from, to) byte offsets relative to
   * `start`, flattened.
   */
  ranges(buf: Uint8Array, start: number, end: number, startLimit = end, from = start): number[] {
    const budget = 4_000_000 + 32 * (Math.min(startLimit, end) - start);
    const out: number[] = [];
    let pos = from;
    const left = { steps: budget };
    while (pos <= Math.min(startLimit, end)) {
      const m = this.find(buf, start, end, pos, left);
      if (!m) break;
      out.push(m[0] - start, m[1] - start);
      pos = m[1] > m[0] ? m[1] : m[1] + 1;
      while (pos < end && buf[pos]! >= 0x80 && buf[pos]! <= 0xbf) pos++; // not inside a character
    }
    return out;
  }

  /** The leftmost-first match starting at or after `from`, or null. */
  private find(buf: Uint8Array, ls: number, le: number, from: number, left: { steps: number }): [number, number] | null {
    const { kind, a, b, next } = this.prog;
    let cur = 0;
    let count = 0;
    let matchStart = -1;
    let matchEnd = -1;
    this.gen++;
    for (let p = from; p <= le; p++) {
      const curStates = this.states[cur]!;
      const curStarts = this.starts[cur]!;
      if (count === 0) this.gen++; // an empty list: nothing in it is marked for this position
      if (matchStart < 0 && (p === le || buf[p]! < 0x80 || buf[p]! > 0xbf)) count = this.add(cur, count, this.prog.entry, p, buf, ls, le);
      if (count === 0) {
        if (matchStart >= 0) break;
        continue;
      }
      left.steps -= count;
      if (left.steps < 0) return null;
      const nxt = 1 - cur;
      this.gen++;
      let nCount = 0;
      const byte = p < le ? buf[p]! : -1;
      for (let t = 0; t < count; t++) {
        const s = curStates[t]!;
        if (kind[s] === MATCH) {
          matchStart = curStarts[t]!;
          matchEnd = p;
          break; // the threads after this one have lower priority
        }
        if (kind[s] === BYTE && byte >= a[s]! && byte <= b[s]!)
          nCount = this.addFrom(nxt, nCount, next[s]!, curStarts[t]!, p + 1, buf, ls, le);
      }
      cur = nxt;
      count = nCount;
      if (p === le) break;
    }
    return matchStart >= 0 ? [matchStart, matchEnd] : null;
  }

  private add(list: number, count: number, s: number, at: number, buf: Uint8Array, ls: number, le: number): number {
    return this.addFrom(list, count, s, at, at, buf, ls, le);
  }

  /** Adds state `s` and what it reaches without a byte at position `at`, in priority order, to a list. */
  private addFrom(list: number, count: number, s0: number, start: number, at: number, buf: Uint8Array, ls: number, le: number): number {
    const { kind, a, b, next } = this.prog;
    const states = this.states[list]!;
    const starts = this.starts[list]!;
    const mark = this.marks[list]!;
    const gen = this.gen;
    const prev = at > ls ? buf[at - 1]! : 10;
    const flags = (prev !== 10 && isWordByte(prev) ? PREV_WORD : 0) | (prev === 10 || prev === 13 ? PREV_LINE_START : 0);
    const byte = at < le ? buf[at]! : 10;
    const nextIsWord = byte !== 10 && isWordByte(byte);
    const stack = this.stack;
    let top = 0;
    stack[top++] = s0;
    while (top > 0) {
      const s = stack[--top]!;
      if (s < 0 || mark[s] === gen) continue;
      mark[s] = gen;
      switch (kind[s]) {
        case SPLIT:
          stack[top++] = b[s]!;
          stack[top++] = a[s]!;
          break;
        case EPS:
          stack[top++] = next[s]!;
          break;
        case ASSERT:
          if (holds(a[s]!, flags, byte, nextIsWord)) stack[top++] = next[s]!;
          break;
        default:
          states[count] = s;
          starts[count++] = start;
      }
    }
    return count;
  }
}
