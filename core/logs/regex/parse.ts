import { caseFold, complement, digit, lineTerminators, normalize, space, word, type Ranges } from './charset.js';

/**
 * A user's pattern, in the JavaScript syntax they type (without the u flag, with the legacy
 * forms of Annex B that V8 accepts: `]` and `{` as themselves, `\8`, octal escapes, `\c`), read
 * into a tree the byte engine compiles. V8 has checked the syntax before (its messages are the
 * ones users see); this reader refuses only what a linear-time engine cannot run: backreferences
 * and lookaround.
 *
 * Characters are code points (as with the u flag): `.` matches a whole emoji. With the i flag a
 * character matches the others that JavaScript's simple case folding (Canonicalize) equates.
 */
export type Node =
  /** One character of the set; `invalid`: also one byte that cannot be part of valid UTF-8. */
  | { t: 'set'; r: Ranges; invalid: boolean }
  | { t: 'cat'; items: Node[] }
  | { t: 'alt'; items: Node[] }
  | { t: 'rep'; sub: Node; min: number; max: number; greedy: boolean }
  | { t: 'assert'; a: 'bol' | 'eol' | 'wb' | 'nwb' };

/** What the engine refuses, with what the user can do instead. */
export class Unsupported extends Error {
  constructor(
    message: string,
    readonly hint = 'Backreferences and lookaround are not supported by the linear-time search engine; rewrite the pattern without them (search for the part that must be there), or search for literal text.',
  ) {
    super(message);
  }
}

