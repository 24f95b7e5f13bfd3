import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDir, type RunDir } from './fixtures.js';

let run: RunDir;
beforeEach(() => {
  run = runDir();
});
afterEach(() => run.close());

async function indexed(rel = 'stdout') {
  let p = await run.source.index(rel);
  while (!p.done) {
    await new Promise((r) => setTimeout(r, 5));
    p = await run.source.index(rel);
  }
  return p;
}
const goto = (line: number) => run.source.lines('stdout', { at: -1, line, before: 0, after: 1, maxLineChars: 100 });

describe('the line index', () => {
  it('starts in the background and reports progress until done', async () => {
    run.write('stdout', 'x\n'.repeat(300_000)); // 600 KB: ten blocks
    const first = await run.source.index('stdout');
    expect(first).toMatchObject({ size: 600_000, done: false, indexed: 0 });
    expect(await indexed()).toEqual({ size: 600_000, indexed: 600_000, lines: 300_000, done: true });
  });

  it('counts a last line without newline, and none in an empty file', async () => {
    run.write('stdout', 'a\nb\nc');
    expect((await indexed()).lines).toBe(3);
    run.write('sandbox/empty', '');
    expect(await indexed('sandbox/empty')).toEqual({ size: 0, indexed: 0, lines: 0, done: true });
  });

  it('goes to a line by number, the last one when asked past the end', async () => {
    const text = Array.from({ length: 50_000 }, (_, i) => `row ${i + 1}`).join('\n') + '\n';
    run.write('stdout', text);
    for (const n of [1, 2, 9_999, 10_000, 43_210, 50_000]) {
      const r = await goto(n);
      expect([r.lines[0]!.text, r.firstLine]).toEqual([`row ${n}`, n]);
    }
    expect((await goto(99_999)).lines[0]!.text).toBe('row 50000');
  });

  it('is extended when the file grows, and rebuilt when it shrinks', async () => {
    run.write('stdout', 'one\ntwo\n');
    expect((await indexed()).lines).toBe(2);
    run.append('stdout', 'three\n'.repeat(20_000));
    expect(await indexed()).toMatchObject({ lines: 20_002, done: true });
    run.write('stdout', 'only\n');
    expect(await indexed()).toMatchObject({ lines: 1, size: 5, done: true });
  });

  it('numbers the lines of a window once it exists, and not before', async () => {
    run.write('stdout', 'a\nb\nc\nd\n');
    expect((await run.source.lines('stdout', { at: -1, before: 2, after: 0, maxLineChars: 100 })).firstLine).toBeNull();
    await indexed();
    expect((await run.source.lines('stdout', { at: -1, before: 2, after: 0, maxLineChars: 100 })).firstLine).toBe(3);
  });
});
