import { ConsoleError } from '../model/errors.js';
import { requiredLiterals } from './prefilter.js';

/**
 * What a search looks for, in a form a worker thread can receive (plain data). Searches run on
 * bytes: a literal with `Buffer.indexOf`, everything else as a RegExp over the chunk decoded as
 * latin1, where one character is one byte, so a match's index is its byte offset and nothing is
 * decoded as UTF-8 but the lines that match.
 */
export type Matcher = { kind: 'bytes'; needle: Uint8Array } | { kind: 'regex'; source: string; flags: string };

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

/**
 * One character of a case-insensitive literal: its simple case variants (one code point each,
 * so `ß` does not become `SS`), as byte sequences. ASCII letters become `[aA]`.
 */
function foldedChar(c: string): string {
  const variants = [...new Set([c, c.toLowerCase(), c.toUpperCase()])].filter((v) => [...v].length === 1);
  if (variants.length === 1) return byteEscapes(c);
  if (variants.every((v) => v.charCodeAt(0) < 0x80)) return `[${variants.map(byteEscapes).join('')}]`;
  return `(?:${variants.map(byteEscapes).join('|')})`;
}

export function compileMatcher(q: MatchQuery): Matcher {
  if (q.query.includes('\n') && q.mode === 'literal') {
    throw invalid('A search looks within one line, and this text holds a line break.', 'Search for one line of it.');
  }
  if (q.mode === 'literal') {
    const needle = Buffer.from(q.query, 'utf8');
    if (!q.caseInsensitive || q.query.toLowerCase() === q.query.toUpperCase()) return { kind: 'bytes', needle };
    return checked([...q.query].map(foldedChar).join(''), 'gm');
  }
  return checked(regexOverBytes(q.query), q.caseInsensitive ? 'gmi' : 'gm');
}

function checked(source: string, flags: string): Matcher {
  try {
    new RegExp(source, flags);
  } catch (e) {
    throw invalid(`The regular expression is not valid: ${(e as Error).message}`, 'Fix the pattern (JavaScript syntax), or search for literal text.');
  }
  return { kind: 'regex', source, flags };
}

/**
 * A user's pattern, with each non-ASCII character (written as itself, `\uXXXX` or `\xHH`) turned
 * into its UTF-8 bytes, grouped so a quantifier after it applies to the whole character. Inside
 * `[...]` that cannot work (the class would match single bytes), so it is refused with a hint.
 */
export function regexOverBytes(pattern: string): string {
  let out = '';
  let inClass = false;
  const chars = [...pattern];
  const nonAscii = (c: string) => {
    if (inClass) {
      throw invalid(
        `"${c}" inside [...] is not supported: the search runs on UTF-8 bytes, where it is several.`,
        'Use an alternation instead, e.g. (é|è).',
      );
    }
    out += `(?:${byteEscapes(c)})`;
  };
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === '\\' && i + 1 < chars.length) {
      const next = chars[i + 1]!;
      const hex = next === 'u' ? /^[0-9a-fA-F]{4}/.exec(chars.slice(i + 2, i + 6).join('')) : next === 'x' ? /^[0-9a-fA-F]{2}/.exec(chars.slice(i + 2, i + 4).join('')) : null;
      if (hex && parseInt(hex[0], 16) >= 0x80) {
        nonAscii(String.fromCharCode(parseInt(hex[0], 16)));
        i += 1 + hex[0].length;
      } else if (next.codePointAt(0)! >= 0x80) {
        nonAscii(next);
        i += 1;
      } else {
        out += c + next;
        i += 1;
      }
      continue;
    }
    if (c.codePointAt(0)! >= 0x80) {
      nonAscii(c);
      continue;
    }
    if (c === '[' && !inClass) inClass = true;
    else if (c === ']' && inClass) inClass = false;
    out += c;
  }
  return out;
}

const compiled = new Map<string, { re: RegExp; literals: Buffer[] }>();

/**
 * The compiled form, in the thread that scans, kept from chunk to chunk, with the literals
 * every match must contain (see prefilter.ts). V8 runs a new regexp in
 * its interpreter first and compiles it to machine code only when it runs again, and its cache of
 * compiled regexps is emptied by the collections that 4 MiB chunk strings cause: a RegExp made
 * per chunk scanned most of every chunk interpreted, two to three times slower. Warmed on a short
 * string so the first chunk already runs compiled.
 */
export function matcherRegExp(m: Extract<Matcher, { kind: 'regex' }>): { re: RegExp; literals: Buffer[] } {
  const key = `${m.flags}/${m.source}`;
  let c = compiled.get(key);
  if (!c) {
    const re = new RegExp(m.source, m.flags);
    for (let i = 0; i < 3; i++) re.exec('warm up\n');
    if (compiled.size >= 8) compiled.delete(compiled.keys().next().value!);
    c = { re, literals: requiredLiterals(m.source, m.flags) };
    compiled.set(key, c);
  }
  c.re.lastIndex = 0;
  return c;
}
