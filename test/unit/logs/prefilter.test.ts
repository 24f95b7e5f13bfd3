import { describe, expect, it } from 'vitest';
import { LineBudget, startOfLastLines } from '../../../core/logs/budget.js';
import { memoryFile } from './fixtures.js';
import { compileMatcher } from '../../../core/logs/match.js';
import { rarest, requiredLiterals } from '../../../core/logs/prefilter.js';

const literals = (source: string, flags = 'gm') => requiredLiterals(source, flags).map((b) => b.toString('latin1'));

describe('literals every regex match must contain', () => {
  it('are the runs of plain characters between other constructs, longest first', () => {
    expect(literals('id=[0-9a-f]{5}fff\\b')).toEqual(['id=', 'fff']);
    expect(literals('^ERROR: (disk|net) failed$')).toEqual(['ERROR: ', ' failed']);
    expect(literals('a\\.b\\d+c')).toEqual(['a.b']);
  });

  it('leave out what may be absent or repeated: optional atoms, alternations, groups', () => {
    expect(literals('colou?r')).toEqual(['colo']);
    expect(literals('abx*yz')).toEqual(['ab', 'yz']);
    expect(literals('ab+cd')).toEqual(['ab', 'cd']);
    expect(literals('foo|bar')).toEqual([]);
    expect(literals('(?:xyz)?abc')).toEqual(['abc']);
    expect(literals('x{2,}yy')).toEqual(['yy']);
  });

  it('under the i flag keep only bytes V8 does not fold', () => {
    const folded = compileMatcher({ query: 'needle_xyzzy_42', mode: 'literal', caseInsensitive: true });
    expect(folded.kind === 'regex' && literals(folded.source, folded.flags)).toEqual(['_42']);
    expect(literals('caf\\xc3\\xa9 #12', 'gmi')).toEqual([' #12']);
  });

  it('are only used when rare enough in the text to pay off', () => {
    const text = Buffer.from('id=1 common\n'.repeat(100) + 'id=2 rare\n');
    expect(rarest([Buffer.from('id='), Buffer.from('rare')], text)?.toString()).toBe('rare');
    expect(rarest([Buffer.from('id=')], text)).toBeNull();
  });
});

describe('the follow line budget', () => {
  it('allows a burst, then lines at its rate', () => {
    let now = 0;
    const b = new LineBudget(1000, 100, () => now);
    expect(b.lines()).toBe(100);
    b.spend(100);
    expect(b.lines()).toBe(0);
    now += 50;
    expect(b.lines()).toBe(50);
    now += 10_000;
    expect(b.lines()).toBe(100);
    expect(new LineBudget(Infinity, 0).lines()).toBe(Infinity);
  });

  it('finds where the last n complete lines start, not counting one still being written', async () => {
    const file = memoryFile(Buffer.from('a\nbb\nccc\ndddd\npartial'));
    expect(await startOfLastLines(file, 0, 21, 2, 1000)).toBe(5); // "ccc", "dddd"
    expect(await startOfLastLines(file, 0, 21, 0, 1000)).toBe(14); // only the partial line
    expect(await startOfLastLines(file, 0, 21, 4, 1000)).toBe(0); // all of them
    expect(await startOfLastLines(file, 0, 21, 9, 1000)).toBe(0);
  });
});
