import { describe, expect, it } from 'vitest';
import { compileMatcher } from '../../../core/logs/match.js';
import { compileLineRegex } from '../../../core/logs/regex/engine.js';

// The linear-time engine against V8's RegExp as the oracle: for each pattern and line, whether
// the line matches and where (the ranges a search highlights, JavaScript's leftmost-first
// matches one after another). Lines stay short and in the BMP, where V8 (without the u flag)
// and an engine over code points must agree.

const patterns: [string, string?][] = [
  ['a'],
  ['abc'],
  ['a|b'],
  ['ab|cd'],
  ['(a|ab)(c|bcd)(d*)'],
  ['a*'],
  ['a+?'],
  ['a*?b'],
  ['x*'],
  ['(a*)*'],
  ['(a|)*b'],
  ['(?:a?)+?b'],
  ['^'],
  ['$'],
  ['^$'],
  ['^a'],
  ['a$'],
  ['^a|b$'],
  ['\\bfoo\\b'],
  ['\\Bo'],
  ['\\b'],
  ['\\B'],
  ['o\\b'],
  ['\\w+'],
  ['\\W+'],
  ['\\d{2,3}'],
  ['\\d{2,3}?'],
  ['\\s'],
  ['\\S+'],
  ['\\D+'],
  ['[a-z]+'],
  ['[^a-z]+'],
  ['[^ ]+$'],
  ['.'],
  ['.+'],
  ['.*?x'],
  ['.*'],
  ['é'],
  ['caf(é|e)'],
  ['[éè]'],
  ['[à-ÿ]+'],
  ['[^é]'],
  ['[^éa-z]+'],
  ['\\u00e9'],
  ['\\xe9'],
  ['日本'],
  ['[日本語]+'],
  ['[\\u3000-\\u9fff]+'],
  ['é+'],
  ['[^\\x00-\\x7f]+'],
  ['(?:ab)+'],
  ['(?<n>x)y'],
  ['a{3}'],
  ['a{2,}'],
  ['a{1,2}?'],
  ['a{0}b'],
  ['(a+)+$'],
  ['(a|aa)*b'],
  ['(x+x+)+y'],
  ['(.*a){3}'],
  ['colou?r'],
  ['\\t'],
  ['\\.'],
  ['[.]'],
  ['\\/'],
  ['[\\]]'],
  [']'],
  ['{'],
  ['a{,2}'],
  ['[\\d-z]+'],
  ['\\x41'],
  ['[]'],
  ['[^]'],
  ['\\0'],
  ['\\cI'],
  ['(?:)'],
  ['id=[0-9a-f]{5}fff\\b'],
  ['[0-9a-f]{6}ff$'],
  // Every match ends at $: these lines are also read backwards from their end.
  ['a*$'],
  ['é$'],
  ['[^é]$'],
  ['(?:ab|b)$'],
  ['^\\w+$'],
  ['e\\b$'],
  ['\\B$'],
  ['[^ ]*$'],
  ['.$'],
  ['ção$'],
  ['(a|b)+$|^x'],
  ['^(?:x+x+)+$'],
  ['[é]$', 'i'],
  ['ÃO$', 'i'],
  ['ÉTÉ', 'i'],
  ['straße', 'i'],
  ['ü', 'i'],
  ['[a-f]+', 'i'],
  ['[^a-f]+', 'i'],
  ['σ', 'i'],
  ['k', 'i'],
  ['\\w+', 'i'],
  ['[à-ý]+', 'i'],
  ['[^é]+', 'i'],
  ['ǅ', 'i'],
  ['Needle_42', 'i'],
];

