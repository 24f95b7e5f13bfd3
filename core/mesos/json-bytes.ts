/**
 * JSON read from bytes, strings kept as bytes. The agent's `/files/read` answers
 * `{"offset": N, "data": "<the file's bytes>"}` where `data` is the raw bytes dumped into a
 * JSON string: rapidjson (Mesos ≥ 1.7) escapes only `"`, `\` and the bytes below 0x20 (`\n`,
 * `\t`, … or `\u00XX`), and writes every other byte as is, valid UTF-8 or not (writes are not
 * validated; reference/mesos.md §3). Older Mesos (stout's own writer) also escapes `/` and 0x7F.
 * Decoding the body as UTF-8 first would turn every invalid byte into U+FFFD and break offsets,
 * so this parser walks the bytes and gives each string back as the exact bytes it encodes.
 *
 * `\uXXXX` at or above 0x80 is never written by Mesos; should a re-encoding proxy write one, it
 * is read as JSON means it, a code point, and becomes that code point's UTF-8 bytes.
 */

export type ByteJson = null | boolean | number | Buffer | ByteJson[] | { [key: string]: ByteJson };

export class ByteJsonError extends Error {
  readonly at: number;
  constructor(message: string, at: number) {
    super(`${message} at byte ${at}`);
    this.name = 'ByteJsonError';
    this.at = at;
  }
}

export function parseByteJson(bytes: Buffer): ByteJson {
  const p = new Parser(bytes);
  p.space();
  const value = p.value(0);
  p.space();
  if (p.i !== bytes.length) throw new ByteJsonError('unexpected bytes after the JSON value', p.i);
  return value;
}

const maxDepth = 64;

class Parser {
  i = 0;
  constructor(private readonly b: Buffer) {}

  space(): void {
    const b = this.b;
    while (this.i < b.length) {
      const c = b[this.i]!;
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return;
      this.i++;
    }
  }

  private end(): never {
    throw new ByteJsonError('unexpected end of JSON', this.i);
  }

  value(depth: number): ByteJson {
    if (depth > maxDepth) throw new ByteJsonError('nested too deep', this.i);
    if (this.i >= this.b.length) this.end();
    const c = this.b[this.i]!;
    if (c === 0x7b) return this.object(depth);
    if (c === 0x5b) return this.array(depth);
    if (c === 0x22) return this.string();
    if (c === 0x74) return this.word('true', true);
    if (c === 0x66) return this.word('false', false);
    if (c === 0x6e) return this.word('null', null);
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
    throw new ByteJsonError(`unexpected byte 0x${c.toString(16).padStart(2, '0')}`, this.i);
  }

  private word<T>(word: string, value: T): T {
    if (this.b.toString('latin1', this.i, this.i + word.length) !== word) {
      if (this.i + word.length > this.b.length) this.end();
      throw new ByteJsonError(`expected ${word}`, this.i);
    }
    this.i += word.length;
    return value;
  }

