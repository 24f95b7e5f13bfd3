import type { LogLine } from '../contract/logs.js';
import { isAscii } from 'node:buffer';
import { capBytes, asciiControlBesideNewline, decodeLine, visibleControls } from './text.js';

const empty = Buffer.alloc(0);
/** Node makes strings longer than ~1 MB outside the V8 heap, at memory speed (StringBytes' EXTERN_APEX). */
const wholeChunk = 1024 * 1024;
const piece = 64 * 1024;

/**
 * Turns consecutive chunks of a file into whole lines with their offsets. Holds only the head
 * of the line in progress (what its text can show), never the line itself: a 10 MB line that
 * arrives in a hundred chunks costs its first `capBytes` of memory.
 */
export class LineSplitter {
  /** Start of the line in progress: every byte before it was returned in a complete line. */
  pos = 0;
  /** End of what was pushed; [pos, scanned) holds no newline. */
  scanned = 0;
  private head: Buffer = empty;
  private readonly cap: number;

  constructor(private readonly maxLineChars: number) {
    this.cap = capBytes(maxLineChars);
  }

  restart(offset: number): void {
    this.pos = offset;
    this.scanned = offset;
    this.head = empty;
  }

  /** `buf` holds the bytes at [scanned, scanned + buf.length). Returns the lines it completes. */
  push(buf: Buffer): LogLine[] {
    const base = this.scanned;
    const lines: LogLine[] = [];
    let start = 0; // index in buf of the next line's start, when it starts in buf
    let nl = buf.indexOf(10);
    if (nl >= 0 && this.pos < base) {
      // The line began in an earlier chunk: its head is held.
      const room = Math.max(0, this.cap - this.head.length);
      const head = room > 0 ? Buffer.concat([this.head, buf.subarray(0, Math.min(nl, room))]) : this.head;
      const length = base + nl - this.pos;
      const d = decodeLine(head, 0, head.length, this.maxLineChars, length);
      lines.push({ offset: this.pos, length, text: d.text, truncated: d.truncated });
      start = nl + 1;
      nl = buf.indexOf(10, start);
    }
    const last = buf.lastIndexOf(10);
    if (nl >= 0 && isAscii(buf.subarray(start, last))) {
      // The usual log: ASCII, decoded as latin1 (V8 copies it at memory speed, where UTF-8
      // decoding in Node 20 runs at ~0.2 GB/s), a string per piece of whole lines, sliced per
      // line. A piece is ~64 KiB, or ~1 MiB when that much is left: V8 makes
      // strings between ~128 KiB and ~1 MB slowly (page by page, in its large-object space),
      // and Node makes longer ones outside the heap, at memory speed.
      while (nl >= 0) {
        const rest = last + 1 - start;
        const target = rest >= wholeChunk ? wholeChunk : piece;
        const pieceEnd = rest <= target * 1.5 ? last + 1 : buf.indexOf(10, start + target) + 1;
        const text = buf.toString('latin1', start, pieceEnd);
        const controls = asciiControlBesideNewline.test(text);
        const from = start;
        while (nl >= 0 && nl < pieceEnd) {
          const end = nl > start && buf[nl - 1] === 13 ? nl - 1 : nl;
          const cut = Math.min(end, start + this.maxLineChars);
          // A cut line gets its own string: a slice would keep the whole long line alive.
          let line = cut < end ? buf.toString('latin1', start, cut) : text.slice(start - from, end - from);
          if (controls) line = visibleControls(line);
          lines.push({ offset: base + start, length: nl - start, text: line, truncated: cut < end });
          start = nl + 1;
          nl = buf.indexOf(10, start);
        }
      }
    }
    while (nl >= 0) {
      const d = decodeLine(buf, start, nl, this.maxLineChars);
      lines.push({ offset: base + start, length: nl - start, text: d.text, truncated: d.truncated });
      start = nl + 1;
      nl = buf.indexOf(10, start);
    }
    if (lines.length > 0) {
      this.pos = base + start;
      this.head = empty;
    }
    const room = this.cap - this.head.length;
    if (start < buf.length && room > 0) {
      // Copied: a view would keep the whole chunk alive for the sake of a short tail.
      const tail = Buffer.from(buf.subarray(start, start + Math.min(room, buf.length - start)));
      this.head = this.head.length === 0 ? tail : Buffer.concat([this.head, tail]);
    }
    this.scanned = base + buf.length;
    return lines;
  }

  /** The line in progress as it stands, marked partial; null when there is none. */
  partial(): LogLine | null {
    if (this.scanned === this.pos) return null;
    const length = this.scanned - this.pos;
    const d = decodeLine(this.head, 0, this.head.length, this.maxLineChars, length);
    return { offset: this.pos, length, text: d.text, truncated: d.truncated, partial: true };
  }
}
