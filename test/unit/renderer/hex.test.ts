import { describe, expect, it } from 'vitest';
import { hexRows } from '../../../renderer/features/logs/hex.js';

describe('the hex view of a binary', () => {
  it('shows offset, 16 bytes in hex with a gap after eight, and the printable ones', () => {
    const elf = Buffer.from('7f454c4602010100000000000000000003003e0001000000', 'hex');
    expect(hexRows(elf, 0x1000)).toEqual([
      { offset: '00001000', hex: '7f 45 4c 46 02 01 01 00  00 00 00 00 00 00 00 00', text: '.ELF............' },
      { offset: '00001010', hex: '03 00 3e 00 01 00 00 00', text: '..>.....' },
    ]);
  });

  it('never passes a control, a bidi control or markup through the printable column', () => {
    const [row] = hexRows(Buffer.from('<b>\x1b[31m\u202e\0', 'utf8'), 0);
    expect(row!.text).toBe('<b>.[31m....');
    expect(row!.text).toMatch(/^[\x20-\x7e]*$/);
  });
});
