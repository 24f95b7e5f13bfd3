/**
 * The RecordIO decoder against the framing of docs/recordio.md, fed the same bytes cut every
 * way a proxy may re-chunk them: one byte at a time, at every single split point, in random
 * pieces; inside the length, between it and its newline, inside a multi-byte character.
 */
import { describe, expect, it } from 'vitest';
import { encodeRecordIo, RecordIoDecoder, RecordIoError } from '../../../core/mesos/recordio.js';

const records = [
  '{"type":"SUBSCRIBED","subscribed":{"heartbeat_interval_seconds":15.0}}',
  '{"type":"HEARTBEAT"}',
  // Multi-byte characters: the length counts bytes (this is 41 chars, more bytes).
  '{"message":"Mémoire dépassée: 2048MB — 💥"}',
  'x'.repeat(1234),
].map((s) => Buffer.from(s, 'utf8'));

/** The docs' framing, written out by hand rather than with the code under test. */
const stream = Buffer.concat(records.flatMap((r) => [Buffer.from(`${r.length}\n`), r]));

function feed(chunks: Buffer[], decoder = new RecordIoDecoder()): string[] {
  const out: string[] = [];
  for (const c of chunks) for (const r of decoder.push(c)) out.push(Buffer.from(r).toString('utf8'));
  decoder.end();
  return out;
}

const expected = records.map((r) => r.toString('utf8'));

function random(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
}

