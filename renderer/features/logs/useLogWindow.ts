import { useCallback, useEffect, useRef, useState } from 'react';
import type { FileRef, LogLine } from '../../../core/contract';
import { useApi } from '../../api/context';
import type { ApiError } from '../../api/errors';

/** Lines fetched around a position: never more than this many are held (plus followed lines). */
const around = 150;
/** Followed lines kept at most; older ones drop off the top. */
export const maxHeld = 3000;

export interface LogWindow {
  lines: LogLine[];
  /** File size as last seen. */
  size: number;
  /** 1-based number of `lines[0]`, when the line index knows it. */
  firstLine: number | null;
  /** The window reaches the end of the file. */
  atEnd: boolean;
  /** The window starts at the beginning of the file. */
  atStart: boolean;
}

/**
 * The bounded window of lines a viewer shows: fetched with `logs.lines` around a byte offset
 * (or at the end, -1), replaced on each move, extended by followed lines.
 */
export function useLogWindow(file: FileRef) {
  const api = useApi();
  const [win, setWin] = useState<LogWindow | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const seq = useRef(0);

  const load = useCallback(
    async (at: number, line?: number): Promise<LogWindow | null> => {
      const mine = ++seq.current;
      try {
        const where = line === undefined ? { at } : { line };
        const r = await api.call('logs.lines', { ...file, ...where, before: around, after: at === -1 ? 0 : around, maxLineChars: 10_000 });
        if (mine !== seq.current) return null;
        const first = r.lines[0];
        const next: LogWindow = {
          lines: r.lines,
          size: r.size,
          firstLine: r.firstLine,
          // An unfinished last line (no newline yet) ends before `size` but is the end all the same.
          atEnd: r.end >= r.size || r.lines.at(-1)?.partial === true,
          atStart: !first || first.offset === 0,
        };
        setWin(next);
        setError(null);
        return next;
      } catch (e) {
        if (mine === seq.current) setError(e as ApiError);
        return null;
      }
    },
    [api, file],
  );

  /** Followed lines: a partial line is replaced by its completed self (same offset). */
  const append = useCallback((lines: readonly LogLine[], size?: number) => {
    setWin((w) => {
      if (!w || lines.length === 0) return w;
      const held = [...w.lines];
      for (const line of lines) {
        const last = held[held.length - 1];
        if (last && last.offset === line.offset) held[held.length - 1] = line;
        else if (!last || line.offset > last.offset) held.push(line);
      }
      const cut = Math.max(0, held.length - maxHeld);
      const tail = held[held.length - 1];
      const end = tail ? tail.offset + tail.length + (tail.partial ? 0 : 1) : w.size;
      return {
        lines: cut ? held.slice(cut) : held,
        size: Math.max(size ?? 0, end, w.size),
        firstLine: w.firstLine !== null && !cut ? w.firstLine : w.firstLine === null ? null : w.firstLine + cut,
        atEnd: true,
        atStart: w.atStart && !cut,
      };
    });
  }, []);

  const growTo = useCallback((size: number) => setWin((w) => (w && size > w.size ? { ...w, size, atEnd: false } : w)), []);

  useEffect(() => {
    setWin(null);
    seq.current++;
  }, [file]);

  return { win, error, load, append, growTo };
}

/** Index of the line holding byte `offset` (the last line starting at or before it). */
export function lineAt(lines: readonly LogLine[], offset: number): number {
  let lo = 0;
  let hi = lines.length - 1;
  let best = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const line = lines[mid];
    if (line && line.offset <= offset) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}
