import { bidiControls } from '../../../core/contract/log-text.js';
import { parseAnsi } from './ansi.js';

/**
 * A log line cut into what the viewer draws: runs of one style, split where a search match
 * starts or ends and around each symbol the API shows for a control character (␀, ␛, the bidi
 * arrows), which the viewer boxes so it never passes for text.
 */
export interface LinePart {
  text: string;
  /** Space-separated class names, '' for plain text. */
  classes: string;
  color?: string;
  background?: string;
  /** Inside a search match. */
  mark: boolean;
  /** A control symbol: what it stands for. */
  control?: string;
}

/** What each control symbol stands for (its tooltip). */
const controlNames = new Map<string, string>([
  ...Object.values(bidiControls).map((c) => [c.picture, c.name] as const),
  ...Array.from(
    { length: 32 },
    (_, code) => [String.fromCharCode(0x2400 + code), `U+${code.toString(16).toUpperCase().padStart(4, '0')} control character`] as const,
  ),
  ['\u2421', 'U+007F DELETE'],
]);
const symbols = new RegExp(`[${[...controlNames.keys()].join('')}]`, 'g');

/** Character ranges of search matches in a line's text. */
export type Ranges = readonly (readonly [number, number])[];

export function lineParts(text: string, ranges: Ranges = []): LinePart[] {
  const parts: LinePart[] = [];
  for (const run of parseAnsi(text)) {
    const style = {
      classes: run.classes,
      ...(run.color ? { color: run.color } : {}),
      ...(run.background ? { background: run.background } : {}),
    };
    const cuts = new Set<number>([0, run.text.length]);
    for (const [from, to] of ranges) {
      for (const c of [from - run.start, to - run.start]) if (c > 0 && c < run.text.length) cuts.add(c);
    }
    for (const m of run.text.matchAll(symbols)) cuts.add(m.index).add(m.index + 1);
    const at = [...cuts].sort((a, b) => a - b);
    for (let k = 0; k + 1 < at.length; k++) {
      const a = at[k]!;
      const b = at[k + 1]!;
      const piece = run.text.slice(a, b);
      const p = run.start + a;
      const part: LinePart = { text: piece, ...style, mark: ranges.some(([from, to]) => p >= from && p < to) };
      const control = b - a === 1 ? controlNames.get(piece) : undefined;
      if (control) part.control = control;
      parts.push(part);
    }
  }
  return parts;
}

/** Characters of a row kept before its first match when the match would be past the row's edge. */
const lead = 24;

/**
 * A row's text from a little before its first match, when that match lies further in than a row
 * shows unwrapped: the match is on screen, not clipped off to the right. The cut is at a safe
 * point, outside an escape sequence and a surrogate pair.
 */
export function inView(text: string, ranges: Ranges | undefined): { text: string; ranges: Ranges | undefined; skipped: number } {
  const first = ranges?.[0]?.[0] ?? 0;
  if (!ranges || first <= lead * 2) return { text, ranges, skipped: 0 };
  let k = first - lead;
  const esc = text.lastIndexOf('\x1b', k);
  // Never inside a sequence: step back to its ESC when the cut falls in one (they are short).
  if (esc >= 0 && k - esc < 64 && !/[\x40-\x7e\x07]/.test(text.slice(esc + 2, k))) k = esc;
  const c = text.charCodeAt(k);
  if (c >= 0xdc00 && c <= 0xdfff) k--;
  // The colours set before the cut still apply to what is shown.
  const sgr = (text.slice(0, k).match(/\x1b\[[0-9;:]*m/g) ?? []).join('');
  const shift = k - sgr.length;
  return { text: sgr + text.slice(k), ranges: ranges.map(([a, b]) => [a - shift, b - shift] as const), skipped: k };
}
