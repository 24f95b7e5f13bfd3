/**
 * A strict JSON reader (RFC 8259) for job files: it reports where a syntax error is (line and
 * column, 1-based) and every duplicate key, which JSON.parse does neither of. Objects come back
 * with a null prototype, so a key like "__proto__" is just a key.
 */

export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

export interface DuplicateKey {
  path: string;
  key: string;
  line: number;
  column: number;
}

export type JsonParseResult =
  { ok: true; value: Json; duplicates: DuplicateKey[] } | { ok: false; line: number; column: number; message: string };

/** `base.key`, or `base["key"]` when the key is not a plain name. */
export function childPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  if (/^[\w-]+$/.test(key)) return base === '' ? key : `${base}.${key}`;
  return `${base}[${JSON.stringify(key)}]`;
}

export function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class SyntaxFailure extends Error {
  constructor(
    readonly at: number,
    message: string,
  ) {
    super(message);
  }
}

const escapes: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const numberRe = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

export function parseJson(text: string): JsonParseResult {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const duplicates: { at: number; path: string; key: string }[] = [];

  const describe = (at: number): string =>
    at >= text.length ? 'unexpected end of file' : `unexpected character ${JSON.stringify(text[at])}`;
  const fail = (expected: string, at = i): never => {
    throw new SyntaxFailure(at, `${describe(at)}, expected ${expected}`);
  };
  const skipWs = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };

  const parseString = (): string => {
    i++; // opening quote
    let out = '';
    for (;;) {
      if (i >= text.length) throw new SyntaxFailure(i, 'unterminated string');
      const ch = text[i]!;
      const code = ch.charCodeAt(0);
      if (ch === '"') {
        i++;
        return out;
      }
      if (code < 0x20) throw new SyntaxFailure(i, 'control character in string (escape it, e.g. \\n)');
      if (ch !== '\\') {
        out += ch;
        i++;
        continue;
      }
      const e = text[i + 1];
      if (e !== undefined && e in escapes) {
        out += escapes[e];
        i += 2;
      } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
        out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
        i += 6;
      } else {
        throw new SyntaxFailure(i, 'invalid escape in string');
      }
    }
  };

  const parseValue = (path: string, depth: number): Json => {
    if (depth > 200) throw new SyntaxFailure(i, 'nested too deeply');
    skipWs();
    const ch = text[i];
    if (ch === '{') return parseObject(path, depth);
    if (ch === '[') return parseArray(path, depth);
    if (ch === '"') return parseString();
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return value;
      }
    }
    numberRe.lastIndex = i;
    const m = numberRe.exec(text);
    if (m) {
      i += m[0].length;
      return Number(m[0]);
    }
    return fail('a value');
  };

  const parseArray = (path: string, depth: number): Json[] => {
    i++;
    const out: Json[] = [];
    skipWs();
    if (text[i] === ']') {
      i++;
      return out;
    }
    for (;;) {
      out.push(parseValue(childPath(path, out.length), depth + 1));
      skipWs();
      if (text[i] === ',') i++;
      else if (text[i] === ']') {
        i++;
        return out;
      } else fail('"," or "]"');
    }
  };

  const parseObject = (path: string, depth: number): JsonObject => {
    i++;
    const out = Object.create(null) as JsonObject;
    skipWs();
    if (text[i] === '}') {
      i++;
      return out;
    }
    for (;;) {
      skipWs();
      if (text[i] !== '"') fail('a key in double quotes');
      const keyAt = i;
      const key = parseString();
      if (Object.hasOwn(out, key)) duplicates.push({ at: keyAt, path, key });
      skipWs();
      if (text[i] !== ':') fail('":"');
      i++;
      out[key] = parseValue(childPath(path, key), depth + 1);
      skipWs();
      if (text[i] === ',') i++;
      else if (text[i] === '}') {
        i++;
        return out;
      } else fail('"," or "}"');
    }
  };

  try {
    const value = parseValue('', 0);
    skipWs();
    if (i < text.length) fail('the end of the file');
    return {
      ok: true,
      value,
      duplicates: duplicates.map((d) => ({ path: d.path, key: d.key, ...lineColumn(text, d.at) })),
    };
  } catch (e) {
    if (!(e instanceof SyntaxFailure)) throw e;
    return { ok: false, message: e.message, ...lineColumn(text, e.at) };
  }
}

function lineColumn(text: string, at: number): { line: number; column: number } {
  let line = 1;
  let lineStart = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let k = 0; k < at && k < text.length; k++) {
    if (text[k] === '\n') {
      line++;
      lineStart = k + 1;
    }
  }
  return { line, column: at - lineStart + 1 };
}