const lines = [
  'abc',
  'aaa',
  'aab',
  'xaaab',
  'foo bar',
  'a foo b',
  'foobar',
  'café crème',
  'été ÉTÉ Été',
  'naïve',
  '日本語テキスト',
  'straße STRASSE Straße',
  'über Über',
  'σς Σ',
  'Kelvin K k \u212a',
  '',
  ' ',
  `${'a'.repeat(18)}!`,
  'xxxxxxxxxxxxxxxxxx',
  '12 345 6789',
  'tab\there',
  'a.b/c]d{e a{,2}',
  'color colour',
  'abcd abd',
  'I0612 12:00:00.123456 10001 slave.cpp:12] id=00c0ffff',
  'ab\u00a0cd\u3000e',
  'ǄǅǆDž',
  'needle_42 NEEDLE_42',
  '\u0000\u0009A',
  'ação',
  'São Paulo é',
  'fim é',
  'abab',
  'fooe',
];

/** V8's matches as UTF-16 ranges, as the search has always reported them. */
function oracle(pattern: string, flags: string, line: string): [number, number][] {
  const re = new RegExp(pattern, `g${flags}`);
  const out: [number, number][] = [];
  for (let m = re.exec(line); m; m = re.exec(line)) {
    out.push([m.index, m.index + m[0].length]);
    if (m[0].length === 0) re.lastIndex++;
  }
  return out;
}

function ours(pattern: string, flags: string, line: string): { matches: boolean; scanned: boolean; ranges: [number, number][] } {
  const r = compileLineRegex(pattern, flags.includes('i'));
  const buf = Buffer.from(line);
  const units = (byte: number) => buf.toString('utf8', 0, byte).length;
  const flat = r.ranges(buf, 0, buf.length);
  const ranges: [number, number][] = [];
  for (let k = 0; k < flat.length; k += 2) ranges.push([units(flat[k]!), units(flat[k + 1]!)]);
  let scanned = false;
  const withNewline = Buffer.from(`${line}\n`);
  r.scan(withNewline, 0, withNewline.length, () => (scanned = true));
  return { matches: r.matches(buf, 0, buf.length), scanned, ranges };
}

describe('the linear-time engine against V8', () => {
  it.each(patterns)('%s (flags %s) matches the same lines, at the same places', (pattern, flags = '') => {
    for (const line of lines) {
      const expected = oracle(pattern, flags, line);
      const got = ours(pattern, flags, line);
      expect({ line, ...got }).toEqual({ line, matches: expected.length > 0, scanned: expected.length > 0, ranges: expected });
    }
  });

  it('scans many lines at once: the same lines as one by one, CRLF lines and a last line without a newline', () => {
    const text = ['id=abcdef ok', 'x', '', 'ERROR at end\r', 'no', 'abcff', 'a\rback', 'last ERROR'].join('\n');
    const buf = Buffer.from(text);
    for (const [pattern, flags = ''] of [['ERROR$'], ['^$'], ['^'], ['[0-9a-f]{3}ff$'], ['r', 'i'], ['zzz'], ['end$'], ['k$']] as [
      string,
      string?,
    ][]) {
      const r = compileLineRegex(pattern, flags.includes('i'));
      const found: string[] = [];
      r.scan(buf, 0, buf.length, (s, e) => (found.push(buf.toString('utf8', s, e)), true));
      // JavaScript's $ also matches before a CR; the line a search shows has no CR.
      const expected = text.split('\n').filter((l) => new RegExp(pattern, `m${flags}`).test(l));
      expect(found).toEqual(expected);
    }
  });

  it('stays exact when its state cache is emptied again and again', () => {
    const pattern = '[a-q][^u-z]{6}[abc]';
    const small = compileLineRegex(pattern, false, { maxStates: 8 });
    const random = (seed: number) => () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed / 2 ** 31);
    const r = random(7);
    const text = Array.from({ length: 300 }, () => Array.from({ length: 100 }, () => 'abcqrsuvwxyz'[Math.floor(r() * 12)]).join('')).join(
      '\n',
    );
    const buf = Buffer.from(text);
    const found: number[] = [];
    small.scan(buf, 0, buf.length, (s) => (found.push(s), true));
    let offset = 0;
    const expected: number[] = [];
    for (const l of text.split('\n')) {
      if (new RegExp(pattern).test(l)) expected.push(offset);
      offset += l.length + 1;
    }
    expect(expected.length).toBeGreaterThan(10);
    expect(found).toEqual(expected);
    expect(small.dfa.clears).toBeGreaterThan(0);
  });

  it('reads lines backwards from their end for a pattern whose every match ends at $', () => {
    const r = compileLineRegex('[0-9a-f]{6}ff$', false);
    expect(r.backward).not.toBeNull();
    expect(compileLineRegex('ff$|x', false).backward).toBeNull();
    const lines = ['I0612 12:00:00.1 slave.cpp:1] offer id=0012ffff', 'I0612 12:00:00.2 slave.cpp:1] offer id=0012fffe', 'abcdefff'];
    const buf = Buffer.from(`${lines.join('\n')}\n`);
    const found: string[] = [];
    r.scan(buf, 0, buf.length, (s, e) => (found.push(buf.toString('latin1', s, e)), true));
    expect(found).toEqual([lines[0], lines[2]]);
    const second = lines[0]!.length + 1;
    expect(r.backward!.startBackward(buf, second, second + lines[1]!.length, false)).toBe(-1);
  });

  it('treats invalid UTF-8 as single characters that never start inside a valid one', () => {
    const buf = Buffer.concat([Buffer.from('a'), Buffer.from([0xff]), Buffer.from('b é')]);
    expect(compileLineRegex('a.b', false).matches(buf, 0, buf.length)).toBe(true);
    expect(compileLineRegex('a\\Wb', false).matches(buf, 0, buf.length)).toBe(true);
    // The continuation byte of "é" is not a character of its own.
    expect(compileLineRegex('[^é]$', false).matches(buf, 0, buf.length)).toBe(false);
    expect(compileLineRegex(' .$', false).ranges(buf, 0, buf.length)).toEqual([3, 6]);
  });
});

