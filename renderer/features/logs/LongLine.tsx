import { Button, ButtonGroup, Dialog, DialogBody, DialogFooter, Spinner } from '@blueprintjs/core';
import { useEffect, useState } from 'react';
import type { CallOutput, FileRef, LogLine } from '../../../core/contract';
import { useApi } from '../../api/context';
import { ErrorMessage } from '../../components/ErrorMessage';
import { LineText } from './LineText';
import type { Match } from './useSearch';

/** Characters per part: a page of a long line. */
const partChars = 100_000;

/**
 * The whole of a line the viewer cut, a part at a time through `logs.linePart` (decoded and
 * shown as the viewer shows lines: colours, control symbols), from its start or from a search
 * match's window, whose match stays highlighted.
 */
export function LongLine({
  file,
  line,
  ranges,
  onClose,
}: {
  file: FileRef;
  line: LogLine | null;
  ranges?: Match['ranges'] | undefined;
  onClose: () => void;
}) {
  const api = useApi();
  const [from, setFrom] = useState(0);
  const [part, setPart] = useState<CallOutput<'logs.linePart'> | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    // A window of a match starts the part a little before it, so the match is in view.
    setFrom(line?.from !== undefined ? Math.max(0, line.from) : 0);
  }, [line]);

  useEffect(() => {
    setPart(null);
    setError(null);
    if (!line) return;
    let live = true;
    api
      .call('logs.linePart', { ...file, offset: line.offset, length: line.length, from, maxLineChars: partChars })
      .then((r) => live && setPart(r))
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [api, file, line, from]);

  const shownFrom = part?.line.from ?? from;
  const marks = line && part && part.line.from === line.from ? ranges : undefined;
  const title = line
    ? `Line at byte ${line.offset.toLocaleString()}: bytes ${shownFrom.toLocaleString()}–${(part?.next ?? shownFrom).toLocaleString()} of ${line.length.toLocaleString()}`
    : '';
  return (
    <Dialog isOpen={line !== null} onClose={onClose} title={title} className="long-line-dialog">
      <DialogBody>
        {error !== null && <ErrorMessage error={error} />}
        {part === null && error === null && <Spinner size={20} />}
        {part !== null && (
          <pre className="long-line-text">
            <LineText text={part.line.text} ranges={marks} />
          </pre>
        )}
      </DialogBody>
      <DialogFooter
        actions={
          <>
            <ButtonGroup>
              <Button text="Start" disabled={shownFrom === 0} onClick={() => setFrom(0)} />
              <Button text="Previous part" disabled={shownFrom === 0} onClick={() => setFrom(Math.max(0, shownFrom - partChars))} />
              <Button text="Next part" disabled={!part || !part.line.truncated} onClick={() => part && setFrom(part.next)} />
            </ButtonGroup>
            <Button text="Close" onClick={onClose} />
          </>
        }
      />
    </Dialog>
  );
}