export function parse(pattern: string, caseInsensitive: boolean): Node {
  const groups = countGroups(pattern);
  let i = 0;
  const peek = (k = 0) => pattern[i + k] ?? '';
  const set = (r: Ranges, invalid = false): Node => ({ t: 'set', r: caseInsensitive ? caseFold(normalize(r)) : normalize(r), invalid });
  const notSet = (r: Ranges): Node => ({ t: 'set', r: complement(caseInsensitive ? caseFold(normalize(r)) : r), invalid: true });
  const one = (c: number): Node => set([c, c]);

  function alternation(): Node {
    const items = [sequence()];
    while (peek() === '|') {
      i++;
      items.push(sequence());
    }
    return items.length === 1 ? items[0]! : { t: 'alt', items };
  }

  function sequence(): Node {
    const items: Node[] = [];
    while (i < pattern.length && peek() !== '|' && peek() !== ')') {
      const atom = term();
      items.push(quantified(atom));
    }
    return items.length === 1 ? items[0]! : { t: 'cat', items };
  }

  function quantified(atom: Node): Node {
    let min: number;
    let max: number;
    const c = peek();
    if (c === '*') [min, max] = [0, Infinity];
    else if (c === '+') [min, max] = [1, Infinity];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
      if (!m) return atom;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      i += m[0].length - 1;
    } else return atom;
    i++;
    const greedy = peek() !== '?';
    if (!greedy) i++;
    return { t: 'rep', sub: atom, min, max, greedy };
  }

  function term(): Node {
    const c = peek();
    if (c === '^' || c === '$') {
      i++;
      return { t: 'assert', a: c === '^' ? 'bol' : 'eol' };
    }
    if (c === '.') {
      i++;
      return { t: 'set', r: complement(lineTerminators), invalid: true };
    }
    if (c === '(') return group();
    if (c === '[') return charClass();
    if (c === '\\') return escape();
    const cp = pattern.codePointAt(i)!;
    i += cp > 0xffff ? 2 : 1;
    return one(cp);
  }

  function group(): Node {
    i++;
    if (peek() === '?') {
      const kind = pattern.slice(i, i + 3);
      if (kind.startsWith('?=') || kind.startsWith('?!') || kind === '?<=' || kind === '?<!') {
        throw new Unsupported(
          `The pattern uses lookaround "(${kind.slice(0, kind[1] === '<' ? 3 : 2)}…)", which a search cannot run without backtracking.`,
        );
      }
      if (kind.startsWith('?:')) i += 2;
      else if (kind.startsWith('?<')) i = pattern.indexOf('>', i) + 1;
      else throw new Unsupported(`The group "(${kind}" is not supported by the linear-time search engine.`, 'Use (?:…) or (…) groups.');
    }
    const inner = i < pattern.length && peek() === ')' ? ({ t: 'cat', items: [] } as Node) : alternation();
    i++; // ')'
    return inner;
  }

  /** An escape outside a class. */
  function escape(): Node {
    const e = peek(1);
    if (e === 'b' || e === 'B') {
      i += 2;
      return { t: 'assert', a: e === 'b' ? 'wb' : 'nwb' };
    }
    if (/[1-9]/.test(e)) {
      const n = /^\d+/.exec(pattern.slice(i + 1))![0];
      if (Number(n) <= groups.count) throw backreference(`\\${n}`);
    }
    if (e === 'k' && groups.named) throw backreference('\\k<…>');
    const cls = classEscape(e);
    if (cls) {
      i += 2;
      return cls;
    }
    return one(characterEscape(false));
  }

  function backreference(what: string): Unsupported {
    return new Unsupported(`The pattern uses a backreference (${what}), which a search cannot run without backtracking.`);
  }

  function classEscape(e: string): Node | null {
    if (e === 'd') return set(digit);
    if (e === 'w') return set(word);
    if (e === 's') return set(space);
    if (e === 'D') return notSet(digit);
    if (e === 'W') return notSet(word);
    if (e === 'S') return notSet(space);
    return null;
  }

  /** The code point of the escape at i (a backslash), moving past it. */
  function characterEscape(inClass: boolean): number {
    const e = peek(1);
    i += 2;
    const simple: Record<string, number> = { t: 9, n: 10, v: 11, f: 12, r: 13 };
    if (e in simple) return simple[e]!;
    if (inClass && e === 'b') return 8;
    if (e === 'c') {
      const x = peek();
      if (/[A-Za-z]/.test(x) || (inClass && /[0-9_]/.test(x))) {
        i++;
        return x.charCodeAt(0) % 32;
      }
      i--; // "\c" that is not a control escape: a backslash, then "c" read as itself
      return 0x5c;
    }
    if (e === 'x' || e === 'u') {
      const m = (e === 'x' ? /^[0-9a-fA-F]{2}/ : /^[0-9a-fA-F]{4}/).exec(pattern.slice(i));
      if (!m) return e.charCodeAt(0);
      i += m[0].length;
      return parseInt(m[0], 16);
    }
    if (/[0-7]/.test(e)) {
      // A legacy octal escape: up to three digits, at most \377.
      let v = Number(e);
      if (/[0-7]/.test(peek())) v = v * 8 + Number(pattern[i++]);
      if (v < 32 && /[0-7]/.test(peek())) v = v * 8 + Number(pattern[i++]);
      return v;
    }
    const cp = pattern.codePointAt(i - 1)!;
    if (cp > 0xffff) i++;
    return cp;
  }

  function charClass(): Node {
    i++;
    const negated = peek() === '^';
    if (negated) i++;
    const members: Ranges = [];
    // One member: a code point, or a set (\d…) that cannot end a range.
    const member = (): number | Ranges => {
      if (peek() === '\\') {
        const e = peek(1);
        const cls = { d: digit, w: word, s: space, D: complement(digit), W: complement(word), S: complement(space) }[e];
        if (cls) {
          i += 2;
          return cls;
        }
        return characterEscape(true);
      }
      const cp = pattern.codePointAt(i)!;
      i += cp > 0xffff ? 2 : 1;
      return cp;
    };
    while (i < pattern.length && peek() !== ']') {
      const a = member();
      if (typeof a !== 'number') {
        members.push(...a);
        continue;
      }
      if (peek() === '-' && peek(1) !== ']' && i + 1 < pattern.length) {
        i++;
        const b = member();
        if (typeof b === 'number') members.push(a, b);
        else members.push(a, a, 0x2d, 0x2d, ...b); // [a-\d]: Annex B reads the '-' as itself
        continue;
      }
      members.push(a, a);
    }
    i++; // ']'
    return negated ? notSet(members) : set(members);
  }

  const tree = alternation();
  if (i < pattern.length)
    throw new Unsupported(`Unexpected "${pattern.slice(i, i + 10)}" in the pattern.`, 'Fix the pattern (JavaScript syntax).');
  return tree;
}

/** Capturing groups of the pattern, and whether any is named (then \k is a backreference). */
function countGroups(p: string): { count: number; named: boolean } {
  let count = 0;
  let named = false;
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') {
      if (p[i + 1] !== '?') count++;
      else if (p[i + 2] === '<' && p[i + 3] !== '=' && p[i + 3] !== '!') {
        count++;
        named = true;
      }
    }
  }
  return { count, named };
}
