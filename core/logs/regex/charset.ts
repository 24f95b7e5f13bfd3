/**
 * Sets of code points (sorted, disjoint [lo, hi] pairs) and what the byte engine needs from
 * them: JavaScript's case folding, the complement, and the UTF-8 byte sequences that spell them.
 */
export type Ranges = number[];

export const maxCodePoint = 0x10ffff;

/** Sorted, merged copy of any list of [lo, hi] pairs. */
export function normalize(r: Ranges): Ranges {
  const pairs: [number, number][] = [];
  for (let k = 0; k < r.length; k += 2) pairs.push([r[k]!, r[k + 1]!]);
  pairs.sort((a, b) => a[0] - b[0]);
  const out: Ranges = [];
  for (const [lo, hi] of pairs) {
    if (out.length > 0 && lo <= out[out.length - 1]! + 1) out[out.length - 1] = Math.max(out[out.length - 1]!, hi);
    else out.push(lo, hi);
  }
  return out;
}

/** Every code point but those of `r`. */
export function complement(r: Ranges): Ranges {
  const n = normalize(r);
  const out: Ranges = [];
  let next = 0;
  for (let k = 0; k < n.length; k += 2) {
    if (n[k]! > next) out.push(next, n[k]! - 1);
    next = n[k + 1]! + 1;
  }
  if (next <= maxCodePoint) out.push(next, maxCodePoint);
  return out;
}

function contains(r: Ranges, c: number): boolean {
  let lo = 0;
  let hi = r.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (c < r[mid * 2]!) hi = mid - 1;
    else if (c > r[mid * 2 + 1]!) lo = mid + 1;
    else return true;
  }
  return false;
}

/**
 * JavaScript's Canonicalize for a regexp without the u flag (ECMA-262 22.2.2.7.3): the upper
 * case when it is one UTF-16 unit and does not take a non-ASCII character to ASCII. Characters
 * beyond U+FFFF are surrogate pairs there and never fold.
 */
function canonicalize(c: number): number {
  const u = String.fromCharCode(c).toUpperCase();
  if (u.length !== 1) return c;
  const cu = u.charCodeAt(0);
  return c >= 128 && cu < 128 ? c : cu;
}

/**
 * Blocks without case (CJK, Yi, Hangul syllables, surrogates, private use) that no character
 * folds into: skipped when the classes are built, which happens on the main thread, at the
 * first case-insensitive search.
 */
const uncased: [number, number][] = [
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xd800, 0xf8ff],
];

/** Code point → the others of its case class, for the BMP characters that have any. Built once. */
let classes: Map<number, number[]> | null = null;
let folding: number[] = [];

function caseClasses(): Map<number, number[]> {
  if (classes) return classes;
  const byCanon = new Map<number, number[]>();
  for (let c = 0; c <= 0xffff; c++) {
    const skip = uncased.find(([lo, hi]) => c >= lo && c <= hi);
    if (skip) {
      c = skip[1];
      continue;
    }
    const k = canonicalize(c);
    const members = byCanon.get(k);
    if (members) members.push(c);
    else byCanon.set(k, [c]);
  }
  classes = new Map();
  for (const members of byCanon.values()) {
    if (members.length < 2) continue;
    for (const m of members) classes.set(m, members);
  }
  folding = [...classes.keys()].sort((a, b) => a - b);
  return classes;
}

/** `r` with every member's case variants added, as the i flag matches. */
export function caseFold(r: Ranges): Ranges {
  const cls = caseClasses();
  const extra: Ranges = [];
  for (const c of folding) if (contains(r, c)) for (const m of cls.get(c)!) extra.push(m, m);
  return extra.length === 0 ? r : normalize([...r, ...extra]);
}

function encode(c: number): number[] {
  return [...Buffer.from(String.fromCodePoint(c), 'utf8')];
}

/**
 * The byte sequences of UTF-8 for the code points lo..hi (no surrogates), each a list of
 * [lo, hi] byte ranges, one per byte: the split of RE2 and Rust's regex-syntax (Utf8Sequences).
 */
export function utf8Sequences(lo: number, hi: number, out: number[][] = []): number[][] {
  if (lo > hi) return out;
  if (lo <= 0xdfff && hi >= 0xd800) {
    utf8Sequences(lo, 0xd7ff, out);
    return utf8Sequences(0xe000, hi, out);
  }
  for (const b of [0x7f, 0x7ff, 0xffff]) {
    if (lo <= b && hi > b) {
      utf8Sequences(lo, b, out);
      return utf8Sequences(b + 1, hi, out);
    }
  }
  if (hi < 0x80) {
    out.push([lo, hi]);
    return out;
  }
  const n = hi < 0x800 ? 2 : hi < 0x10000 ? 3 : 4;
  for (let i = 1; i < n; i++) {
    const m = (1 << (6 * i)) - 1;
    if ((lo & ~m) !== (hi & ~m)) {
      if ((lo & m) !== 0) {
        utf8Sequences(lo, lo | m, out);
        return utf8Sequences((lo | m) + 1, hi, out);
      }
      if ((hi & m) !== m) {
        utf8Sequences(lo, (hi & ~m) - 1, out);
        return utf8Sequences(hi & ~m, hi, out);
      }
    }
  }
  const a = encode(lo);
  const z = encode(hi);
  const seq: number[] = [];
  for (let k = 0; k < a.length; k++) seq.push(a[k]!, z[k]!);
  out.push(seq);
  return out;
}

const range = (s: string): Ranges => {
  const out: Ranges = [];
  for (const part of s.split(',')) {
    const [a, b] = part.split('-').map((h) => parseInt(h, 16));
    out.push(a!, b ?? a!);
  }
  return out;
};

/** \d, \w, \s of JavaScript (without the u flag). */
export const digit = range('30-39');
export const word = range('30-39,41-5a,5f,61-7a');
export const space = range('9-d,20,a0,1680,2000-200a,2028-2029,202f,205f,3000,feff');
/** What `.` leaves out: the line terminators. */
export const lineTerminators = range('a,d,2028-2029');
