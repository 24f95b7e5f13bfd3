import { useEffect, useRef } from 'react';
import type { FileRef, LogLine } from '../../../core/contract';
import { useApi } from '../../api/context';

export interface FollowHandlers {
  onLines: (lines: LogLine[]) => void;
  /** The file was truncated, replaced or deleted, or the stream skipped bytes ('skipped'): read the end again. */
  onReset: (reason: string) => void;
}

/**
 * `logs.follow` from byte `from` while `enabled`; the stream's cursor (byte offset and file)
 * survives reconnects in the client. Handlers are read through a ref so a new render does not
 * restart the stream.
 */
export function useFollow(file: FileRef, enabled: boolean, from: number | null, handlers: FollowHandlers) {
  const api = useApi();
  const latest = useRef(handlers);
  latest.current = handlers;
  const start = enabled && from !== null;
  const fromRef = useRef(from);
  fromRef.current = from;

  useEffect(() => {
    if (!start) return;
    return api.subscribe('logs.follow', { ...file, from: fromRef.current ?? 0 }, (batch) => {
      const lines: LogLine[] = [];
      for (const item of batch.items) {
        if (item.kind === 'line') lines.push(item.line);
        else if (item.kind === 'reset') latest.current.onReset(item.reason);
        // Bytes passed over (a writer faster than the stream): re-read the end rather than show a gap.
        else latest.current.onReset('skipped');
      }
      if (lines.length) latest.current.onLines(lines);
    });
  }, [api, file, start]);
}
