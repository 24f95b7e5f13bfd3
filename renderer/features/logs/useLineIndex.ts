import { useEffect, useState } from 'react';
import type { CallOutput, FileRef } from '../../../core/contract';
import { useApi } from '../../api/context';

type IndexState = CallOutput<'logs.index'>;

/**
 * Asks the backend to build the file's line index and polls until it is done, so line numbers
 * and goto-line become available; `null` until the first answer, or when indexing is refused.
 */
export function useLineIndex(file: FileRef): IndexState | null {
  const api = useApi();
  const [state, setState] = useState<IndexState | null>(null);
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = () => {
      api.call('logs.index', file).then(
        (s) => {
          if (!live) return;
          setState(s);
          if (!s.done) timer = setTimeout(poll, 1000);
        },
        () => live && setState(null),
      );
    };
    poll();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, file]);
  return state;
}
