import { bidiControls, escapeSequence } from '../contract/log-text.js';

/**
 * Bytes of one line → the text a viewer shows. Works on a slice of a Buffer so a caller never
 * decodes more than `maxLineChars` worth of a line, whatever its length on disk.
 */

/**
 * Decoding this many bytes always yields at least `maxLineChars` UTF-16 units when the line is
 * longer: a UTF-8 sequence of n bytes gives at least one unit per 3 bytes (4-byte sequences give
 * two units), and an invalid byte gives one U+FFFD. The +3 covers a sequence cut at the end.
 */
export function capBytes(maxLineChars: number): number {
  return maxLineChars * 3 + 3;
}

const bidi = '\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069';
/** Anything a terminal would act on or hide, and bidi controls; a whole escape sequence is one match. */
const hidden = new RegExp(`${escapeSequence.source}|[\\x00-\\x08\\x0a-\\x1f\\x7f${bidi}]`, 'g');
const anyControl = new RegExp(`[\\x00-\\x08\\x0a-\\x1f\\x7f${bidi}]`);
/**
 * For ASCII text holding many lines: a control other than tab or newline. Written as a negated
 * class, which V8 runs about a third faster over a long string than the positive one.
 */
export const asciiControlBesideNewline = /[^\t\n\x20-\x7e]/;

/**
 * The Unicode "control pictures" (U+2400 + code for C0 controls, U+2421 for DEL), an arrow for
 * a bidi control; an escape sequence stays as it is.
 */
function picture(c: string): string {
  if (c.length > 1) return c;
  const code = c.charCodeAt(0);
  if (code > 0x7f) return bidiControls[c]?.picture ?? c;
  return String.fromCharCode(code === 0x7f ? 0x2421 : 0x2400 + code);
}

/** Makes control characters visible; one UTF-16 unit stays one unit, so offsets in the text hold. */
export function visibleControls(text: string): string {
  return anyControl.test(text) ? text.replace(hidden, picture) : text;
}

/** The first `max` UTF-16 units, one fewer rather than half a surrogate pair. */
export function cut(text: string, max: number): string {
  const last = text.charCodeAt(max - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}

export interface DecodedLine {
  text: string;
  truncated: boolean;
  /** How many bytes of the line were decoded (the CR before the newline is not). */
  bytes: number;
}

/**
 * Decodes `buf[start, end)` — one line without its newline — as UTF-8 with U+FFFD for invalid
 * bytes, drops a CR before the newline, cuts at `maxLineChars` UTF-16 units (never inside a
 * surrogate pair) and makes control characters visible. `lineLength` is the full length of the
 * line on disk when `buf` holds only its head.
 */
export function decodeLine(buf: Uint8Array, start: number, end: number, maxLineChars: number, lineLength = end - start): DecodedLine {
  let stop = Math.min(end, start + capBytes(maxLineChars));
  const whole = stop - start === lineLength;
  if (whole && stop > start && buf[stop - 1] === 13) stop--;
  let text = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('utf8', start, stop);
  let truncated = !whole;
  if (text.length > maxLineChars) {
    text = cut(text, maxLineChars);
    truncated = true;
  }
  return { text: visibleControls(text), truncated, bytes: stop - start };
}

/**
 * The UTF-16 index in the decoded line of byte `index` of that line. Equal for ASCII (the usual
 * case, found without decoding); otherwise decodes the prefix, which is bounded by the cap.
 */
export function charIndex(buf: Buffer, lineStart: number, index: number, line: DecodedLine): number {
  if (index <= 0) return 0;
  // No unit comes from less than one byte, so equal counts mean one unit per byte throughout.
  if (line.text.length === line.bytes) return Math.min(index, line.text.length);
  return Math.min(buf.toString('utf8', lineStart, lineStart + Math.min(index, line.bytes)).length, line.text.length);
}

/** The first byte at or after `p` (and before `end`) that starts a UTF-8 character: at most 3 continuation bytes on. */
export function charStart(buf: Uint8Array, p: number, end = buf.length): number {
  let i = p;
  while (i < end && i < p + 3 && (buf[i]! & 0xc0) === 0x80) i++;
  return i;
}

/**
 * Where the text of a matched line starts, in bytes from its start: 0 when the match
 * [matchStart, matchEnd) lies within the first `maxLineChars` characters, as usual; otherwise
 * a quarter of the window before the match, at a character start, so the viewer shows the match
 * with some of what precedes it however deep in a long line it is.
 */
export function matchWindow(buf: Uint8Array, lineStart: number, matchStart: number, matchEnd: number, maxLineChars: number): number {
  // Bytes never decode to more characters: a match ending within maxLineChars bytes is in the head.
  if (matchEnd <= maxLineChars) return 0;
  const head = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString(
    'utf8',
    lineStart,
    lineStart + Math.min(matchEnd, capBytes(maxLineChars)),
  );
  if (matchEnd <= capBytes(maxLineChars) && head.length <= maxLineChars) return 0;
  const lead = Math.min(matchStart, Math.floor(maxLineChars / 4));
  return charStart(buf, lineStart + matchStart - lead, lineStart + matchStart) - lineStart;
}
