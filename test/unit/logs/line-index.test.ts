import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogs } from '../../../core/logs/service.js';
import type { ByteFile, SandboxFiles } from '../../../core/logs/source.js';
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

describe('goto-line on a file still being indexed', () => {
  it('answers a line the index covers before the index is complete, and one beyond once it gets there', async () => {
    // A remote-like file (no descriptor) whose download the test lets through in two halves.
    const text = Buffer.from(Array.from({ length: 1_000_000 }, (_, i) => `row ${i + 1}`).join('\n') + '\n');
    const half = Math.floor(text.length / 2);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const file: ByteFile = {
      fd: null,
      info: async () => ({ size: text.length, mtime: 0, id: null }),
      read: async (offset, length) => Buffer.from(text.subarray(offset, Math.min(text.length, offset + length))),
      async stream(onChunk) {
        for (let at = 0; at < half; at += 65_536) onChunk(text.subarray(at, Math.min(half, at + 65_536)));
        await held;
        for (let at = half; at < text.length; at += 65_536) onChunk(text.subarray(at, Math.min(text.length, at + 65_536)));
        return text.length;
      },
      close: async () => {},
    };
    const files: SandboxFiles = {
      root: '/remote',
      shownPath: async (rel) => `/remote/${rel}`,
      open: async () => file,
      infoOf: async () => file.info(),
      list: async () => ({ path: '', entries: [], truncated: false }),
      watch: () => null,
    };
    const logs = createLogs({ pool: { workers: 0 } });
    try {
      const source = logs.over(files);
      expect(await source.index('stdout')).toMatchObject({ done: false });
      const near = await source.lines('stdout', { at: -1, line: 1000, before: 0, after: 1, maxLineChars: 100 });
      expect([near.lines[0]!.text, near.firstLine]).toEqual(['row 1000', 1000]);
      expect(await source.index('stdout')).toMatchObject({ done: false });
      const far = source.lines('stdout', { at: -1, line: 900_000, before: 0, after: 1, maxLineChars: 100 });
      release();
      const r = await far;
      expect([r.lines[0]!.text, r.firstLine]).toEqual(['row 900000', 900_000]);
    } finally {
      release();
      await logs.close();
    }
  });
});
