/** One row of a hex dump, as `xxd` and `hexdump -C` show it: offset, 16 bytes, the printable ones. */
export interface HexRow {
  /** File offset of the row's first byte, hex, 8 digits at least. */
  offset: string;
  /** The bytes in hex, a gap after the eighth. */
  hex: string;
  /** Printable ASCII as itself, anything else as '.': never a control, never markup. */
  text: string;
}

export const bytesPerRow = 16;

export function hexRows(bytes: Uint8Array, base: number): HexRow[] {
  const rows: HexRow[] = [];
  for (let i = 0; i < bytes.length; i += bytesPerRow) {
    const row = bytes.subarray(i, i + bytesPerRow);
    let hex = '';
    let text = '';
    for (let k = 0; k < bytesPerRow; k++) {
      if (k === 8) hex += ' ';
      const b = row[k];
      hex += b === undefined ? '   ' : `${b.toString(16).padStart(2, '0')} `;
      if (b !== undefined) text += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
    }
    rows.push({ offset: (base + i).toString(16).padStart(8, '0'), hex: hex.trimEnd(), text });
  }
  return rows;
}
