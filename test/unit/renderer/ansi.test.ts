import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeLine } from '../../../core/logs/text.js';
import { parseAnsi, stripAnsi } from '../../../renderer/features/logs/ansi.js';
import { inView, lineParts } from '../../../renderer/features/logs/line-parts.js';

const fixtures = path.resolve(import.meta.dirname, '../../fixtures/ansi');
/** The lines of a fixture as the API sends them (decoded, controls made visible). */
const linesOf = (name: string) => {
  const bytes = fs.readFileSync(path.join(fixtures, name));
  const out: string[] = [];
  for (let s = 0, nl = bytes.indexOf(10); nl >= 0; s = nl + 1, nl = bytes.indexOf(10, s)) out.push(decodeLine(bytes, s, nl, 10_000).text);
  return out;
};
const styled = (text: string) =>
  parseAnsi(text)
    .filter((r) => r.classes || r.color || r.background)
    .map((r) => ({ text: r.text, classes: r.classes, color: r.color, background: r.background }));
/** What the viewer draws, as markup-like text: [mark], {control name}. */
const drawn = (text: string, ranges?: [number, number][]) =>
  lineParts(text, ranges)
    .map((p) => {
      const t = p.control ? `{${p.control}: ${p.text}}` : p.text;
      return p.mark ? `[${t}]` : t;
    })
    .join('');

describe('ANSI colours of real tool output', () => {
  it('ls --color: the dircolors defaults, bold and colour together', () => {
    const lines = linesOf('ls-color.txt');
    expect(styled(lines[1]!)).toEqual([
      { text: 'archive.tar.gz', classes: 'ansi-fg-1 ansi-bold', color: undefined, background: undefined },
    ]);
    expect(styled(lines[4]!)).toEqual([{ text: 'sandbox', classes: 'ansi-fg-4 ansi-bold', color: undefined, background: undefined }]);
    expect(lines.map(stripAnsi).join('\n')).not.toMatch(/\x1b|\u241b/);
  });

  it('256-colour index 32 is a blue, not green; bold + truecolour keeps both', () => {
    const lines = linesOf('ls-color-256.txt');
    expect(styled(lines[3]!)).toEqual([{ text: 'sandbox', classes: '', color: 'rgb(0, 135, 215)', background: undefined }]);
    expect(styled(lines[1]!)).toEqual([{ text: 'latest', classes: '', color: 'rgb(255, 135, 0)', background: undefined }]);
    expect(styled(lines[2]!)).toEqual([{ text: 'run.sh', classes: 'ansi-bold', color: 'rgb(255, 0, 0)', background: undefined }]);
    expect(styled('\x1b[48;5;196;38;5;15mX')).toEqual([
      { text: 'X', classes: 'ansi-fg-15', color: undefined, background: 'rgb(255, 0, 0)' },
    ]);
    expect(styled('\x1b[38:2::10:20:30mX')).toEqual([{ text: 'X', classes: '', color: 'rgb(10, 20, 30)', background: undefined }]);
  });

  it('grep --color: ESC[K after each colour is dropped, not shown', () => {
    const [first] = linesOf('grep-color.txt');
    const runs = parseAnsi(first!);
    expect(runs.map((r) => r.text).join('')).toBe('2:ERROR: disk full on /dev/xvdb');
    expect(styled(first!)).toEqual([
      { text: '2', classes: 'ansi-fg-2', color: undefined, background: undefined },
      { text: ':', classes: 'ansi-fg-6', color: undefined, background: undefined },
      { text: 'ERROR', classes: 'ansi-fg-1 ansi-bold', color: undefined, background: undefined },
    ]);
    expect(drawn(first!)).not.toMatch(/\x1b|\u241b|\[K/);
  });

  it('rich: OSC 8 hyperlinks dropped with their text kept, truecolour, italic, underline, dim', () => {
    const [error, log, fatal] = linesOf('rich.txt');
    expect(stripAnsi(error!)).toBe('Error: could not reach agent 10.0.3.7 (retrying)');
    expect(styled(error!)).toEqual([
      { text: 'Error:', classes: 'ansi-fg-1 ansi-bold', color: undefined, background: undefined },
      { text: 'agent 10.0.3.7', classes: 'ansi-underline', color: 'rgb(0, 135, 255)', background: undefined },
      { text: '(retrying)', classes: 'ansi-italic', color: 'rgb(255, 135, 0)', background: undefined },
    ]);
    expect(drawn(error!)).not.toMatch(/\x1b|\u241b|8;|https:/);
    expect(styled(log!)[0]).toEqual({
      text: '[12/03/26 14:55:01]',
      classes: 'ansi-fg-6 ansi-dim',
      color: undefined,
      background: undefined,
    });
    expect(styled(fatal!)).toEqual([
      { text: 'FATAL', classes: 'ansi-bold', color: 'rgb(255, 0, 0)', background: undefined },
      { text: 'worker-3', classes: '', color: 'rgb(0, 135, 215)', background: undefined },
    ]);
  });

  it('Spark with log4j2 %highlight: levels coloured, ESC[m resets', () => {
    const lines = linesOf('spark-log4j.txt');
    expect(lines.map((l) => styled(l)[0])).toEqual([
      { text: 'INFO', classes: 'ansi-fg-2', color: undefined, background: undefined },
      { text: 'WARN', classes: 'ansi-fg-3', color: undefined, background: undefined },
      { text: 'ERROR', classes: 'ansi-fg-1 ansi-bold', color: undefined, background: undefined },
      { text: 'DEBUG', classes: 'ansi-fg-6', color: undefined, background: undefined },
    ]);
    expect(lines.every((l) => styled(l).length === 1)).toBe(true);
  });

  it('keeps search ranges on the original text across dropped sequences', () => {
    const [first] = linesOf('grep-color.txt');
    const at = first!.indexOf('disk');
    expect(drawn(first!, [[at, at + 4]])).toBe('2:ERROR: [disk] full on /dev/xvdb');
  });
});

describe('control symbols in a line', () => {
  it('shows bidi controls as boxed arrows that name the control, so the text reads as stored', () => {
    const text = decodeLine(Buffer.from('access \u202eevil\u202c granted'), 0, 30, 100).text;
    const out = drawn(text);
    expect(out).toBe('access {U+202E RIGHT-TO-LEFT OVERRIDE: \u21da}evil{U+202C POP DIRECTIONAL FORMATTING: \u21a5} granted');
    expect(out).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200e\u200f]/);
  });

  it('boxes NUL like the other controls, inside a match too', () => {
    expect(drawn('xa\u2400b', [[1, 4]])).toBe('x[a][{U+0000 control character: \u2400}][b]');
  });
});

describe('a row with a match far into its line', () => {
  it('starts a little before the match, keeping the colours set before it', () => {
    const text = `\x1b[33m${'a'.repeat(500)}NEEDLE${'b'.repeat(100)}`;
    const view = inView(text, [[505, 511]]);
    expect(view.skipped).toBe(481);
    expect(drawn(view.text, view.ranges as [number, number][])).toBe(`${'a'.repeat(24)}[NEEDLE]${'b'.repeat(100)}`);
    expect(lineParts(view.text)[0]).toMatchObject({ classes: 'ansi-fg-3' });
    expect(inView('short NEEDLE', [[6, 12]])).toMatchObject({ text: 'short NEEDLE', skipped: 0 });
  });
});
