import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backwardLimit, readLines } from '../../../core/logs/lines.js';
import { localSandboxFiles } from '../../../core/logs/local.js';
import type { ByteFile } from '../../../core/logs/source.js';
import { memoryFile, runDir, type RunDir } from './fixtures.js';

let run: RunDir;
beforeEach(() => {
  run = runDir();
});
afterEach(() => run.close());

const numbered = (n: number, from = 1) => Array.from({ length: n }, (_, i) => `line ${i + from}`).join('\n') + '\n';
const q = (at: number, before = 0, after = 100, maxLineChars = 10_000) => ({ at, before, after, maxLineChars });
const texts = (r: { lines: { text: string }[] }) => r.lines.map((l) => l.text);

describe('lines at the end of a file', () => {
  it('are the last `before` lines, with offsets, size and end', async () => {
    run.write('stdout', numbered(5));
    const r = await run.source.lines('stdout', q(-1, 2));
    expect(texts(r)).toEqual(['line 4', 'line 5']);
    expect(r.lines[0]).toEqual({ offset: 21, length: 6, text: 'line 4', truncated: false });
    expect([r.size, r.end, r.firstLine]).toEqual([35, 35, null]);
  });

  it('include a last line without newline, marked partial, among the `before` lines', async () => {
    run.write('stdout', 'a\nb\nhalf');
    const r = await run.source.lines('stdout', q(-1, 2));
    expect(r.lines).toEqual([
      { offset: 2, length: 1, text: 'b', truncated: false },
      { offset: 4, length: 4, text: 'half', truncated: false, partial: true },
    ]);
    expect(r.end).toBe(4); // a follow from here sends "half…" again once it has its newline
  });

  it('of an empty file are none', async () => {
    run.write('stdout', '');
    expect(await run.source.lines('stdout', q(-1, 10))).toEqual({ lines: [], size: 0, end: 0, firstLine: null });
  });

  it('cost one size and one read of at most 64 KiB, whatever the size of the file', async () => {
    const file = memoryFile(Buffer.from(numbered(200_000)));
    const r = await readLines(file, q(-1, 200));
    expect(r.lines).toHaveLength(200);
    expect(r.lines.at(-1)!.text).toBe('line 200000');
    expect(file.stats).toBe(1);
    expect(file.reads).toHaveLength(1);
    expect(file.reads[0]!.length).toBeLessThanOrEqual(64 * 1024);
  });
});

/** A sparse file of `size` bytes (NULs but for `tail` at its end), opened local and counted. */
async function sparse(run: RunDir, rel: string, size: number, tail: string): Promise<ByteFile & { bytesRead: () => number }> {
  const file = path.join(run.dir, rel);
  fs.writeFileSync(file, '');
  fs.truncateSync(file, size - tail.length);
  fs.appendFileSync(file, tail);
  const opened = await localSandboxFiles(run.dir).open(rel);
  let bytes = 0;
  return {
    fd: opened.fd,
    info: () => opened.info(),
    close: () => opened.close(),
    async read(offset, length, into) {
      const b = await opened.read(offset, length, into);
      bytes += b.length;
      return b;
    },
    bytesRead: () => bytes,
  };
}

