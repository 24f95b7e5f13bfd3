import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import type { SearchItem } from '../../../core/contract/logs.js';
import type { SearchQuery, SandboxFiles } from '../../../core/logs/source.js';
import { Collected, finished, matchesOf, memoryFile, runDir, sleep, type RunDir } from './fixtures.js';

const runs: RunDir[] = [];
afterEach(async () => {
  for (const r of runs.splice(0)) await r.close();
});

function setup(content: string | Buffer, chunkBytes = 4 * 1024 * 1024) {
  const run = runDir({ search: { chunkBytes, progressMs: 0 } });
  runs.push(run);
  run.write('stdout', content);
  return run;
}

const query = (q: Partial<SearchQuery> & { query: string }): SearchQuery => ({
  mode: 'literal',
  caseInsensitive: false,
  from: 0,
  maxMatches: 10_000,
  maxLineChars: 2000,
  ...q,
});

async function search(run: RunDir, q: Partial<SearchQuery> & { query: string }) {
  const out = new Collected<SearchItem>();
  await run.source.search('stdout', query(q), out);
  await out.until(finished);
  return out;
}
const found = (out: Collected<SearchItem>) => matchesOf(out.items).map((m) => [m.line.offset, m.line.text, m.ranges]);

describe('literal search', () => {
  it('finds each matching line once, with every match in it as a character range', async () => {
    const out = await search(setup('alpha\nbeta ERROR x ERROR\ngamma\nERROR at last'), { query: 'ERROR' });
    expect(found(out)).toEqual([
      [
        6,
        'beta ERROR x ERROR',
        [
          [5, 10],
          [13, 18],
        ],
      ],
      [31, 'ERROR at last', [[0, 5]]],
    ]);
    expect(out.items.at(-1)).toEqual({ kind: 'progress', scanned: 44, size: 44, matches: 2, done: true });
  });

  it('finds matches at the very start and the very end of the file', async () => {
    const out = await search(setup('needle first\nmiddle\nlast needle'), { query: 'needle' });
    expect(found(out).map((f) => f[0])).toEqual([0, 20]);
  });

  it('ignores case for ASCII on request, and folds simple Unicode case pairs without breaking UTF-8', async () => {
    const run = setup('Error one\nERROR two\nerror three\nnothing\nÉTÉ été Été\nüber\n');
    expect(found(await search(run, { query: 'eRRor', caseInsensitive: true })).map((f) => f[1])).toEqual([
      'Error one',
      'ERROR two',
      'error three',
    ]);
    expect(found(await search(run, { query: 'été', caseInsensitive: true }))).toEqual([
      [
        40,
        'ÉTÉ été Été',
        [
          [0, 3],
          [4, 7],
          [8, 11],
        ],
      ],
    ]);
    expect(found(await search(run, { query: 'Ü' })).length).toBe(0);
    expect(found(await search(run, { query: 'Ü', caseInsensitive: true })).map((f) => f[1])).toEqual(['über']);
  });

  it('ignores case for a literal with letters and digits, found through its caseless part', async () => {
    const run = setup('needle_42 a\nNEEDLE_42 b\nneedle_43 c\nNeEdLe_42\n');
    expect(found(await search(run, { query: 'Needle_42', caseInsensitive: true })).map((f) => f[1])).toEqual([
      'needle_42 a',
      'NEEDLE_42 b',
      'NeEdLe_42',
    ]);
  });

  it('gives character ranges in lines with multi-byte characters and invalid bytes', async () => {
    const content = Buffer.concat([Buffer.from('日本語 '), Buffer.from([0xff]), Buffer.from(' target\n')]);
    const out = await search(setup(content), { query: 'target' });
    expect(found(out)).toEqual([[0, '日本語 \ufffd target', [[6, 12]]]]);
  });

  it('refuses a line break in a literal', async () => {
    await expect(setup('x').source.search('stdout', query({ query: 'a\nb' }), new Collected())).rejects.toMatchObject({
      code: 'SEARCH_INVALID',
    });
  });
});

