import { useEffect, useState } from 'react';

/**
 * `value` once it has stopped changing for `ms` (compared as JSON, so an equal object built
 * anew on each render does not restart the wait). The first value is returned at once.
 */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  const json = JSON.stringify(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(JSON.parse(json) as T), ms);
    return () => clearTimeout(timer);
  }, [json, ms]);
  return settled;
}
