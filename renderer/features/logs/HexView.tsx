import { Button, ButtonGroup, Callout, Spinner } from '@blueprintjs/core';
import { useEffect, useState } from 'react';
import type { FileRef } from '../../../core/contract';
import { useApi } from '../../api/context';
import { ErrorMessage } from '../../components/ErrorMessage';
import { humanSize } from './format';
import { bytesPerRow, hexRows, type HexRow } from './hex';

/** Bytes per page: 256 rows, one `logs.read`. */
const page = 4096;

/**
 * A binary file as a hex dump, a page at a time through `logs.read`: offset, bytes, printable
 * column. `onText` shows it as lines anyway (a log the sniffing misjudged).
 */
export function HexView({ file, size, format, onText }: { file: FileRef; size: number; format: string | null; onText: () => void }) {
  const api = useApi();
  const [offset, setOffset] = useState(0);
  const [rows, setRows] = useState<HexRow[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    setError(null);
    if (size === 0) {
      setRows([]);
      return;
    }
    api
      .call('logs.read', { ...file, offset, length: page })
      .then((r) => {
        if (live)
          setRows(
            hexRows(
              Uint8Array.from(atob(r.data), (c) => c.charCodeAt(0)),
              r.offset,
            ),
          );
      })
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [api, file, offset, size]);

  const last = Math.max(0, Math.floor((size - 1) / page) * page);
  const shownEnd = Math.min(size, offset + page);
  return (
    <section className="hex-view" aria-label="Hex dump">
      <Callout compact intent="primary" className="hex-callout">
        {format ? `A binary file (${format})` : 'A binary file'}, {humanSize(size)}: shown as bytes.{' '}
        <Button size="small" variant="minimal" text="Show as text anyway" onClick={onText} />
      </Callout>
      <div className="hex-toolbar">
        <ButtonGroup>
          <Button size="small" text="Start" disabled={offset === 0} onClick={() => setOffset(0)} />
          <Button size="small" text="Previous" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - page))} />
          <Button size="small" text="Next" disabled={offset >= last} onClick={() => setOffset(Math.min(last, offset + page))} />
          <Button size="small" text="End" disabled={offset >= last} onClick={() => setOffset(last)} />
        </ButtonGroup>
        <span className="muted">
          bytes {offset.toLocaleString()}–{shownEnd.toLocaleString()} of {size.toLocaleString()}
        </span>
      </div>
      {error !== null && <ErrorMessage error={error} />}
      {rows === null && error === null && <Spinner size={20} />}
      {rows !== null && (
        <div className="hex-rows" role="table" aria-label={`Bytes, ${bytesPerRow} per row`}>
          {rows.map((r) => (
            <div className="hex-row" role="row" key={r.offset}>
              <span className="hex-offset" role="cell">
                {r.offset}
              </span>
              <span className="hex-bytes" role="cell">
                {r.hex}
              </span>
              <span className="hex-text" role="cell">
                {r.text}
              </span>
            </div>
          ))}
        </div>
      )}
    </section>
  );
}
