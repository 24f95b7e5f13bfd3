import type { ReactNode } from 'react';

export type CellValue = string | number | null;

/** A table column, as data: what to sort and search by, and how to draw a cell. */
export interface Column<Row> {
  id: string;
  label: string;
  /** The cell's value for sorting and text search; also drawn as text when there is no `render`. */
  getValue: (row: Row) => CellValue;
  render?: (row: Row) => ReactNode;
  /** Minimum width in px; the column never gets narrower, so every row lines up. */
  width: number;
  /** Widen past `width` to fit the longest value, so this column is never cut (e.g. hostnames). */
  fitContent?: boolean;
  /** Share of the spare width this column takes (CSS `fr`); absent: fixed at `width`. */
  grow?: number;
  align?: 'start' | 'end';
  /** Included in the free-text filter. */
  searchable?: boolean;
  sortable?: boolean;
  /** Header tooltip: what the column means, in a sentence. */
  description?: string;
  /** Extra class on every cell of the column (e.g. monospace). */
  cellClassName?: string;
}

import { sortByValue } from './order';

export type SortDirection = 'asc' | 'desc';
export interface SortState {
  columnId: string;
  direction: SortDirection;
}

export { compareValues, naturalKey } from './order';

export function sortRows<Row>(rows: readonly Row[], columns: readonly Column<Row>[], sort: SortState | null): readonly Row[] {
  const column = sort && columns.find((c) => c.id === sort.columnId);
  if (!sort || !column) return rows;
  return sortByValue(rows, column.getValue, sort.direction);
}

/** Rows where every word of `query` appears in one of the searchable columns (case-insensitive). */
export function filterRows<Row>(rows: readonly Row[], columns: readonly Column<Row>[], query: string): readonly Row[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return rows;
  const searchable = columns.filter((c) => c.searchable);
  return rows.filter((row) => {
    const haystack = searchable.map((c) => String(c.getValue(row) ?? '').toLowerCase()).join('\n');
    return words.every((w) => haystack.includes(w));
  });
}

export function nextSort(current: SortState | null, columnId: string): SortState {
  if (current?.columnId === columnId) return { columnId, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  return { columnId, direction: 'asc' };
}

export function gridTemplate<Row>(columns: readonly Column<Row>[]): string {
  return columns.map((c) => (c.grow ? `minmax(${c.width}px, ${c.grow}fr)` : `${c.width}px`)).join(' ');
}
