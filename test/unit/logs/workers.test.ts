import { afterEach, describe, expect, it } from 'vitest';
import type { SearchItem } from '../../../core/contract/logs.js';
import { patternsRunHere } from '../../../core/logs/match.js';
import type { LogsOptions } from '../../../core/logs/service.js';
import type { SandboxFiles } from '../../../core/logs/source.js';
import { Collected, finished, matchesOf, memoryFile, runDir, type RunDir } from './fixtures.js';

// The same searches as search.test.ts, through real worker threads (the TypeScript worker is
// loaded through tsx here, as in development), and what only threads can do: stop a regex that
// never ends.

const runs: RunDir[] = [];
afterEach(async () => {
  for (const r of runs.splice(0)) await r.close();
});

async function setup(content: string, pool: LogsOptions['pool'] = {}) {
  const run = runDir({ pool: { workers: 2, ...pool }, search: { chunkBytes: 4096, progressMs: 0 } });
  runs.push(run);
  run.write('stdout', content);
  // Up before the test starts: until then chunks run on the main thread.
  expect(await run.logs.warm()).toBe(pool.workers ?? 2);
  return run;
}

async function search(run: RunDir, query: string, mode: 'literal' | 'regex' = 'literal') {
  const out = new Collected<SearchItem>();
  const cancel = await run.source.search(
    'stdout',
    { query, mode, caseInsensitive: false, from: 0, maxMatches: 10_000, maxLineChars: 200 },
    out,
  );
  return { out, cancel };
}

const lines = Array.from({ length: 5000 }, (_, i) => `${i} ${i % 9 === 0 ? 'hit' : 'miss'} ${'x'.repeat(i % 50)}`);
const content = lines.join('\n') + '\n';

describe('searching in worker threads', () => {
  it('finds the same lines, in file order, as the main thread', async () => {
    const run = await setup(content);
    const { out } = await search(run, 'hit');
    await out.until(finished, 10_000);
    expect(matchesOf(out.items).map((m) => Number(m.line.text.split(' ')[0]))).toEqual(lines.flatMap((_, i) => (i % 9 === 0 ? [i] : [])));
  });

  it('finishes a pattern that backtracks catastrophically in V8, at once', async () => {
    const run = await setup(`${'a'.repeat(5000)}\n${'a'.repeat(30)}b\n`, { jobTimeoutMs: 60_000 });
    const { out } = await search(run, '(a+)+b', 'regex');
    await out.until(finished, 10_000);
    expect(matchesOf(out.items).map((m) => m.line.text)).toEqual([`${'a'.repeat(30)}b`]);
  });

  it('still stops a chunk that runs past the time limit, and says why', async () => {
    // 1 ms is less than reading and scanning 8 MiB takes: the last-resort limit fires.
    const run = runDir({ pool: { workers: 1, jobTimeoutMs: 1 }, search: { chunkBytes: 8 * 1024 * 1024, progressMs: 0 } });
    runs.push(run);
    run.write('stdout', Buffer.alloc(8 * 1024 * 1024, 'abababababababab\n'));
    expect(await run.logs.warm()).toBe(1);
    const { out } = await search(run, '(.*a){20}x', 'regex');
    await expect(out.until(() => false, 10_000)).rejects.toThrow(/SEARCH_INVALID.*stopped/);
  });

  it('ends the thread of a cancelled runaway regex, so the next search is not stuck behind it', async () => {
    const run = await setup(`${'a'.repeat(40)}\n`, { workers: 1 });
    const { cancel } = await search(run, '(a+)+b', 'regex');
    await new Promise((r) => setTimeout(r, 100));
    cancel();
    const t0 = Date.now();
    const { out } = await search(run, 'aaa');
    await out.until(finished, 8000);
    expect(matchesOf(out.items)).toHaveLength(1);
    expect(Date.now() - t0).toBeLessThan(5000);
  });
});

describe('no user pattern runs on the main thread', () => {
  it('the first search after start waits for the workers instead of running here', async () => {
    const run = runDir({ pool: { workers: 2 }, search: { chunkBytes: 4096, progressMs: 0 } });
    runs.push(run);
    run.write('stdout', content);
    const { out } = await search(run, '^4[0-9]{3} hit', 'regex'); // no warm(): the threads are not up yet
    await out.until(finished, 10_000);
    expect(matchesOf(out.items).map((m) => Number(m.line.text.split(' ')[0]))).toEqual(
      lines.flatMap((_, i) => (i >= 4000 && i % 9 === 0 ? [i] : [])),
    );
    expect(patternsRunHere()).not.toContain('/^4[0-9]{3} hit');
  });

  it("a file without a descriptor (an agent's) is read here and searched in a worker", async () => {
    const file = memoryFile(Buffer.from(content));
    const files: SandboxFiles = {
      root: '/agent',
      shownPath: async () => '/agent/stdout',
      open: async () => file,
      infoOf: async () => file.info(),
      list: async () => ({ path: '', entries: [], truncated: false }),
      watch: () => null,
    };
    const run = await setup('');
    const out = new Collected<SearchItem>();
    await run.logs
      .over(files)
      .search(
        'stdout',
        { query: '(x+x+)+y|^49[0-9]{2} hit', mode: 'regex', caseInsensitive: false, from: 0, maxMatches: 10_000, maxLineChars: 200 },
        out,
      );
    await out.until(finished, 10_000);
    expect(matchesOf(out.items).map((m) => [m.line.offset, Number(m.line.text.split(' ')[0])])).toEqual(
      lines.flatMap((l, i) => (i >= 4900 && i % 9 === 0 ? [[content.indexOf(`\n${l}\n`) + 1, i]] : [])),
    );
    expect(file.reads.length).toBeGreaterThan(0);
    expect(patternsRunHere()).not.toContain('/(x+x+)+y|^49[0-9]{2} hit');
  });
});

describe('the line index', () => {
  it('counts lines in worker threads and finds where a line starts', async () => {
    const run = await setup(content);
    let p = await run.source.index('stdout');
    while (!p.done) p = await run.source.index('stdout');
    expect(p).toEqual({ size: content.length, indexed: content.length, lines: 5000, done: true });
    const r = await run.source.lines('stdout', { at: -1, line: 4321, before: 1, after: 2, maxLineChars: 100 });
    expect(r.lines.map((l) => l.text)).toEqual([lines[4319], lines[4320], lines[4321]]);
    expect(r.firstLine).toBe(4320);
  });
});
