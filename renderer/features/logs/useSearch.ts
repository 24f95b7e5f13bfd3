import { useCallback, useEffect, useRef, useState } from 'react';
import type { FileRef, LogLine } from '../../../core/contract';
import { useApi } from '../../api/context';
import type { ApiError } from '../../api/errors';

export interface SearchQuery {
  query: string;
  mode: 'literal' | 'regex';
  caseInsensitive: boolean;
}

export interface Match {
  line: LogLine;
  ranges: readonly (readonly [number, number])[];
}

export interface SearchState {
  /** The text searched for ('' when none). */
  query: string;
  matches: Match[];
  scanned: number;
  size: number;
  done: boolean;
  error: ApiError | null;
  /** Stopped by the user before the end. */
  cancelled: boolean;
}

/** Matches kept for the filter view and jumping; the search stops there. */
export const maxMatches = 5000;
const empty: SearchState = { query: '', matches: [], scanned: 0, size: 0, done: false, error: null, cancelled: false };

/** `logs.search` over the whole file; a new query or `null` unsubscribes, which cancels it. */
export function useSearch(file: FileRef, q: SearchQuery | null): SearchState & { cancel: () => void } {
  const api = useApi();
  const [state, setState] = useState<SearchState>(empty);
  const stop = useRef<(() => void) | null>(null);
  const query = q?.query ?? '';
  const mode = q?.mode ?? 'literal';
  const ci = q?.caseInsensitive ?? false;

  useEffect(() => {
    setState({ ...empty, query });
    if (!query) return;
    const unsubscribe = api.subscribe(
      'logs.search',
      { ...file, query, mode, caseInsensitive: ci, maxMatches, maxLineChars: 500 },
      (batch) => {
        setState((s) => {
          let next = s;
          const found: Match[] = [];
          for (const item of batch.items) {
            if (item.kind === 'match') found.push({ line: item.line, ranges: item.ranges });
            else next = { ...next, scanned: item.scanned, size: item.size, done: item.done };
          }
          return found.length ? { ...next, matches: [...next.matches, ...found] } : next;
        });
      },
      (error) => setState((s) => ({ ...s, done: true, error })),
    );
    stop.current = unsubscribe;
    return () => {
      stop.current = null;
      unsubscribe();
    };
  }, [api, file, query, mode, ci]);

  const cancel = useCallback(() => {
    stop.current?.();
    stop.current = null;
    setState((s) => (s.done ? s : { ...s, done: true, cancelled: true }));
  }, []);

  return { ...state, cancel };
}
