import { Button, Dialog, DialogBody, DialogFooter, Spinner } from '@blueprintjs/core';
import { useEffect, useState } from 'react';
import type { FileRef, LogLine } from '../../../core/contract';
import { useApi } from '../../api/context';
import { ErrorMessage } from '../../components/ErrorMessage';
import { stripAnsi } from './ansi';

const maxRead = 1024 * 1024;

/** The whole of a line the viewer cut, read as raw bytes (up to 1 MiB) and shown as text. */
export function LongLine({ file, line, onClose }: { file: FileRef; line: LogLine | null; onClose: () => void }) {
  const api = useApi();
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    setText(null);
    setError(null);
    if (!line) return;
    let live = true;
    api
      .call('logs.read', { ...file, offset: line.offset, length: Math.max(1, Math.min(line.length, maxRead)) })
      .then((r) => {
        const bytes = Uint8Array.from(atob(r.data), (c) => c.charCodeAt(0));
        if (live) setText(stripAnsi(new TextDecoder().decode(bytes)));
      })
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [api, file, line]);

  const more = line && line.length > maxRead ? ` (first 1 MiB of ${line.length.toLocaleString()} bytes)` : '';
  return (
    <Dialog isOpen={line !== null} onClose={onClose} title={`Line at byte ${line?.offset.toLocaleString() ?? ''}${more}`} className="long-line-dialog">
      <DialogBody>
        {error !== null && <ErrorMessage error={error} />}
        {text === null && error === null && <Spinner size={20} />}
        {text !== null && <pre className="long-line-text">{text}</pre>}
      </DialogBody>
      <DialogFooter actions={<Button text="Close" onClick={onClose} />} />
    </Dialog>
  );
}