describe('regex search', () => {
  it('matches per line, on bytes, with anchors at line boundaries', async () => {
    const run = setup('id=00ab ok\nid=12ff bad\nxid=99ff no\nid=abff\n');
    expect(found(await search(run, { query: '^id=[0-9a-f]{2}ff\\b', mode: 'regex' })).map((f) => f[1])).toEqual(['id=12ff bad', 'id=abff']);
    expect(found(await search(run, { query: 'OK$', mode: 'regex', caseInsensitive: true })).map((f) => f[1])).toEqual(['id=00ab ok']);
  });

  it('finds a line once for a pattern that matches the empty string, without looping', async () => {
    const out = await search(setup('a\n\nb\n'), { query: '^', mode: 'regex' });
    expect(found(out)).toEqual([
      [0, 'a', [[0, 0]]],
      [2, '', [[0, 0]]],
      [3, 'b', [[0, 0]]],
    ]);
  });

  it('matches non-ASCII characters of the pattern as whole UTF-8 sequences', async () => {
    const out = await search(setup('café crème\ncafe creme\n'), { query: 'caf(é|e) cr(è)+me', mode: 'regex' });
    expect(found(out)).toEqual([[0, 'café crème', [[0, 10]]]]);
  });

  it('refuses an invalid pattern with the engine message', async () => {
    const run = setup('x');
    await expect(run.source.search('stdout', query({ query: 'a(b', mode: 'regex' }), new Collected())).rejects.toMatchObject({
      code: 'SEARCH_INVALID',
      message: expect.stringContaining('Unterminated group'),
    });
    await expect(run.source.search('stdout', query({ query: '(\\w+) \\1', mode: 'regex' }), new Collected())).rejects.toMatchObject({
      code: 'SEARCH_INVALID',
      hint: expect.stringContaining('not supported by the linear-time search engine'),
    });
  });

  it('matches classes with non-ASCII members, and their case variants under i', async () => {
    const run = setup('café\ncafè\ncafe\nCAFÉ\n');
    expect(found(await search(run, { query: 'caf[éè]$', mode: 'regex' }))).toEqual([
      [0, 'café', [[0, 4]]],
      [6, 'cafè', [[0, 4]]],
    ]);
    expect(found(await search(run, { query: 'caf[é]', mode: 'regex', caseInsensitive: true })).map((f) => f[1])).toEqual(['café', 'CAFÉ']);
    expect(found(await search(run, { query: '^[^é]+$', mode: 'regex' })).map((f) => f[1])).toEqual(['cafè', 'cafe', 'CAFÉ']);
  });
});

describe('a match deep inside a long line', () => {
  it('in a 50 MB line comes with the window of the line around it, highlighted, and paging reaches it', async () => {
    const line = Buffer.alloc(50 * 1024 * 1024, 'a');
    const at = 30 * 1024 * 1024;
    Buffer.from('NEEDLE é').copy(line, at);
    const run = setup(Buffer.concat([Buffer.from('first\n'), line, Buffer.from('\nlast NEEDLE\n')]));
    // A literal, a regex with a literal to find first, and one without (every line through the DFA).
    for (const [query, mode] of [
      ['NEEDLE', 'literal'],
      ['NEEDLE', 'regex'],
      ['[MN][DE][DE][DE][LM][DE]', 'regex'],
    ] as const) {
      const [deep, short] = matchesOf((await search(run, { query, mode, maxLineChars: 2000 })).items);
      expect(deep!.line).toMatchObject({ offset: 6, length: line.length, from: at - 500, truncated: true });
      expect(deep!.line.text).toHaveLength(2000);
      expect(deep!.ranges).toEqual([[500, 506]]);
      expect(deep!.line.text.slice(500, 508)).toBe('NEEDLE é');
      // A match in the head of its line has no window.
      expect(short!.line).toEqual({ offset: 6 + line.length + 1, length: 11, text: 'last NEEDLE', truncated: false });
    }
    // Paging on from the window: the next part starts where this one ends.
    const part = await run.source.linePart('stdout', { offset: 6, length: line.length, from: at - 500, maxLineChars: 2000 });
    expect(part.line).toMatchObject({ offset: 6, from: at - 500, truncated: true });
    expect(part.line.text.slice(500, 508)).toBe('NEEDLE é');
    expect(part.next).toBe(at - 500 + 2001); // 'é' is two bytes
    const end = await run.source.linePart('stdout', { offset: 6, length: line.length, from: line.length - 10, maxLineChars: 2000 });
    expect(end).toMatchObject({ line: { text: 'a'.repeat(10), truncated: false, from: line.length - 10 }, next: line.length });
    // Starting inside 'é' moves on to the next character.
    const mid = await run.source.linePart('stdout', { offset: 6, length: line.length, from: at + 8, maxLineChars: 100 });
    expect(mid.line).toMatchObject({ from: at + 9, text: 'a'.repeat(100) });
  });
});

