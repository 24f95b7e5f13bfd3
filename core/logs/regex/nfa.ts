import { utf8Sequences } from './charset.js';
import { Unsupported, type Node } from './parse.js';

/**
 * The pattern as a Thompson NFA over bytes (UTF-8): what both the lazy DFA (does a line match?)
 * and the Pike VM (where, for highlighting) run. Alternatives are ordered (`x` before `y` in a
 * split) so the Pike VM can follow JavaScript's leftmost-first preference.
 *
 * Lines never hold a newline, so no set here matches byte 10.
 */
export const BYTE = 0;
export const SPLIT = 1;
export const EPS = 2;
export const ASSERT = 3;
export const MATCH = 4;

/** Assertions, decided from the byte before (flags) and the byte after. */
export const BOL = 0;
export const EOL = 1;
export const WORD_BOUNDARY = 2;
export const NOT_WORD_BOUNDARY = 3;
/** The next byte is not a UTF-8 continuation byte: a match starts only on a character. */
export const CHAR_START = 4;
/** The byte before (in scan order) was not a continuation byte: a backward match ends on a character. */
export const AFTER_CHAR = 5;

const assertCode = { bol: BOL, eol: EOL, wb: WORD_BOUNDARY, nwb: NOT_WORD_BOUNDARY } as const;

export interface Program {
  kind: Int32Array;
  /** BYTE: low byte; SPLIT: preferred branch; ASSERT: which. */
  a: Int32Array;
  /** BYTE: high byte; SPLIT: other branch. */
  b: Int32Array;
  /** BYTE, EPS, ASSERT: the state after. */
  next: Int32Array;
  /** The pattern's first state (anchored where the caller starts it). */
  entry: number;
  /** Where a scan starts: the pattern preceded by a lazy skip over bytes (an unanchored search), or `entry` backwards. */
  unanchored: number;
  size: number;
  /** Runs over a line from its end to its start (see `compile`). */
  backward: boolean;
}

/** Bytes that are never part of valid UTF-8 where they stand: lone continuation bytes and leads that cannot start one. */
const invalidBytes = [0x80, 0xbf, 0xc0, 0xc1, 0xf5, 0xff];
const maxStates = 200_000;

/**
 * `backward`: the program of the reversed pattern, anchored where it starts (the line's end),
 * for patterns that only match at a line's end (see `endAnchored`). Read from right to left,
 * `$` is decided by the byte before in scan order and `^` by the byte after, so they swap; a
 * match must end (in scan order) after a whole character.
 */
export function compile(tree: Node, backward = false): Program {
  const kind: number[] = [];
  const a: number[] = [];
  const b: number[] = [];
  const next: number[] = [];
  const add = (k: number, x: number, y: number, n: number): number => {
    if (kind.length >= maxStates)
      throw new Unsupported('The pattern is too large for the search engine.', 'Use smaller counts in {n,m}, or fewer nested repetitions.');
    kind.push(k);
    a.push(x);
    b.push(y);
    next.push(n);
    return kind.length - 1;
  };
  const split = (x: number, y: number) => add(SPLIT, x, y, -1);
  const alternatives = (entries: number[]): number => {
    if (entries.length === 0) return add(SPLIT, -1, -1, -1); // matches nothing: both branches dead
    let e = entries[entries.length - 1]!;
    for (let k = entries.length - 2; k >= 0; k--) e = split(entries[k]!, e);
    return e;
  };

  function set(r: number[], invalid: boolean, to: number): number {
    const entries: number[] = [];
    for (let k = 0; k < r.length; k += 2) {
      // Byte 10 is left out: a line holds no newline.
      const lo = r[k]!;
      const hi = r[k + 1]!;
      const parts = lo <= 10 && hi >= 10 ? [lo, 9, 11, hi] : [lo, hi];
      for (let p = 0; p < parts.length; p += 2) {
        for (const seq of utf8Sequences(parts[p]!, parts[p + 1]!)) {
          let e = to;
          if (backward) for (let j = 0; j < seq.length; j += 2) e = add(BYTE, seq[j]!, seq[j + 1]!, e);
          else for (let j = seq.length - 2; j >= 0; j -= 2) e = add(BYTE, seq[j]!, seq[j + 1]!, e);
          entries.push(e);
        }
      }
    }
    if (invalid) for (let k = 0; k < invalidBytes.length; k += 2) entries.push(add(BYTE, invalidBytes[k]!, invalidBytes[k + 1]!, to));
    return alternatives(entries);
  }

  function emit(n: Node, to: number): number {
    switch (n.t) {
      case 'set':
        return set(n.r, n.invalid, to);
      case 'assert':
        return add(ASSERT, assertCode[backward && n.a === 'bol' ? 'eol' : backward && n.a === 'eol' ? 'bol' : n.a], -1, to);
      case 'cat': {
        let e = to;
        if (backward) for (let k = 0; k < n.items.length; k++) e = emit(n.items[k]!, e);
        else for (let k = n.items.length - 1; k >= 0; k--) e = emit(n.items[k]!, e);
        return n.items.length === 0 ? add(EPS, -1, -1, to) : e;
      }
      case 'alt':
        return alternatives(n.items.map((item) => emit(item, to)));
      case 'rep': {
        let e = to;
        if (n.max === Infinity) {
          const loop = split(-1, -1);
          const body = emit(n.sub, loop);
          a[loop] = n.greedy ? body : to;
          b[loop] = n.greedy ? to : body;
          e = loop;
        } else {
          for (let k = 0; k < n.max - n.min; k++) {
            const body = emit(n.sub, e);
            e = n.greedy ? split(body, to) : split(to, body);
          }
        }
        for (let k = 0; k < n.min; k++) e = emit(n.sub, e);
        return e;
      }
    }
  }

  const match = add(MATCH, -1, -1, -1);
  if (backward) {
    const entry = emit(tree, add(ASSERT, AFTER_CHAR, -1, match));
    return { ...arrays(kind, a, b, next), entry, unanchored: entry, size: kind.length, backward };
  }
  const entry = emit(tree, match);
  // Lowest priority: try the pattern here, else skip one byte and try again.
  const skip = split(-1, -1);
  const start = add(ASSERT, CHAR_START, -1, entry);
  a[skip] = start;
  b[skip] = split(add(BYTE, 0, 9, skip), add(BYTE, 11, 255, skip));
  return { ...arrays(kind, a, b, next), entry, unanchored: skip, size: kind.length, backward };
}

function arrays(kind: number[], a: number[], b: number[], next: number[]) {
  return { kind: Int32Array.from(kind), a: Int32Array.from(a), b: Int32Array.from(b), next: Int32Array.from(next) };
}

/** Whether every match of the pattern ends at a `$`: then a line can be read from its end, and only as far as a match could reach. */
export function endAnchored(n: Node): boolean {
  switch (n.t) {
    case 'assert':
      return n.a === 'eol';
    case 'cat':
      return n.items.length > 0 && endAnchored(n.items[n.items.length - 1]!);
    case 'alt':
      return n.items.every(endAnchored);
    default:
      return false;
  }
}

export const isWordByte = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
