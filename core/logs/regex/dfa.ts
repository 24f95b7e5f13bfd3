import {
  AFTER_CHAR,
  ASSERT,
  BOL,
  BYTE,
  CHAR_START,
  EOL,
  EPS,
  MATCH,
  NOT_WORD_BOUNDARY,
  SPLIT,
  WORD_BOUNDARY,
  isWordByte,
  type Program,
} from './nfa.js';

/**
 * A lazy DFA over bytes, as RE2 builds one: each DFA state is an ordered list of NFA states plus
 * what the last byte was (a word character? a line start or CR?), made the first time a byte
 * leads to it and kept in a table indexed `state * 256 + byte`. Every byte of a file costs one
 * table load; a transition not yet in the table costs one NFA closure (bounded by the NFA's
 * size). When the cache is full it is emptied and rebuilt as the scan goes on (RE2 does the
 * same), so no pattern can make a scan more than linear: O(bytes × NFA size) at worst.
 *
 * Matching is one byte late: entering a state says whether a match ended just before the byte
 * that led there (the byte decides `$` and `\b`). Byte 10 ends a line: its transition decides
 * whether the line matched at its end and leads to the start state of the next line, so the
 * scan never looks for newlines itself.
 */
const UNKNOWN = -1;
/** A table entry for a state whose entry means "a match ended": -(offset) - 2. */
const flagged = (offset: number) => -offset - 2;

const PREV_WORD = 1;
const PREV_LINE_START = 2;
/** Kept only by backward programs, the only ones that ask (AFTER_CHAR): fewer states otherwise. */
const PREV_CONTINUATION = 4;
/** The state with no NFA state left: nothing can match from here (state 2 of every cache). */
const DEAD = 2 * 256;
/** States per cache: 4096 × 256 entries of 4 bytes = 4 MiB. */
const defaultMaxStates = 4096;

export class LazyDfa {
  private readonly table: Int32Array;
  private kernels: Int32Array[] = [];
  private flags: number[] = [];
  private ids = new Map<string, number>();
  private readonly mark: Int32Array;
  private readonly seen: Int32Array;
  private readonly stack: Int32Array;
  private gen = 0;
  private emptied = false;
  /** How often the cache was emptied (tests check the bound works). */
  clears = 0;

  constructor(
    private readonly prog: Program,
    private readonly maxStates = defaultMaxStates,
  ) {
    this.table = new Int32Array(maxStates * 256).fill(UNKNOWN);
    this.mark = new Int32Array(prog.size);
    this.seen = new Int32Array(prog.size);
    this.stack = new Int32Array(prog.size * 2 + 2);
    this.reset();
  }

  /** Empties the cache; states 0 and 1 are the line start (1: the line before matched at its end), 2 is DEAD. */
  private reset(): void {
    if (this.kernels.length > 0) {
      this.table.fill(UNKNOWN);
      this.clears++;
    }
    this.kernels = [];
    this.flags = [];
    this.ids.clear();
    const start = Int32Array.of(this.prog.unanchored);
    this.intern(start, PREV_LINE_START, false);
    this.intern(start, PREV_LINE_START, true);
    this.intern(new Int32Array(0), 0, false);
  }

