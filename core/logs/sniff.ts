/**
 * Is a file text or binary, from its first bytes (`logs.stat` reads 8 KiB, as Nomad and `file`
 * do)? Text, unless it starts with a known binary signature or too much of its head cannot be
 * text.
 *
 * Not "any NUL": logs do hold a few, and the viewer shows each as ␀. A process writes one with
 * `printf '%s\0'` or `find -print0`, a crashed writer leaves a short run of them where a block
 * was allocated but not written, a tool pads a record. Refusing the whole file for that hid the
 * text around them. A real binary is another thing: nearly every other byte of an ELF header,
 * a gzip stream or an image is a control byte or not UTF-8 at all.
 */

/** Signatures at offset 0, as `file(1)`'s magic knows them; the name is shown to the user. */
const signatures: { format: string; bytes: number[] }[] = [
  { format: 'ELF', bytes: [0x7f, 0x45, 0x4c, 0x46] },
  { format: 'gzip', bytes: [0x1f, 0x8b] },
  { format: 'zip', bytes: [0x50, 0x4b, 0x03, 0x04] },
  { format: 'PNG', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { format: 'JPEG', bytes: [0xff, 0xd8, 0xff] },
  { format: 'GIF', bytes: [0x47, 0x49, 0x46, 0x38] },
  { format: 'PDF', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { format: 'bzip2', bytes: [0x42, 0x5a, 0x68] },
  { format: 'xz', bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] },
  { format: 'zstd', bytes: [0x28, 0xb5, 0x2f, 0xfd] },
  { format: 'Java class', bytes: [0xca, 0xfe, 0xba, 0xbe] },
  { format: 'SQLite', bytes: [...Buffer.from('SQLite format 3\0')] },
];

/**
 * Past this share of bytes that text does not hold (NUL and other C0 controls but tab, newline,
 * CR, form feed, backspace and ESC; bytes that are not UTF-8), the head is binary. A log with a
 * NUL per line of 100 bytes stays well under it; executables and compressed data are far over.
 * A file of a few dozen bytes needs more than `minOdd` of them: `a\0b` is a line with a NUL.
 */
const maxOddShare = 0.1;
const minOdd = 16;

export interface Sniffed {
  binary: boolean;
  /** The signature found, or null (text, or a binary of no known kind). */
  format: string | null;
}

export function sniff(head: Buffer): Sniffed {
  for (const s of signatures) {
    if (head.length >= s.bytes.length && s.bytes.every((b, i) => head[i] === b)) return { binary: true, format: s.format };
  }
  if (head.length === 0) return { binary: false, format: null };
  let odd = 0;
  for (const b of head) if (b < 0x20 && b !== 9 && b !== 10 && b !== 13 && b !== 12 && b !== 8 && b !== 0x1b) odd++;
  // Bytes that are not UTF-8 each decode to one U+FFFD; a sequence cut by the 8 KiB end is not counted.
  const text = head.toString('utf8');
  for (let i = text.indexOf('\ufffd'); i >= 0 && i < text.length - 1; i = text.indexOf('\ufffd', i + 1)) odd++;
  return { binary: odd > Math.max(minOdd, head.length * maxOddShare), format: null };
}
