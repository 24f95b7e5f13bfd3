import type { MesosTime } from './types.js';

/**
 * Mesos times, without losing precision. v1 sends `TimeInfo {nanoseconds: int64}` as a JSON
 * number (~1.7e18, past 2^53, so JSON.parse would round it by up to 256 ns) or, through a
 * proto3 JSON encoder, as a string; v0 and task statuses send doubles of seconds.
 */

const nanosKey = Buffer.from('"nanoseconds"', 'latin1');

const isSpace = (c: number | undefined) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const isDigit = (c: number | undefined) => c !== undefined && c >= 0x30 && c <= 0x39;

/**
 * The JSON with every integer value of a `"nanoseconds"` key quoted, so JSON.parse keeps its
 * digits. Exact for valid JSON: a key's opening quote is never preceded by a backslash, and an
 * escaped quote inside a string always is; so `\"nanoseconds\": 1` inside a string value is
 * left alone. Non-integers (`1.5e18`) are left as numbers.
 *
 * Works on the bytes, before they are decoded: finding the key is a native memmem, and the
 * copy with the quotes put in is one pass of memcpy (a string version would build the whole
 * text a second time through joins).
 */
export function quoteNanoseconds(json: Buffer): Buffer;
export function quoteNanoseconds(json: string): string;
export function quoteNanoseconds(json: Buffer | string): Buffer | string {
  if (typeof json === 'string') {
    if (!json.includes('"nanoseconds"')) return json;
    return quoteNanoseconds(Buffer.from(json, 'utf8')).toString('utf8');
  }
  const b = json;
  // [start, end) of each integer to quote.
  const spans: number[] = [];
  let i = b.indexOf(nanosKey);
  while (i >= 0) {
    let j = i + nanosKey.length;
    if (i === 0 || b[i - 1] !== 0x5c) {
      while (isSpace(b[j])) j++;
      if (b[j] === 0x3a) {
        j++;
        while (isSpace(b[j])) j++;
        const start = j;
        if (b[j] === 0x2d) j++;
        const digits = j;
        while (isDigit(b[j])) j++;
        const next = b[j];
        if (j > digits && next !== 0x2e && next !== 0x65 && next !== 0x45) spans.push(start, j);
      }
    }
    i = b.indexOf(nanosKey, j);
  }
  if (spans.length === 0) return b;
  const out = Buffer.allocUnsafe(b.length + spans.length);
  let o = 0;
  let last = 0;
  for (let k = 0; k < spans.length; k += 2) {
    const start = spans[k]!;
    const end = spans[k + 1]!;
    o += b.copy(out, o, last, start);
    out[o++] = 0x22;
    o += b.copy(out, o, start, end);
    out[o++] = 0x22;
    last = end;
  }
  b.copy(out, o, last);
  return out;
}

/** Decimal digits of an integer, without leading zeros (keeps a leading '-'); null if it is not one. */
function integerDigits(text: string): string | null {
  const m = /^(-?)0*(\d+)$/.exec(text);
  if (!m) return null;
  const digits = m[2]!;
  return digits === '0' ? '0' : m[1]! + digits;
}

/** ns digits → ms since the epoch, rounded down (towards -∞, so times before 1970 stay ordered). */
function msOfNs(ns: string): number {
  const neg = ns.startsWith('-');
  const abs = neg ? ns.slice(1) : ns;
  const whole = abs.length > 6 ? Number(abs.slice(0, -6)) : 0;
  if (!neg) return whole;
  const exact = abs.length <= 6 ? abs !== '0' : !/^0+$/.test(abs.slice(-6));
  return -whole - (exact ? 1 : 0);
}

/**
 * A v1 `TimeInfo` (`{"nanoseconds": ...}`), its `nanoseconds` as digits (after
 * quoteNanoseconds) or as a safe number; null when absent or not an integer.
 */
export function timeOfTimeInfo(value: unknown): MesosTime | null {
  if (value === null || typeof value !== 'object') return null;
  return timeOfNanoseconds((value as { nanoseconds?: unknown }).nanoseconds);
}

export function timeOfNanoseconds(ns: unknown): MesosTime | null {
  let digits: string | null = null;
  if (typeof ns === 'string') digits = integerDigits(ns);
  else if (typeof ns === 'number' && Number.isInteger(ns)) {
    // Only a safe integer is exact; a bigger one has already been rounded by whoever parsed it.
    digits = Number.isSafeInteger(ns) ? String(ns) : BigInt(ns).toString();
  } else if (typeof ns === 'bigint') digits = ns.toString();
  if (digits === null) return null;
  return { ms: msOfNs(digits), ns: digits };
}

/**
 * A double of seconds since the epoch (`registered_time`, status `timestamp`). The ns digits
 * are those of the shortest decimal that reads back as the same double, which is the text
 * Mesos wrote (it prints doubles that way), so nothing is invented past the precision sent.
 */
export function timeOfSeconds(seconds: unknown): MesosTime | null {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return null;
  const text = String(seconds);
  if (seconds >= 1 && !text.includes('e')) {
    // The common case (every Mesos time since 1970), without a regex: 100,000 tasks have 300,000 statuses.
    const dot = text.indexOf('.');
    const whole = dot < 0 ? text : text.slice(0, dot);
    const frac = dot < 0 ? '' : text.slice(dot + 1, dot + 10);
    const ns = whole + (frac.length === 9 ? frac : frac + '000000000'.slice(frac.length));
    return { ms: Number(ns.slice(0, -6)), ns };
  }
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) {
    // Exponent notation (|x| < 1e-6 or ≥ 1e21): not a plausible Mesos time; keep it approximate.
    const ms = Math.floor(seconds * 1000);
    return { ms, ns: BigInt(Math.round(seconds * 1e9)).toString() };
  }
  const frac = (m[3] ?? '').slice(0, 9).padEnd(9, '0');
  const digits = integerDigits(m[1]! + m[2]! + frac) ?? '0';
  return { ms: msOfNs(digits), ns: digits };
}