describe('a last line too long to scan back to its start', () => {
  it('of a 1 GiB one-line file is shown as its tail, partial and continued, after a capped scan', async () => {
    const file = await sparse(run, 'one-line', 1024 ** 3, ' the end of a very long line');
    try {
      const r = await readLines(file, q(-1, 100, 0));
      expect(r.lines).toHaveLength(1);
      const [line] = r.lines;
      expect(line).toMatchObject({ offset: 1024 ** 3 - 10_000, length: 10_000, partial: true, continued: true, truncated: false });
      expect(line!.text.endsWith('␀ the end of a very long line')).toBe(true);
      expect([r.size, r.start, r.end]).toEqual([1024 ** 3, 1024 ** 3 - 10_000, 1024 ** 3 - 10_000]);
      expect(file.bytesRead()).toBeLessThanOrEqual(backwardLimit(10_000) + 64 * 1024);
    } finally {
      await file.close();
    }
  });

  it('of 2 GiB of NULs answers the same way, and ten calls at once each read as little', async () => {
    const file = await sparse(run, 'nuls', 2 * 1024 ** 3, '');
    try {
      const results = await Promise.all(Array.from({ length: 10 }, () => readLines(file, q(-1, 50, 0, 1000))));
      for (const r of results)
        expect(r.lines).toEqual([
          { offset: 2 * 1024 ** 3 - 1000, length: 1000, text: '␀'.repeat(1000), truncated: false, partial: true, continued: true },
        ]);
      expect(file.bytesRead()).toBeLessThanOrEqual(10 * (backwardLimit(1000) + 64 * 1024));
    } finally {
      await file.close();
    }
  });

  it('before the last line, is shown as its tail and the read stops there', async () => {
    const huge = 'y'.repeat(600_000);
    const file = memoryFile(Buffer.from(`first\n${huge}\nlast\n`));
    const r = await readLines(file, q(-1, 5, 0, 1000));
    expect(r.lines.map((l) => [l.offset, l.length, l.continued ?? false])).toEqual([
      [6 + huge.length - 1000, 1000, true],
      [6 + huge.length + 1, 4, false],
    ]);
    expect(file.reads.reduce((n, x) => n + x.length, 0)).toBeLessThanOrEqual(backwardLimit(1000) + 64 * 1024);
  });

  it('around an offset deep inside it, is shown from that offset', async () => {
    const long = 'x'.repeat(3_000_000);
    const file = memoryFile(Buffer.from(`before\n${long}\nafter\n`));
    const r = await readLines(file, q(2_000_000, 1, 2, 1000));
    expect(r.lines.map((l) => [l.offset, l.length, l.continued ?? false])).toEqual([
      [2_000_000, 7 + long.length - 2_000_000, true],
      [7 + long.length + 1, 5, false],
    ]);
  });
});

describe('lines around an offset', () => {
  it('snap back to the start of the line holding the offset', async () => {
    run.write('stdout', numbered(10)); // "line 1\n" = 7 bytes ... "line 10\n"
    const r = await run.source.lines('stdout', q(7 * 3 + 2, 0, 2));
    expect(texts(r)).toEqual(['line 4', 'line 5']);
    expect(r.lines[0]!.offset).toBe(21);
    expect(r.end).toBe(35);
  });

  it('give `before` lines before and `after` lines from it', async () => {
    run.write('stdout', numbered(10));
    const r = await run.source.lines('stdout', q(21, 2, 3));
    expect(texts(r)).toEqual(['line 2', 'line 3', 'line 4', 'line 5', 'line 6']);
  });

  it('stop at the start and the end of the file', async () => {
    run.write('stdout', numbered(3));
    expect(texts(await run.source.lines('stdout', q(0, 5, 1)))).toEqual(['line 1']);
    expect(texts(await run.source.lines('stdout', q(8, 5, 100)))).toEqual(['line 1', 'line 2', 'line 3']);
    expect(texts(await run.source.lines('stdout', q(10_000, 1, 5)))).toEqual(['line 3']);
  });

  it('cut a 12 MB line at maxLineChars, with its full length, reading only its head after finding its end', async () => {
    const long = 'x'.repeat(12 * 1024 * 1024);
    const content = Buffer.from(`before\n${long}\nafter\n`);
    const file = memoryFile(content);
    const r = await readLines(file, q(200_000, 1, 2, 1000));
    expect(r.lines.map((l) => [l.offset, l.length, l.text.length, l.truncated])).toEqual([
      [0, 6, 6, false],
      [7, long.length, 1000, true],
      [7 + long.length + 1, 5, 5, false],
    ]);
    // Scanning for the ends reads the line once; nothing holds it whole.
    const read = file.reads.reduce((n, r) => n + r.length, 0);
    expect(read).toBeLessThan(content.length * 1.5);
  });

  it('keep CRLF files readable and show control characters', async () => {
    run.write('stdout', 'one\r\ntwo\0\r\n');
    expect(texts(await run.source.lines('stdout', q(0)))).toEqual(['one', 'two\u2400']);
  });
});

