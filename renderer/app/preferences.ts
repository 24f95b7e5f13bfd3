import { useCallback, useState } from 'react';

/**
 * UI preferences (sort order, grouping), apart from server data: in localStorage, under
 * `cantareira:<key>`. A stored value that no longer passes `isValid` falls back to the default.
 */
export function usePreference<T>(key: string, fallback: T, isValid: (v: unknown) => v is T): [T, (v: T) => void] {
  const storageKey = `cantareira:${key}`;
  const [value, setValue] = useState<T>(() => {
    try {
      const raw = window.localStorage.getItem(storageKey);
      if (raw === null) return fallback;
      const parsed: unknown = JSON.parse(raw);
      return isValid(parsed) ? parsed : fallback;
    } catch {
      return fallback;
    }
  });
  const set = useCallback(
    (next: T) => {
      setValue(next);
      try {
        window.localStorage.setItem(storageKey, JSON.stringify(next));
      } catch {
        // Storage full or disabled: the preference lasts for this window only.
      }
    },
    [storageKey],
  );
  return [value, set];
}
