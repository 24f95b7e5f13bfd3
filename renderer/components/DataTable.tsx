import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, type CSSProperties, type ReactNode } from 'react';
import { gridTemplate, nextSort, sortRows, type Column, type SortState } from './columns';
import { useFitWidths } from './fitWidths';
import { CaretDownIcon, CaretUpIcon } from './icons';
import './DataTable.css';

export interface DataTableProps<Row> {
  /** Names the table for screen readers and tests. */
  label: string;
  rows: readonly Row[];
  columns: readonly Column<Row>[];
  rowKey: (row: Row) => string;
  sort: SortState | null;
  onSortChange: (sort: SortState) => void;
  /** Extra class per row, e.g. to mute agents that are gone. */
  rowClassName?: (row: Row) => string | undefined;
  /** Drawn in place of the body when there are no rows. */
  empty?: ReactNode;
  rowHeight?: number;
  /** A click on a row (not on a link, button or checkbox in it) opens it. */
  onRowClick?: (row: Row) => void;
  /** The row that is open beside the table, highlighted. */
  selectedKey?: string | null;
}

const headerHeight = 30;

/**
 * A dense, sortable table that only puts the visible rows in the DOM, so 5,000 agents scroll
 * as smoothly as 5. Every row is its own CSS grid on the same column template; columns have
 * fixed minimum widths, so rows line up however long a cell's text is (it is cut with an
 * ellipsis and shown whole in its tooltip).
 */
export function DataTable<Row>(props: DataTableProps<Row>) {
  const { rowKey, sort, onSortChange, rowClassName, empty, onRowClick, selectedKey } = props;
  const columns = useFitWidths(props.columns, props.rows);
  const rowHeight = props.rowHeight ?? 28;
  const scrollRef = useRef<HTMLDivElement>(null);
  const rows = useMemo(() => sortRows(props.rows, props.columns, sort), [props.rows, props.columns, sort]);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
    scrollMargin: headerHeight,
  });

  const layout = {
    '--dt-columns': gridTemplate(columns),
    minWidth: columns.reduce((sum, c) => sum + c.width, 0),
  } as CSSProperties;

  return (
    <div className="dt" role="table" aria-label={props.label} aria-rowcount={rows.length + 1}>
      <div className="dt-scroll" ref={scrollRef}>
        <div className="dt-inner" style={layout}>
          <div className="dt-head" role="rowgroup">
            <div className="dt-row dt-header-row" role="row" aria-rowindex={1} style={{ height: headerHeight }}>
              {columns.map((c) => (
                <HeaderCell key={c.id} column={c} sort={sort} onSort={() => onSortChange(nextSort(sort, c.id))} />
              ))}
            </div>
          </div>
          {rows.length === 0 ? (
            <div className="dt-empty">{empty}</div>
          ) : (
            <div className="dt-body" role="rowgroup" style={{ height: virtualizer.getTotalSize() }}>
              {virtualizer.getVirtualItems().map((item) => {
                const row = rows[item.index]!;
                const key = rowKey(row);
                const selected = selectedKey !== undefined && selectedKey === key;
                const classes = [
                  'dt-row',
                  item.index % 2 ? 'dt-odd' : '',
                  onRowClick ? 'dt-clickable' : '',
                  selected ? 'dt-selected' : '',
                  rowClassName?.(row) ?? '',
                ].join(' ');
                return (
                  <div
                    key={key}
                    className={classes}
                    role="row"
                    aria-rowindex={item.index + 2}
                    aria-selected={onRowClick ? selected : undefined}
                    onClick={onRowClick ? (e) => !isControl(e.target) && onRowClick(row) : undefined}
                    style={{ height: rowHeight, transform: `translateY(${item.start - headerHeight}px)` }}
                  >
                    {columns.map((c) => (
                      <div key={c.id} role="cell" className={cellClass(c)} title={titleOf(c.getValue(row))}>
                        {c.render ? c.render(row) : String(c.getValue(row) ?? '')}
                      </div>
                    ))}
                  </div>
                );
              })}
            </div>
          )}
        </div>
      </div>
    </div>
  );
}

function HeaderCell<Row>({ column, sort, onSort }: { column: Column<Row>; sort: SortState | null; onSort: () => void }) {
  const active = sort?.columnId === column.id ? sort.direction : null;
  const ariaSort = active === 'asc' ? 'ascending' : active === 'desc' ? 'descending' : 'none';
  const label = <span className="dt-label">{column.label}</span>;
  return (
    <div role="columnheader" aria-sort={ariaSort} className={headerClass(column)} title={column.description ?? column.label}>
      {column.sortable === false ? (
        label
      ) : (
        <button type="button" className="dt-sort" onClick={onSort}>
          {label}
          {active === 'asc' && <CaretUpIcon size={12} />}
          {active === 'desc' && <CaretDownIcon size={12} />}
        </button>
      )}
    </div>
  );
}

function headerClass<Row>(c: Column<Row>): string {
  return c.align === 'end' ? 'dt-cell dt-end' : 'dt-cell';
}

function cellClass<Row>(c: Column<Row>): string {
  return c.cellClassName ? `${headerClass(c)} ${c.cellClassName}` : headerClass(c);
}

/** Links, buttons and checkboxes in a row do their own thing; a click on them does not open the row. */
function isControl(target: EventTarget): boolean {
  return target instanceof Element && target.closest('a, button, input, label, [role=button]') !== null;
}

function titleOf(v: string | number | null): string | undefined {
  return v === null || v === '' ? undefined : String(v);
}