describe('raw reads and stat', () => {
  it('return the bytes of a range, fewer at the end, none past it', async () => {
    run.write('stdout', '0123456789');
    expect(await run.source.read('stdout', 2, 3)).toEqual({ offset: 2, data: Buffer.from('234'), size: 10 });
    expect((await run.source.read('stdout', 8, 100)).data.toString()).toBe('89');
    expect((await run.source.read('stdout', 50, 10)).data).toHaveLength(0);
  });

  it('stat shows a text file with stray NULs as text, and its lines with ␀', async () => {
    run.write('sandbox/text.log', 'plain\n');
    // One NUL in the first 8 KiB, and a NUL-separated record per line: still a log.
    const lines = Array.from({ length: 100 }, (_, i) => `2026-12-03 14:55:${String(i % 60).padStart(2, '0')} record ${i}\0done`).join('\n');
    run.write('sandbox/nuls.log', `start\0\n${lines}\n`);
    expect(await run.source.stat('sandbox/text.log')).toEqual({
      size: 6,
      mtime: expect.any(Number),
      binary: false,
      format: null,
      absolutePath: `${run.dir}/sandbox/text.log`,
    });
    expect(await run.source.stat('sandbox/nuls.log')).toMatchObject({ binary: false, format: null });
    expect(texts(await run.source.lines('sandbox/nuls.log', q(0, 0, 2)))).toEqual([
      'start\u2400',
      '2026-12-03 14:55:00 record 0\u2400done',
    ]);
  });

  it('stat says binary, with its kind, for executables, compressed data, images and noise', async () => {
    run.write('sandbox/tool', fs.readFileSync(process.execPath).subarray(0, 64 * 1024));
    run.write('sandbox/log.gz', zlib.gzipSync(Buffer.from(numbered(1000))));
    run.write('sandbox/pixel.png', Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex'));
    run.write('sandbox/blob.bin', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    expect(await run.source.stat('sandbox/tool')).toMatchObject({ binary: true, format: 'ELF' });
    expect(await run.source.stat('sandbox/log.gz')).toMatchObject({ binary: true, format: 'gzip' });
    expect(await run.source.stat('sandbox/pixel.png')).toMatchObject({ binary: true, format: 'PNG' });
    expect(await run.source.stat('sandbox/blob.bin')).toMatchObject({ binary: true, format: null });
    // What the hex view reads: the bytes, exactly.
    expect((await run.source.read('sandbox/tool', 0, 4)).data).toEqual(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
  });

  it('refuses a directory as a file with LOG_NOT_TEXT', async () => {
    await expect(run.source.lines('sandbox', q(-1))).rejects.toMatchObject({ code: 'LOG_NOT_TEXT' });
  });
});

describe('listing a sandbox directory', () => {
  it('lists directories first, then files, with size, kind and mode', async () => {
    run.write('stdout', 'x');
    run.write('stderr', 'yy');
    run.write('sandbox/.logs/main/0/stdout', 'z');
    const top = await run.source.list('');
    expect(top.entries.map((e) => [e.name, e.kind, e.path])).toEqual([
      ['sandbox', 'dir', 'sandbox'],
      ['stderr', 'file', 'stderr'],
      ['stdout', 'file', 'stdout'],
    ]);
    expect(top.entries[1]).toMatchObject({ size: 2, mode: expect.stringMatching(/^-rw/) });
    const logs = await run.source.list('sandbox/.logs/main/0');
    expect(logs).toMatchObject({
      path: 'sandbox/.logs/main/0',
      truncated: false,
      entries: [{ name: 'stdout', path: 'sandbox/.logs/main/0/stdout' }],
    });
  });
});
