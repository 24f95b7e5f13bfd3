import { useMemo, useRef } from 'react';
import type { Column } from './columns';

let canvas: HTMLCanvasElement | null = null;

/** Width in px of the widest text, as the browser would draw it in `font`. */
export function widestText(texts: Iterable<string>, font: string): number {
  canvas ??= document.createElement('canvas');
  const ctx = canvas.getContext('2d');
  if (!ctx) return 0;
  ctx.font = font;
  let widest = 0;
  for (const t of texts) widest = Math.max(widest, ctx.measureText(t).width);
  return Math.ceil(widest);
}

const cellPadding = 12;
/** Only the longest values (by characters) are measured: the widest is almost surely among them. */
const candidates = 64;

function longest(values: string[]): string[] {
  if (values.length <= candidates) return values;
  return [...values].sort((a, b) => b.length - a.length).slice(0, candidates);
}

/**
 * Minimum widths for the columns marked `fitContent`: wide enough for their longest value, so
 * the column people identify rows by (a hostname) is never cut. Widths only ever grow while
 * the table is mounted, so filtering does not make columns jump.
 */
export function useFitWidths<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): readonly Column<Row>[] {
  const grown = useRef(new Map<string, number>());
  return useMemo(() => {
    if (!columns.some((c) => c.fitContent)) return columns;
    const family = getComputedStyle(document.body).fontFamily;
    return columns.map((c) => {
      if (!c.fitContent) return c;
      const values = longest(rows.map((r) => String(c.getValue(r) ?? '')));
      const needed = widestText(values, `600 13px ${family}`) + cellPadding + 2;
      const width = Math.max(c.width, needed, grown.current.get(c.id) ?? 0);
      grown.current.set(c.id, width);
      return width === c.width ? c : { ...c, width };
    });
  }, [columns, rows]);
}
