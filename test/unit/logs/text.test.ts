import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../../core/logs/split.js';
import { decodeLine } from '../../../core/logs/text.js';

const decode = (bytes: Buffer | string, max = 100) => {
  const b = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  return decodeLine(b, 0, b.length, max);
};

describe('a line as the viewer shows it', () => {
  it('decodes UTF-8 and replaces invalid bytes with U+FFFD', () => {
    expect(decode('héllo ✓ 😀').text).toBe('héllo ✓ 😀');
    expect(decode(Buffer.from([0x61, 0xff, 0x62, 0xc3, 0x28, 0x63])).text).toBe('a\ufffdb\ufffd(c');
  });

  it('makes NUL and other control characters visible, but keeps tab', () => {
    expect(decode('a\0b\x07c\td\x7f\re').text).toBe('a\u2400b\u2407c\td\u2421\u240de');
  });

  it('keeps whole escape sequences for the renderer, and shows a lone or unfinished ESC', () => {
    expect(decode('\x1b[1;31mred\x1b[0m plain').text).toBe('\x1b[1;31mred\x1b[0m plain');
    expect(decode('clear\x1b[2J \x1b]0;title\x07 \x1b[01;31m\x1b[Kerror\x1b[m\x1b[K').text).toBe(
      'clear\x1b[2J \x1b]0;title\x07 \x1b[01;31m\x1b[Kerror\x1b[m\x1b[K',
    );
    expect(decode('\x1b]8;;https://example.com\x1b\\link\x1b]8;;\x1b\\').text).toBe('\x1b]8;;https://example.com\x1b\\link\x1b]8;;\x1b\\');
    expect(decode('lone \x1b then \x1b[31').text).toBe('lone \u241b then \u241b[31');
    expect(decode('osc \x1b]0;no end\x07x\x1b]0;cut').text).toBe('osc \x1b]0;no end\x07x\u241b]0;cut');
  });

  it('shows bidi controls as distinct visible arrows, one unit each, so "evil" reads as written', () => {
    const d = decode('access \u202eevil\u202c granted');
    expect(d.text).toBe('access \u21daevil\u21a5 granted');
    expect(d.text).toHaveLength('access \u202eevil\u202c granted'.length);
    const all = '\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c';
    const shown = decode(`x${all}y`).text;
    expect(shown).toHaveLength(all.length + 2);
    expect(new Set(shown.slice(1, -1)).size).toBe(all.length);
    expect(shown).not.toMatch(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
    // The same on the splitter's paths (a follow, a tail read by chunks).
    expect(new LineSplitter(100).push(Buffer.from('access \u202eevil\u202c granted\n'))[0]!.text).toBe(d.text);
  });

  it('drops the CR of a CRLF line ending, and only that one', () => {
    expect(decode('windows\r').text).toBe('windows');
    expect(decode('a\rb\r').text).toBe('a\u240db');
  });

  it('cuts a long line at maxLineChars, never inside a surrogate pair, and says so', () => {
    expect(decode('x'.repeat(150), 100)).toMatchObject({ text: 'x'.repeat(100), truncated: true });
    const emoji = `${'x'.repeat(99)}😀tail`;
    expect(decode(emoji, 100)).toMatchObject({ text: 'x'.repeat(99), truncated: true });
    expect(decode('short', 100)).toMatchObject({ text: 'short', truncated: false });
  });

  it('decodes only the head of a line it is given whole', () => {
    const huge = Buffer.alloc(10 * 1024 * 1024, 'a');
    const d = decodeLine(huge, 0, huge.length, 1000);
    expect(d).toMatchObject({ truncated: true, bytes: 3003 });
    expect(d.text).toHaveLength(1000);
  });
});

describe('splitting chunks into lines', () => {
  it('returns whole lines with their offsets, holding a line until its newline arrives', () => {
    const s = new LineSplitter(100);
    expect(s.push(Buffer.from('one\ntw'))).toEqual([{ offset: 0, length: 3, text: 'one', truncated: false }]);
    expect(s.partial()).toEqual({ offset: 4, length: 2, text: 'tw', truncated: false, partial: true });
    expect(s.push(Buffer.from('o\nthr'))).toEqual([{ offset: 4, length: 3, text: 'two', truncated: false }]);
    expect(s.push(Buffer.from('ee\n'))).toEqual([{ offset: 8, length: 5, text: 'three', truncated: false }]);
    expect([s.pos, s.scanned, s.partial()]).toEqual([14, 14, null]);
  });

  it('gives the same text on the ASCII fast path and the UTF-8 path', () => {
    const ascii = 'plain \x1b[32mok\x1b[0m\tand\0nul\r\nnext\n';
    const utf8 = 'plaïn \x1b[32mok\x1b[0m\tand\0nul\r\nnext\n';
    const a = new LineSplitter(100).push(Buffer.from(ascii));
    const u = new LineSplitter(100).push(Buffer.from(utf8));
    expect(a.map((l) => l.text)).toEqual(['plain \x1b[32mok\x1b[0m\tand\u2400nul', 'next']);
    expect(u.map((l) => l.text)).toEqual(['plaïn \x1b[32mok\x1b[0m\tand\u2400nul', 'next']);
    expect(u.map((l) => [l.offset, l.length])).toEqual([
      [0, 27],
      [28, 4],
    ]);
  });

  it('keeps only the head of a line that spans many chunks', () => {
    const s = new LineSplitter(80);
    for (let i = 0; i < 100; i++) expect(s.push(Buffer.alloc(100_000, 'z'))).toEqual([]);
    const [line] = s.push(Buffer.from('end\n'));
    expect(line).toEqual({ offset: 0, length: 10_000_003, text: 'z'.repeat(80), truncated: true });
  });
});