  /** The state's table entry; a new state in a full cache empties it first (then `emptied` is set). */
  private intern(kernel: Int32Array, flags: number, matched: boolean): number {
    const key = `${matched ? 'm' : ''}${flags}:${kernel.join(',')}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      if (this.kernels.length >= this.maxStates) {
        this.reset();
        this.emptied = true;
        return this.intern(kernel, flags, matched);
      }
      id = this.kernels.length;
      this.kernels.push(kernel);
      this.flags.push(flags);
      this.ids.set(key, id);
    }
    return matched ? flagged(id * 256) : id * 256;
  }

  /** The table entry for (state at `offset`, byte), computed now; the cache may be emptied meanwhile. */
  private step(offset: number, byte: number): number {
    const id = offset >> 8;
    const kernel = this.kernels[id]!;
    const flags = this.flags[id]!;
    const { kind, a, b, next } = this.prog;
    const stack = this.stack;
    const gen = ++this.gen;
    const targets: number[] = [];
    let matched = false;
    const nextIsWord = byte !== 10 && isWordByte(byte);
    walk: for (let k = 0; k < kernel.length; k++) {
      let top = 0;
      stack[top++] = kernel[k]!;
      while (top > 0) {
        const s = stack[--top]!;
        if (s < 0 || this.mark[s] === gen) continue;
        this.mark[s] = gen;
        switch (kind[s]) {
          case BYTE:
            if (byte >= a[s]! && byte <= b[s]! && this.seen[next[s]!] !== gen) {
              this.seen[next[s]!] = gen;
              targets.push(next[s]!);
            }
            break;
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
          case MATCH:
            matched = true;
            // Forwards, leftmost-first: what comes after a match has lower priority. Backwards
            // every thread goes on, to find the leftmost start.
            if (!this.prog.backward) break walk;
        }
      }
    }
    let kernelNext: Int32Array;
    let flagsNext: number;
    if (byte === 10) {
      kernelNext = Int32Array.of(this.prog.unanchored);
      flagsNext = PREV_LINE_START;
    } else {
      kernelNext = Int32Array.from(targets);
      flagsNext = (isWordByte(byte) ? PREV_WORD : 0) | (byte === 13 ? PREV_LINE_START : 0);
      if (this.prog.backward && byte >= 0x80 && byte <= 0xbf) flagsNext |= PREV_CONTINUATION;
      if (targets.length === 0) flagsNext = 0; // one dead state, whatever came before
    }
    this.emptied = false;
    const n = this.intern(kernelNext, flagsNext, matched);
    // After emptying, `offset` names another state (or none): its entry is not written.
    if (!this.emptied) this.table[offset + byte] = n;
    return n;
  }

  /**
   * Calls `onLine(start, end)` for each line of buf[from, to) that holds a match (lines end at a
   * newline, the last one may end at `to`), until it returns false.
   */
  scan(buf: Uint8Array, from: number, to: number, onLine: (start: number, end: number) => boolean): void {
    const table = this.table;
    let s = 0;
    let i = from;
    for (;;) {
      // The hot loop: one table load per byte.
      let n = 0;
      while (i < to) {
        n = table[s + buf[i]!]!;
        if (n < 0) break;
        s = n;
        i++;
      }
      if (i >= to) break;
      const byte = buf[i]!;
      if (n === UNKNOWN) n = this.step(s, byte);
      if (n >= 0) {
        s = n;
        i++;
        continue;
      }
      // A match ended before byte i: the line holding i (or ending at i, a newline) matched.
      const end = byte === 10 ? i : lineEnd(buf, i, to);
      const start = i > from ? lastNewline(buf, i - 1, from) : from;
      if (!onLine(start, end) || end >= to) return;
      i = end + 1;
      s = 0;
    }
    if (to > from && buf[to - 1] === 10) return;
    // The last line has no newline: end it here.
    let n = table[s + 10]!;
    if (n === UNKNOWN) n = this.step(s, 10);
    if (n < 0) onLine(lastNewline(buf, to - 1, from), to);
  }

  /**
   * For a backward program: where the leftmost match in the line buf[start, end) starts, every
   * match ending at the line's end; -1 if none. With `first`, stops at the first match found
   * (the line matches). Reads from the end only as far as a match could reach.
   */
  startBackward(buf: Uint8Array, start: number, end: number, first: boolean): number {
    const table = this.table;
    let s = 0;
    let found = -1;
    for (let i = end - 1; i >= start; i--) {
      const byte = buf[i]!;
      let n = table[s + byte]!;
      if (n === UNKNOWN) n = this.step(s, byte);
      if (n < 0) {
        // A match (in scan order) ended before byte i: it starts at i + 1.
        found = i + 1;
        if (first) return found;
        n = -n - 2;
      }
      if (n === DEAD) return found;
      s = n;
    }
    let n = table[s + 10]!;
    if (n === UNKNOWN) n = this.step(s, 10);
    return n < 0 ? start : found;
  }

  /**
   * Where the match that ends first in the line buf[start, end) ends; -1 if none. A long line's
   * highlights start near it instead of running the Pike VM over all that comes before.
   */
  firstEnd(buf: Uint8Array, start: number, end: number): number {
    let at = -1;
    let s = 0;
    for (let i = start; i <= end; i++) {
      const byte = i < end ? buf[i]! : 10;
      let n = this.table[s + byte]!;
      if (n === UNKNOWN) n = this.step(s, byte);
      if (n < 0) {
        at = i;
        break;
      }
      s = n;
    }
    return at;
  }

  /** Whether buf[start, end), one line, holds a match. */
  matches(buf: Uint8Array, start: number, end: number): boolean {
    let found = false;
    this.scan(buf, start, end, () => ((found = true), false));
    return found;
  }
}

function lineEnd(buf: Uint8Array, i: number, to: number): number {
  const nl = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).indexOf(10, i);
  return nl < 0 || nl >= to ? to : nl;
}

/** The start of the line holding position `i` (not before `from`). */
function lastNewline(buf: Uint8Array, i: number, from: number): number {
  if (i < from) return from;
  const nl = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).lastIndexOf(10, i);
  return nl < from ? from : nl + 1;
}

/** Whether an assertion holds between the byte before (`flags`) and `byte` (10: the line's end). */
export function holds(assertion: number, flags: number, byte: number, nextIsWord: boolean): boolean {
  switch (assertion) {
    case BOL:
      return (flags & PREV_LINE_START) !== 0;
    case EOL:
      return byte === 10 || byte === 13;
    case WORD_BOUNDARY:
      return ((flags & PREV_WORD) !== 0) !== nextIsWord;
    case NOT_WORD_BOUNDARY:
      return ((flags & PREV_WORD) !== 0) === nextIsWord;
    case CHAR_START:
      return byte < 0x80 || byte > 0xbf;
    case AFTER_CHAR:
      return (flags & PREV_CONTINUATION) === 0;
  }
  return false;
}

export { PREV_LINE_START, PREV_WORD };