describe('RecordIO decoding', () => {
  it('reads records whole from one chunk, the length counting bytes, not characters', () => {
    expect(records[2]!.length).toBeGreaterThan(records[2]!.toString('utf8').length);
    expect(feed([stream])).toEqual(expected);
  });

  it('reads the same records fed one byte at a time', () => {
    const bytes = [...stream].map((b) => Buffer.from([b]));
    expect(feed(bytes)).toEqual(expected);
  });

  it('reads the same records cut at every single point (inside lengths, before newlines, inside characters)', () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      expect(feed([stream.subarray(0, cut), stream.subarray(cut)]), `cut at ${cut}`).toEqual(expected);
    }
  });

  it('reads the same records in random pieces, with a reused input buffer', () => {
    const r = random(7);
    for (let round = 0; round < 200; round++) {
      const d = new RecordIoDecoder();
      const out: string[] = [];
      // The caller reuses one buffer for every read, as a file reader does: the decoder must copy what it keeps.
      const scratch = Buffer.alloc(64);
      for (let at = 0; at < stream.length;) {
        const n = Math.min(1 + Math.floor(r() * 64), stream.length - at);
        stream.copy(scratch, 0, at, at + n);
        for (const rec of d.push(scratch.subarray(0, n))) out.push(Buffer.from(rec).toString('utf8'));
        scratch.fill(0x21);
        at += n;
      }
      d.end();
      expect(out).toEqual(expected);
    }
  });

  it('gives a zero-length record as an empty one, as stout does', () => {
    expect(feed([Buffer.from('0\n2\n{}0\n')])).toEqual(['', '{}', '']);
  });

  it('holds back an incomplete record and says how much it holds', () => {
    const d = new RecordIoDecoder();
    expect(d.push(Buffer.from('10\n12345'))).toEqual([]);
    expect(d.pending).toBe(5);
    expect(d.push(Buffer.from('67890')).map(String)).toEqual(['1234567890']);
    expect(d.pending).toBe(0);
    const cut = new RecordIoDecoder();
    cut.push(Buffer.from('10\n12345'));
    expect(() => cut.end()).toThrow(/ended inside a record: 5 of 10 bytes/);
  });

  it('rejects a length that is not decimal digits, and stays failed (the framing is lost)', () => {
    const d = new RecordIoDecoder();
    expect(() => d.push(Buffer.from('2\n{}1x\n'))).toThrow(RecordIoError);
    expect(() => d.push(Buffer.from('2\n{}'))).toThrow(/record length with "x" at byte 5/);
    expect(() => new RecordIoDecoder().push(Buffer.from('-5\n'))).toThrow(/"-"/);
    expect(() => new RecordIoDecoder().push(Buffer.from(' 5\n'))).toThrow(/" "/);
    expect(() => new RecordIoDecoder().push(Buffer.from('5\r\nhello'))).toThrow(/byte 0x0d/);
    expect(() => new RecordIoDecoder().push(Buffer.from('\n'))).toThrow(/empty record length/);
  });

  it('rejects a record over the cap as soon as its length says so, before any of it arrives', () => {
    const d = new RecordIoDecoder({ maxRecordBytes: 1000 });
    expect(d.push(Buffer.from('1000\n'))).toEqual([]);
    expect(() => new RecordIoDecoder({ maxRecordBytes: 1000 }).push(Buffer.from('100'))).not.toThrow();
    expect(() => new RecordIoDecoder({ maxRecordBytes: 1000 }).push(Buffer.from('1001'))).toThrow(
      /1001 bytes or more announced, over the limit of 1000/,
    );
    // The default cap is 1 GiB (a SUBSCRIBED is a whole state); a 20-digit length fails on its digits, never overflowing.
    expect(() => new RecordIoDecoder().push(Buffer.from('18446744073709551615\n'))).toThrow(/over the limit of 1073741824/);
  });

  it('ends cleanly only between records', () => {
    const d = new RecordIoDecoder();
    d.push(Buffer.from('12'));
    expect(() => d.end()).toThrow(/inside a record length/);
  });

  it('hands a large record on as it arrives, in order, cut anywhere, and returns the others', () => {
    const bigOne = Buffer.from('{"type":"SUBSCRIBED",' + '"x":"é",'.repeat(400) + '"end":1}');
    const framed = encodeRecordIo([records[1]!, bigOne, records[0]!, records[3]!]);
    for (const size of [1, 3, 64, 1000, framed.length]) {
      const sunk: { length: number; bytes: Buffer[]; ended: boolean; aborted: boolean }[] = [];
      const decoder = new RecordIoDecoder({
        large: {
          minBytes: 1500,
          open: (length) => {
            const s = { length, bytes: [] as Buffer[], ended: false, aborted: false };
            sunk.push(s);
            return { chunk: (b) => s.bytes.push(Buffer.from(b)), end: () => (s.ended = true), abort: () => (s.aborted = true) };
          },
        },
      });
      const cut: Buffer[] = [];
      for (let i = 0; i < framed.length; i += size) cut.push(framed.subarray(i, i + size));
      // The 1,234-byte record is under minBytes: returned whole, as every small one.
      expect(feed(cut, decoder)).toEqual([records[1]!, records[0]!, records[3]!].map((r) => r.toString('utf8')));
      expect(sunk).toHaveLength(1);
      expect(sunk[0]!.length).toBe(bigOne.length);
      expect(Buffer.concat(sunk[0]!.bytes)).toEqual(bigOne);
      expect(sunk[0]!).toMatchObject({ ended: true, aborted: false });
    }
  });

  it('joins a large record when no sink takes it, and aborts the sink of one the stream cuts short', () => {
    const bigOne = Buffer.from('y'.repeat(5000));
    const refusing = new RecordIoDecoder({ large: { minBytes: 100, open: () => null } });
    expect(feed([encodeRecordIo([bigOne]).subarray(0, 2000), encodeRecordIo([bigOne]).subarray(2000)], refusing)).toEqual([
      bigOne.toString(),
    ]);

    let aborted = false;
    let got = 0;
    const cut = new RecordIoDecoder({
      large: { minBytes: 100, open: () => ({ chunk: (b) => (got += b.length), end: () => {}, abort: () => (aborted = true) }) },
    });
    cut.push(encodeRecordIo([bigOne]).subarray(0, 3000));
    expect(() => cut.end()).toThrow(/the stream ended inside a record: 2995 of 5000 bytes/);
    expect({ aborted, got }).toEqual({ aborted: true, got: 2995 });
  });

  it('frames records as it reads them', () => {
    expect(encodeRecordIo(records)).toEqual(stream);
  });
});
