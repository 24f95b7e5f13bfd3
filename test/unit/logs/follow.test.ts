import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FollowItem } from '../../../core/contract/logs.js';
import { Collected, lineTexts, runDir, sleep, type RunDir } from './fixtures.js';

let run: RunDir;
const stops: (() => void)[] = [];
beforeEach(() => {
  run = runDir({ follow: { pollMs: 40, idleFlushMs: 300, coalesceMs: 5, maxBacklog: 1024 * 1024 } });
});
afterEach(async () => {
  for (const stop of stops.splice(0)) stop();
  await run.close();
});

async function follow(rel: string, offset: number, file?: string) {
  const out = new Collected<FollowItem>();
  stops.push(await run.source.follow(rel, { offset, file }, out));
  return out;
}
const lines = (items: FollowItem[]) => items.flatMap((i) => (i.kind === 'line' ? [i.line] : []));
const resets = (items: FollowItem[]) => items.filter((i) => i.kind === 'reset');
const offsetOf = (cursor: string | undefined) => Number(cursor!.split('@')[0]);

describe('following a file', () => {
  it('delivers appended lines in order, with their offsets, and a cursor after each push', async () => {
    run.write('stdout', 'old\n');
    const out = await follow('stdout', 4);
    run.append('stdout', 'one\ntwo\n');
    await out.until((i) => lines(i).length >= 2);
    run.append('stdout', 'three\n');
    await out.until((i) => lines(i).length >= 3);
    expect(lines(out.items)).toEqual([
      { offset: 4, length: 3, text: 'one', truncated: false },
      { offset: 8, length: 3, text: 'two', truncated: false },
      { offset: 12, length: 5, text: 'three', truncated: false },
    ]);
    expect(offsetOf(out.cursor)).toBe(18);
    expect(out.cursor).toMatch(/^18@\d+:\d+:\d+$/);
  });

  it('holds a line until its newline arrives, and sends it as partial when the writer pauses', async () => {
    run.write('stdout', '');
    const out = await follow('stdout', 0);
    run.append('stdout', 'progress 10%');
    await sleep(150);
    expect(out.items).toEqual([]);
    const [partial] = await out.until((i) => i.length >= 1, 2000);
    expect(partial).toEqual({ kind: 'line', line: { offset: 0, length: 12, text: 'progress 10%', truncated: false, partial: true } });
    expect(offsetOf(out.cursor)).toBe(0); // resuming re-reads the line, it does not skip it
    run.append('stdout', ' ... 100%\nnext\n');
    await out.until((i) => lines(i).length >= 3);
    expect(lines(out.items).slice(1)).toEqual([
      { offset: 0, length: 21, text: 'progress 10% ... 100%', truncated: false },
      { offset: 22, length: 4, text: 'next', truncated: false },
    ]);
  });

  it('started from where logs.lines ended, completes the partial last line it showed, at the same offset', async () => {
    run.write('stdout', 'done\nhalf');
    const page = await run.source.lines('stdout', { at: -1, before: 10, after: 0, maxLineChars: 100 });
    expect(page.lines.at(-1)).toMatchObject({ offset: 5, text: 'half', partial: true });
    const out = await follow('stdout', page.end);
    run.append('stdout', ' and whole\n');
    await out.until((i) => lines(i).length >= 1);
    expect(lines(out.items)[0]).toEqual({ offset: 5, length: 14, text: 'half and whole', truncated: false });
  });

  it('reports a truncated file and reads it again from the start', async () => {
    run.write('stdout', 'a long first version\n');
    const out = await follow('stdout', 0);
    await out.until((i) => lines(i).length >= 1);
    fs.truncateSync(path.join(run.dir, 'stdout'), 0);
    await out.until((i) => resets(i).length >= 1);
    run.append('stdout', 'fresh\n');
    await out.until((i) => lineTexts(i).includes('fresh'));
    expect(out.items.slice(1)).toEqual([
      { kind: 'reset', reason: 'truncated', offset: 0 },
      { kind: 'line', line: { offset: 0, length: 5, text: 'fresh', truncated: false } },
    ]);
  });

  it('reads the rest of a rotated file, then reports the replacement and follows the new one', async () => {
    run.write('stdout', 'first\n');
    const out = await follow('stdout', 0);
    await out.until((i) => lines(i).length >= 1);
    run.append('stdout', 'last words\n');
    fs.renameSync(path.join(run.dir, 'stdout'), path.join(run.dir, 'stdout.1'));
    run.write('stdout', 'new file\n');
    await out.until((i) => lineTexts(i).includes('new file'));
    expect(out.items.slice(1)).toEqual([
      { kind: 'line', line: { offset: 6, length: 10, text: 'last words', truncated: false } },
      { kind: 'reset', reason: 'replaced', offset: 0 },
      { kind: 'line', line: { offset: 0, length: 8, text: 'new file', truncated: false } },
    ]);
  });

  it('reports a deleted file, and picks it up again when it comes back', async () => {
    run.write('sandbox/app.log', 'before\n');
    const out = await follow('sandbox/app.log', 0);
    await out.until((i) => lines(i).length >= 1);
    fs.rmSync(path.join(run.dir, 'sandbox/app.log'));
    await out.until((i) => resets(i).length >= 1);
    expect(out.items[1]).toEqual({ kind: 'reset', reason: 'deleted', offset: 0 });
    run.write('sandbox/app.log', 'again\n');
    await out.until((i) => lineTexts(i).includes('again'));
  });

  it('resumed from its cursor, repeats nothing and misses nothing', async () => {
    run.write('stdout', '');
    const first = await follow('stdout', 0);
    for (let i = 0; i < 5; i++) run.append('stdout', `line ${i}\n`);
    run.append('stdout', 'half of line 5');
    await first.until((i) => lines(i).length >= 5);
    stops.shift()!();
    run.append('stdout', ' and the rest\n');
    for (let i = 6; i < 9; i++) run.append('stdout', `line ${i}\n`);

    const [offset, file] = first.cursor!.split('@');
    const second = await follow('stdout', Number(offset), file);
    await second.until((i) => lines(i).length >= 4);
    expect([...lineTexts(first.items), ...lineTexts(second.items)]).toEqual([
      ...[0, 1, 2, 3, 4].map((i) => `line ${i}`),
      'half of line 5 and the rest',
      ...[6, 7, 8].map((i) => `line ${i}`),
    ]);
  });

  it('resumed with a cursor into a file that was replaced since, starts the new one from 0', async () => {
    run.write('stdout', 'old old old old\n');
    const first = await follow('stdout', 0);
    await first.until((i) => lines(i).length >= 1);
    stops.shift()!();
    fs.rmSync(path.join(run.dir, 'stdout'));
    run.write('stdout', 'rotated in, and longer than the old one\n');
    const [offset, file] = first.cursor!.split('@');
    const second = await follow('stdout', Number(offset), file);
    await second.until((i) => lines(i).length >= 1);
    expect(second.items).toEqual([
      { kind: 'reset', reason: 'replaced', offset: 0 },
      { kind: 'line', line: { offset: 0, length: 39, text: 'rotated in, and longer than the old one', truncated: false } },
    ]);
  });

  it('resumed with a cursor past the end (truncated since), starts from 0', async () => {
    run.write('stdout', 'short\n');
    const out = await follow('stdout', 1000);
    await out.until((i) => lines(i).length >= 1);
    expect(out.items).toEqual([
      { kind: 'reset', reason: 'truncated', offset: 0 },
      { kind: 'line', line: { offset: 0, length: 5, text: 'short', truncated: false } },
    ]);
  });

  it('far behind the end, passes over the gap and says where it is', async () => {
    const line = 'x'.repeat(99) + '\n';
    run.write('stdout', line.repeat(20_000)); // 2 MB, more than the 1 MiB backlog allowed here
    const out = await follow('stdout', 0);
    await out.until((i) => lines(i).at(-1)?.offset === 19_999 * 100);
    const [skip] = out.items;
    // Resumes at the first line start in the last MiB: 2,000,000 − 1,048,576 = 951,424 → 951,500.
    expect(skip).toEqual({ kind: 'skipped', offset: 0, length: 951_500 });
    expect(lines(out.items)[0]!.offset).toBe(skip!.kind === 'skipped' ? skip!.length : -1);
  });

  it('sends at most its line budget, passing over older lines of a burst to show the newest', async () => {
    const limited = runDir({ follow: { pollMs: 40, coalesceMs: 5, maxLinesPerSecond: 100, maxLinesBurst: 10 } });
    try {
      limited.write('stdout', '');
      const out = new Collected<FollowItem>();
      stops.push(await limited.source.follow('stdout', { offset: 0 }, out));
      limited.append('stdout', Array.from({ length: 1000 }, (_, i) => `burst ${String(i).padStart(4, '0')}\n`).join(''));
      await out.until((i) => lineTexts(i).includes('burst 0999'));
      const [skip, ...rest] = out.items;
      expect(skip).toMatchObject({ kind: 'skipped', offset: 0 });
      expect(lines(rest).length).toBeLessThanOrEqual(12);
      expect(lines(rest)[0]!.offset).toBe(skip!.kind === 'skipped' ? skip!.length : -1);
    } finally {
      await limited.close();
    }
  });

  it('stops pushing once stopped', async () => {
    run.write('stdout', '');
    const out = await follow('stdout', 0);
    stops.shift()!();
    run.append('stdout', 'after stop\n');
    await sleep(200);
    expect(out.items).toEqual([]);
  });

  it('fails when the file is missing at the start', async () => {
    await expect(run.source.follow('stderr.missing', { offset: 0 }, new Collected())).rejects.toMatchObject({ code: 'SANDBOX_NOT_FOUND' });
  });
});