  private number(): number {
    const start = this.i;
    const b = this.b;
    while (this.i < b.length) {
      const c = b[this.i]!;
      if ((c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2b || c === 0x2e || c === 0x65 || c === 0x45) this.i++;
      else break;
    }
    const text = b.toString('latin1', start, this.i);
    if (!/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(text)) {
      if (this.i >= b.length) this.end();
      throw new ByteJsonError(`invalid number "${text}"`, start);
    }
    return Number(text);
  }

  private object(depth: number): { [key: string]: ByteJson } {
    const out: { [key: string]: ByteJson } = {};
    this.i++;
    this.space();
    if (this.b[this.i] === 0x7d) {
      this.i++;
      return out;
    }
    for (;;) {
      this.space();
      if (this.i >= this.b.length) this.end();
      if (this.b[this.i] !== 0x22) throw new ByteJsonError('expected a key', this.i);
      const key = this.string().toString('utf8');
      this.space();
      if (this.i >= this.b.length) this.end();
      if (this.b[this.i] !== 0x3a) throw new ByteJsonError("expected ':'", this.i);
      this.i++;
      this.space();
      out[key] = this.value(depth + 1);
      this.space();
      if (this.i >= this.b.length) this.end();
      const c = this.b[this.i++];
      if (c === 0x7d) return out;
      if (c !== 0x2c) throw new ByteJsonError("expected ',' or '}'", this.i - 1);
    }
  }

  private array(depth: number): ByteJson[] {
    const out: ByteJson[] = [];
    this.i++;
    this.space();
    if (this.b[this.i] === 0x5d) {
      this.i++;
      return out;
    }
    for (;;) {
      this.space();
      out.push(this.value(depth + 1));
      this.space();
      if (this.i >= this.b.length) this.end();
      const c = this.b[this.i++];
      if (c === 0x5d) return out;
      if (c !== 0x2c) throw new ByteJsonError("expected ',' or ']'", this.i - 1);
    }
  }

  /** The bytes a string encodes. Fast path: a run without escapes is one copy. */
  string(): Buffer {
    const b = this.b;
    const start = ++this.i;
    // Most of a log is plain bytes: find the first quote or backslash (memchr, not a JS loop).
    const quote = b.indexOf(0x22, start);
    const backslash = b.indexOf(0x5c, start);
    const j = quote < 0 ? b.length : backslash >= 0 && backslash < quote ? backslash : quote;
    if (j >= b.length) {
      this.i = j;
      this.end();
    }
    if (b[j] === 0x22) {
      this.i = j + 1;
      return Buffer.from(b.subarray(start, j));
    }
    // Escapes: decoded output is never longer than the encoded input.
    const out = Buffer.allocUnsafe(this.stringEnd(j) - start);
    let o = b.copy(out, 0, start, j);
    let k = j;
    for (;;) {
      const c = b[k]!;
      if (c === 0x22) break;
      if (c !== 0x5c) {
        out[o++] = c;
        k++;
        continue;
      }
      const e = b[k + 1];
      k += 2;
      switch (e) {
        case 0x22:
        case 0x5c:
        case 0x2f:
          out[o++] = e;
          break;
        case 0x62:
          out[o++] = 0x08;
          break;
        case 0x66:
          out[o++] = 0x0c;
          break;
        case 0x6e:
          out[o++] = 0x0a;
          break;
        case 0x72:
          out[o++] = 0x0d;
          break;
        case 0x74:
          out[o++] = 0x09;
          break;
        case 0x75: {
          let cp = this.hex4(k);
          k += 4;
          if (cp < 0x80) {
            out[o++] = cp;
            break;
          }
          // A surrogate pair is one code point; a lone surrogate becomes U+FFFD.
          if (cp >= 0xd800 && cp <= 0xdbff && b[k] === 0x5c && b[k + 1] === 0x75) {
            const low = this.hex4(k + 2);
            if (low >= 0xdc00 && low <= 0xdfff) {
              cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
              k += 6;
            }
          }
          if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
          o += out.write(String.fromCodePoint(cp), o, 'utf8');
          break;
        }
        default:
          throw new ByteJsonError('invalid escape in a string', k - 2);
      }
    }
    this.i = k + 1;
    return out.subarray(0, o);
  }

  /** Index of the closing quote of a string with escapes, scanning from `j`. */
  private stringEnd(j: number): number {
    const b = this.b;
    while (j < b.length) {
      const c = b[j]!;
      if (c === 0x22) return j;
      j += c === 0x5c ? 2 : 1;
    }
    this.i = b.length;
    this.end();
  }

  private hex4(at: number): number {
    if (at + 4 > this.b.length) {
      this.i = this.b.length;
      this.end();
    }
    const text = this.b.toString('latin1', at, at + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(text)) throw new ByteJsonError('invalid \\u escape', at - 2);
    return parseInt(text, 16);
  }
}
