import Anser from 'anser';
import { escapeSequence } from '../../../core/contract/log-text.js';

/**
 * The escape sequences of a log line (the API keeps them whole: `escapeSequence`) as runs of
 * text with CSS classes and colours. SGR (`ESC [ … m`) is read by anser, which knows the
 * 256-colour palette, truecolour and the decorations; every other sequence (erase-line
 * `ESC [ K`, OSC titles and hyperlinks, `ESC ( B`) is dropped, the text between them kept.
 * The text is only ever rendered as React text: a line holding `<script>` shows those characters.
 */
export interface AnsiRun {
  text: string;
  /** Space-separated class names, '' for plain text. */
  classes: string;
  /** Colours that have no class: palette entries 16–255 and truecolour, as CSS colours. */
  color?: string;
  background?: string;
  /** Where the run starts in the original text (search ranges refer to it). */
  start: number;
}

const sequences = new RegExp(escapeSequence.source, 'g');
const sgr = /^\x1b\[([0-9;:]*)m$/;

/** anser's class names for the 16 standard colours → our theme's colour index. */
const standard = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'];
function themeIndex(cls: string): number | null {
  const bright = cls.startsWith('ansi-bright-');
  const i = standard.indexOf(cls.slice(bright ? 12 : 5));
  return i < 0 ? null : i + (bright ? 8 : 0);
}

/** xterm's palette entries 16–255: a 6×6×6 cube, then 24 greys. */
export function paletteColor(n: number): string {
  if (n >= 232) {
    const v = 8 + (n - 232) * 10;
    return `rgb(${v}, ${v}, ${v})`;
  }
  const levels = [0, 95, 135, 175, 215, 255];
  const c = n - 16;
  return `rgb(${levels[Math.floor(c / 36)]}, ${levels[Math.floor(c / 6) % 6]}, ${levels[c % 6]})`;
}

/**
 * ITU T.416 colon sub-parameters (`38:2::255:0:0`, `38:5:32`, `4:3` curly underline), which
 * some tools emit, as the semicolon form anser reads.
 */
function semicolons(params: string): string {
  if (!params.includes(':')) return params;
  return params
    .split(';')
    .map((group) => {
      if (!group.includes(':')) return group;
      const p = group.split(':');
      if ((p[0] === '38' || p[0] === '48') && p[1] === '5') return `${p[0]};5;${p[2] ?? ''}`;
      if ((p[0] === '38' || p[0] === '48') && p[1] === '2') return `${p[0]};2;${p.slice(-3).join(';')}`;
      return p[0];
    })
    .join(';');
}

interface Style {
  classes: string;
  color?: string;
  background?: string;
}

const decorationClass: Record<string, string> = {
  bold: 'ansi-bold',
  dim: 'ansi-dim',
  italic: 'ansi-italic',
  underline: 'ansi-underline',
  strikethrough: 'ansi-strike',
};

function styleOf(e: Anser.AnserJsonEntry): Style {
  const classes: string[] = [];
  const out: Style = { classes: '' };
  const side = (value: string | null, truecolor: string | null, kind: 'fg' | 'bg') => {
    if (!value) return;
    const theme = themeIndex(value);
    if (theme !== null) classes.push(`ansi-${kind}-${theme}`);
    else {
      const css =
        value === 'ansi-truecolor' && truecolor
          ? `rgb(${truecolor})`
          : value.startsWith('ansi-palette-')
            ? paletteColor(Number(value.slice(13)))
            : null;
      if (css && kind === 'fg') out.color = css;
      if (css && kind === 'bg') out.background = css;
    }
  };
  side(e.fg, e.fg_truecolor, 'fg');
  side(e.bg, e.bg_truecolor, 'bg');
  for (const d of new Set(e.decorations)) {
    const c = decorationClass[d];
    if (c) classes.push(c);
  }
  out.classes = classes.join(' ');
  return out;
}

/** Splits a line at its escape sequences; the sequences themselves are not shown. */
export function parseAnsi(text: string): AnsiRun[] {
  const runs: AnsiRun[] = [];
  if (!text.includes('\x1b')) return text ? [{ text, classes: '', start: 0 }] : runs;
  // One parser per line: it carries the SGR state from sequence to sequence.
  const parser = new Anser();
  let style: Style = { classes: '' };
  let last = 0;
  const push = (to: number) => {
    if (to <= last) return;
    const run: AnsiRun = { text: text.slice(last, to), classes: style.classes, start: last };
    if (style.color) run.color = style.color;
    if (style.background) run.background = style.background;
    runs.push(run);
  };
  for (const m of text.matchAll(sequences)) {
    push(m.index);
    last = m.index + m[0].length;
    const params = sgr.exec(m[0])?.[1];
    if (params === undefined) continue;
    const entries = parser.ansiToJson(`\x1b[${semicolons(params)}m`, { use_classes: true });
    const entry = entries[entries.length - 1];
    if (entry) style = styleOf(entry);
  }
  push(text.length);
  return runs;
}

/** The line without its escape sequences (what copying and the long-line view show). */
export function stripAnsi(text: string): string {
  return text.replace(sequences, '');
}
