/**
 * ANSI SGR colours (`ESC [ … m`) of a log line, as runs of text with CSS class names. The text
 * is only ever rendered as React text: a line holding `<script>` shows those characters.
 */
export interface AnsiRun {
  text: string;
  /** Space-separated class names, '' for plain text. */
  classes: string;
  /** Where the run starts in the original text (search ranges refer to it). */
  start: number;
}

interface SgrState {
  fg: number | null;
  bg: number | null;
  bold: boolean;
}

const sgr = /\u001b\[([0-9;]*)m/g;

function apply(state: SgrState, params: string): SgrState {
  const codes = params === '' ? [0] : params.split(';').map((p) => Number(p || 0));
  let next = { ...state };
  for (const c of codes) {
    if (c === 0) next = { fg: null, bg: null, bold: false };
    else if (c === 1) next.bold = true;
    else if (c === 22) next.bold = false;
    else if (c >= 30 && c <= 37) next.fg = c - 30;
    else if (c >= 90 && c <= 97) next.fg = c - 90 + 8;
    else if (c === 39) next.fg = null;
    else if (c >= 40 && c <= 47) next.bg = c - 40;
    else if (c >= 100 && c <= 107) next.bg = c - 100 + 8;
    else if (c === 49) next.bg = null;
  }
  return next;
}

function classesOf(s: SgrState): string {
  const out: string[] = [];
  if (s.fg !== null) out.push(`ansi-fg-${s.fg}`);
  if (s.bg !== null) out.push(`ansi-bg-${s.bg}`);
  if (s.bold) out.push('ansi-bold');
  return out.join(' ');
}

/** Splits a line at its SGR sequences; the sequences themselves are not shown. */
export function parseAnsi(text: string): AnsiRun[] {
  const runs: AnsiRun[] = [];
  let state: SgrState = { fg: null, bg: null, bold: false };
  let last = 0;
  for (const m of text.matchAll(sgr)) {
    if (m.index > last) runs.push({ text: text.slice(last, m.index), classes: classesOf(state), start: last });
    state = apply(state, m[1] ?? '');
    last = m.index + m[0].length;
  }
  if (last < text.length) runs.push({ text: text.slice(last), classes: classesOf(state), start: last });
  return runs;
}

/** The line without its SGR sequences (what search ranges and copying refer to). */
export function stripAnsi(text: string): string {
  return text.replace(sgr, '');
}