describe('searching in chunks', () => {
  const lines = Array.from(
    { length: 400 },
    (_, i) => `${i % 7 === 0 ? 'MATCH ' : ''}line ${i} ${'pad '.repeat(i % 13)}${i % 11 === 0 ? 'tail MATCH' : ''}`,
  );
  const content = lines.join('\n');
  const expected = lines.flatMap((l, i) => (l.includes('MATCH') ? [i] : []));

  it.each([3, 7, 64, 1000, 1 << 20])('finds every match exactly once with %i-byte chunks, literal and regex', async (chunk) => {
    const run = setup(content, chunk);
    for (const q of [{ query: 'MATCH' }, { query: 'M[A]TCH', mode: 'regex' as const }]) {
      const out = await search(run, q);
      expect(matchesOf(out.items).map((m) => lines.indexOf(m.line.text))).toEqual(expected);
      const progress = out.items.flatMap((i) => (i.kind === 'progress' ? [i.scanned] : []));
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
      expect(progress.at(-1)).toBe(content.length);
    }
  });

  it('stops at maxMatches, and resuming from `scanned` continues with the next match', async () => {
    const run = setup(content, 256);
    const first = await search(run, { query: 'MATCH', maxMatches: 10 });
    const last = first.items.at(-1)!;
    expect(last).toMatchObject({ kind: 'progress', matches: 10, done: true });
    const from = last.kind === 'progress' ? last.scanned : -1;
    expect(Number(first.cursor)).toBe(from);
    const rest = await search(run, { query: 'MATCH', from });
    const all = [...matchesOf(first.items), ...matchesOf(rest.items)].map((m) => lines.indexOf(m.line.text));
    expect(all).toEqual(expected);
  });
});

describe('searching on the main thread', () => {
  it('leaves the event loop free: every chunk is a short slice between reads', async () => {
    const run = setup(Buffer.alloc(48 * 1024 * 1024, 'deadbeef 0123456789abcdef x\n'));
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    const out = await search(run, { query: '[0-9a-f]{6}ff$', mode: 'regex' });
    delay.disable();
    expect(matchesOf(out.items)).toHaveLength(0);
    // The slowest kind of regex for V8 (a leading class, no literal) over 1 MiB slices.
    expect(delay.max / 1e6).toBeLessThan(100);
  });
});

describe('cancelling a search', () => {
  it('pushes nothing more and stops reading the file soon after', async () => {
    const big = Buffer.alloc(64 * 1024 * 1024, 'a\n');
    const file = memoryFile(big);
    const files: SandboxFiles = {
      root: '/mem',
      shownPath: async () => '/mem/big',
      open: async () => file,
      infoOf: async () => ({ size: big.length, mtime: 0, id: 'mem' }),
      list: async () => ({ path: '', entries: [], truncated: false }),
      watch: () => null,
    };
    const run = runDir({ search: { chunkBytes: 1024 * 1024, progressMs: 0 } });
    runs.push(run);
    const out = new Collected<SearchItem>();
    const cancel = await run.logs.over(files).search('big', query({ query: 'zzz' }), out);
    await out.until((i) => i.length >= 3);
    cancel();
    const pushed = out.items.length;
    const reads = file.reads.length;
    await sleep(50);
    const readsAfter = file.reads.length - reads;
    await sleep(200);
    expect(out.items.length).toBe(pushed);
    expect(readsAfter).toBeLessThanOrEqual(2); // at most the chunks already started
    expect(file.reads.length - reads).toBe(readsAfter);
    expect(file.reads.length).toBeLessThan(32);
  });
});