describe('patterns that make a backtracking engine take exponential time', () => {
  // Each line is thousands of bytes: V8 would take longer than the age of the universe.
  it.each([
    ['(a+)+$', `${'a'.repeat(5000)}!`, false],
    ['(a|aa)*b', 'a'.repeat(5000), false],
    ['(x+x+)+y', 'x'.repeat(5000), false],
    ['(.*a){20}', `${'a'.repeat(19)}${'b'.repeat(5000)}`, false],
    ['(.*a){20}', `${'ab'.repeat(2500)}`, true],
  ])('%s completes on a line V8 would backtrack on', (pattern, line, expected) => {
    const r = compileLineRegex(pattern, false);
    const buf = Buffer.from(`${line}\n`.repeat(20));
    let n = 0;
    r.scan(buf, 0, buf.length, () => (n++, true));
    expect(n).toBe(expected ? 20 : 0);
    const ranges = r.ranges(buf, 0, line.length);
    expect(ranges.length > 0).toBe(expected);
  });
});

describe('what the engine refuses', () => {
  it.each([
    ['(a)\\1', 'backreference'],
    ['(?<w>a)\\k<w>', 'backreference'],
    ['a(?=b)', 'lookaround'],
    ['a(?!b)', 'lookaround'],
    ['(?<=a)b', 'lookaround'],
    ['(?<!a)b', 'lookaround'],
  ])('%s: SEARCH_INVALID, saying the linear-time engine cannot run it', (query, what) => {
    let error: unknown;
    try {
      compileMatcher({ query, mode: 'regex', caseInsensitive: false });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({
      code: 'SEARCH_INVALID',
      message: expect.stringContaining(what),
      hint: expect.stringContaining('not supported by the linear-time search engine'),
    });
  });

  it('reads \\1 without a group as V8 does (an octal escape), not as a backreference', () => {
    expect(compileMatcher({ query: 'a\\1', mode: 'regex', caseInsensitive: false })).toMatchObject({ kind: 'regex' });
  });
});
