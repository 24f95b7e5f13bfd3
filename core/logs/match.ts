import { ConsoleError } from '../errors.js';
import { requiredLiterals } from './prefilter.js';
import { compileLineRegex, type LineRegex } from './regex/engine.js';
import { compile } from './regex/nfa.js';
import { parse, Unsupported } from './regex/parse.js';

/**
 * What a search looks for, in a form a worker thread can receive (plain data). Searches run on
 * bytes: a literal with `Buffer.indexOf`, everything else with the linear-time engine of
 * regex/ (a lazy DFA over the UTF-8 bytes, never backtracking), so nothing is decoded as UTF-8
 * but the lines that match. `source` is the pattern as the user typed it (a case-insensitive
 * literal: escaped); `states` is the size of its NFA, what one byte can cost at worst.
 */
export type Matcher = { kind: 'bytes'; needle: Uint8Array } | { kind: 'regex'; source: string; flags: string; states: number };

export interface MatchQuery {
  query: string;
  mode: 'literal' | 'regex';
  caseInsensitive: boolean;
}

function invalid(message: string, hint: string): ConsoleError {
  return new ConsoleError('SEARCH_INVALID', message, hint);
}

/** A string whose characters are the UTF-8 bytes of `s`, written as `\xHH` escapes for a RegExp. */
function byteEscapes(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) out += `\\x${b.toString(16).padStart(2, '0')}`;
  return out;
}

export function compileMatcher(q: MatchQuery): Matcher {
  if (q.query.includes('\n') && q.mode === 'literal') {
    throw invalid('A search looks within one line, and this text holds a line break.', 'Search for one line of it.');
  }
  if (q.mode === 'literal') {
    const needle = Buffer.from(q.query, 'utf8');
    if (!q.caseInsensitive || q.query.toLowerCase() === q.query.toUpperCase()) return { kind: 'bytes', needle };
    return checked(q.query.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&'), 'i');
  }
  return checked(q.query, q.caseInsensitive ? 'i' : '');
}

/**
 * Checks the syntax with V8 (its messages are the ones users know; building a RegExp runs
 * nothing), then compiles it for our engine, which refuses what it cannot run in linear time.
 */
function checked(source: string, flags: string): Matcher {
  try {
    new RegExp(source, `m${flags}`);
  } catch (e) {
    throw invalid(
      `The regular expression is not valid: ${(e as Error).message}`,
      'Fix the pattern (JavaScript syntax), or search for literal text.',
    );
  }
  try {
    const states = compile(parse(source, flags.includes('i'))).size;
    return { kind: 'regex', source, flags, states };
  } catch (e) {
    if (!(e instanceof Unsupported)) throw e;
    throw invalid(e.message, e.hint);
  }
}

/**
 * The pattern as the prefilter reads it (see prefilter.ts): each non-ASCII character outside
 * [...] (written as itself, `\uXXXX` or `\xHH`) turned into its UTF-8 bytes as `\xHH` escapes,
 * grouped so a quantifier after it applies to the whole character. Classes are left as they
 * are: the prefilter never takes a literal from one.
 */
export function prefilterSource(pattern: string): string {
  let out = '';
  let inClass = false;
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === '\\' && i + 1 < chars.length) {
      const next = chars[i + 1]!;
      const hex =
        next === 'u'
          ? /^[0-9a-fA-F]{4}/.exec(chars.slice(i + 2, i + 6).join(''))
          : next === 'x'
            ? /^[0-9a-fA-F]{2}/.exec(chars.slice(i + 2, i + 4).join(''))
            : null;
      if (!inClass && hex && parseInt(hex[0], 16) >= 0x80) {
        out += `(?:${byteEscapes(String.fromCharCode(parseInt(hex[0], 16)))})`;
        i += 1 + hex[0].length;
      } else if (!inClass && next.codePointAt(0)! >= 0x80) {
        out += `(?:${byteEscapes(next)})`;
        i += 1;
      } else {
        out += c + next;
        i += 1;
      }
      continue;
    }
    if (!inClass && c.codePointAt(0)! >= 0x80) {
      out += `(?:${byteEscapes(c)})`;
      continue;
    }
    if (c === '[' && !inClass) inClass = true;
    else if (c === ']' && inClass) inClass = false;
    out += c;
  }
  return out;
}

const compiled = new Map<string, { regex: LineRegex; literals: Buffer[] }>();

/** The patterns this thread has compiled to run ("flags/source"): tests check the main thread runs none. */
export function patternsRunHere(): string[] {
  return [...compiled.keys()];
}

/**
 * The compiled form, in the thread that scans, kept from chunk to chunk (a lazy DFA gets
 * faster as its table fills), with the literals every match must contain (see prefilter.ts).
 */
export function compiledMatcher(m: Extract<Matcher, { kind: 'regex' }>): { regex: LineRegex; literals: Buffer[] } {
  const key = `${m.flags}/${m.source}`;
  let c = compiled.get(key);
  if (!c) {
    if (compiled.size >= 8) compiled.delete(compiled.keys().next().value!);
    c = { regex: compileLineRegex(m.source, m.flags.includes('i')), literals: requiredLiterals(prefilterSource(m.source), m.flags) };
    compiled.set(key, c);
  }
  return c;
}
