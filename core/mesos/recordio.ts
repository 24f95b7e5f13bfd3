/**
 * Mesos RecordIO (docs/recordio.md): `<record-size> LF <record-size bytes>` repeated, where
 * record-size is 1*DIGIT and counts bytes. Proxies may re-chunk the stream anywhere, so this is
 * an incremental decoder over bytes: a chunk may end inside the length, between the length and
 * its LF, or inside a record (and so inside a multi-byte UTF-8 character: records stay bytes
 * here, decoding is the caller's business once a record is whole).
 *
 * Like stout's `recordio::Decoder`, an invalid length poisons the decoder: once the framing is
 * lost there is no telling where the next record starts.
 */

export class RecordIoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordIoError';
  }
}

export interface RecordIoOptions {
  /** Refuse a record longer than this. Default 1 GiB, as a GET_STATE: a SUBSCRIBED is the whole state (290 MB for 5,000 agents / 100,000 tasks). */
  maxRecordBytes?: number;
  /**
   * Records of `minBytes` or more may be handed on as they arrive instead of joined here:
   * `open` is asked once the length is read; a sink returned gets the record's bytes in order
   * (views of the chunks pushed: it copies what it keeps) and `end()` once the last is in, and
   * the record is not among what `push` returns. Null: the record is joined as any other.
   */
  large?: { minBytes: number; open(length: number): RecordSink | null };
}

/** Where a large record's bytes go (RecordIoOptions.large). */
export interface RecordSink {
  chunk(bytes: Buffer): void;
  end(): void;
  /** The stream ended inside the record (RecordIoDecoder.end): its bytes are not coming. */
  abort(): void;
}

export const defaultMaxRecordBytes = 1024 * 1024 * 1024;
const LF = 0x0a;

export class RecordIoDecoder {
  private readonly max: number;
  private readonly large: RecordIoOptions['large'];
  /** The large record being handed on, if the one being read is. */
  private sink: RecordSink | null = null;
  /** The length being read (digits so far), or -1 while inside a record. */
  private length = 0;
  private digits = 0;
  /** The record being assembled when it spans chunks. */
  private parts: Buffer[] = [];
  private have = 0;
  private want = 0;
  private failure: RecordIoError | null = null;
  /** Bytes consumed so far, for error messages. */
  private offset = 0;

  constructor(options: RecordIoOptions = {}) {
    this.max = options.maxRecordBytes ?? defaultMaxRecordBytes;
    this.large = options.large;
  }

  /** Bytes of an incomplete record (or length) held back, waiting for more. */
  get pending(): number {
    return this.length < 0 ? this.have : this.digits;
  }

  /**
   * The records completed by `chunk`, in order. A record inside one chunk is a view of it (no
   * copy): keep it only as long as the chunk may be kept. Throws RecordIoError on a bad length.
   */
  push(chunk: Buffer): Buffer[] {
    if (this.failure) throw this.failure;
    const out: Buffer[] = [];
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      if (this.length >= 0) {
        const c = chunk[i]!;
        if (c === LF) {
          if (this.digits === 0) this.fail(`an empty record length at byte ${this.offset + i}`);
          i++;
          if (this.length === 0) {
            // Valid framing (stout yields an empty record); nothing to hand on but the fact.
            out.push(Buffer.alloc(0));
            this.digits = 0;
            continue;
          }
          this.want = this.length;
          this.length = -1;
          this.have = 0;
          if (this.large && this.want >= this.large.minBytes) this.sink = this.large.open(this.want);
          // The common case: the whole record is in this chunk.
          if (!this.sink && n - i >= this.want) {
            out.push(chunk.subarray(i, i + this.want));
            i += this.want;
            this.reset();
          }
          continue;
        }
        if (c < 0x30 || c > 0x39) {
          this.fail(`a record length with ${describe(c)} at byte ${this.offset + i} (lengths are decimal digits followed by a newline)`);
        }
        this.length = this.length * 10 + (c - 0x30);
        this.digits++;
        if (this.length > this.max) this.fail(`a record of ${this.length} bytes or more announced, over the limit of ${this.max}`);
        i++;
        continue;
      }
      const take = Math.min(this.want - this.have, n - i);
      const piece = chunk.subarray(i, i + take);
      this.have += take;
      i += take;
      if (this.sink) {
        const sink = this.sink;
        sink.chunk(piece);
        if (this.have === this.want) {
          this.reset();
          sink.end();
        }
        continue;
      }
      if (this.have === this.want) {
        this.parts.push(piece);
        out.push(this.parts.length === 1 ? piece : Buffer.concat(this.parts, this.have));
        this.reset();
      } else {
        // The chunk ends inside the record: keep a copy, so the caller may reuse its buffer.
        this.parts.push(Buffer.from(piece));
      }
    }
    this.offset += n;
    return out;
  }

  /** The stream ended: throws if it ended inside a record or a length. */
  end(): void {
    if (this.failure) throw this.failure;
    if (this.length < 0) {
      this.sink?.abort();
      this.fail(`the stream ended inside a record: ${this.have} of ${this.want} bytes`);
    }
    if (this.digits > 0) this.fail('the stream ended inside a record length');
  }

  private reset(): void {
    this.length = 0;
    this.digits = 0;
    this.parts = [];
    this.have = 0;
    this.want = 0;
    this.sink = null;
  }

  private fail(what: string): never {
    this.failure = new RecordIoError(`Not a RecordIO stream: ${what}.`);
    throw this.failure;
  }
}

function describe(c: number): string {
  if (c >= 0x20 && c < 0x7f) return `"${String.fromCharCode(c)}"`;
  return `byte 0x${c.toString(16).padStart(2, '0')}`;
}

/** `records` framed as Mesos frames them (for tests, fixtures and benches). */
export function encodeRecordIo(records: readonly (Buffer | string)[]): Buffer {
  const parts: Buffer[] = [];
  for (const r of records) {
    const bytes = typeof r === 'string' ? Buffer.from(r, 'utf8') : r;
    parts.push(Buffer.from(`${bytes.length}\n`, 'latin1'), bytes);
  }
  return Buffer.concat(parts);
}
