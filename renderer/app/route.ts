import { useCallback, useSyncExternalStore } from 'react';

/**
 * The window's place, kept in the URL hash (`#/agents?type=mesos-fixed&q=rack-3`), so a
 * reload keeps the screen and its filters and a link can be pasted to a colleague.
 */
export interface Route {
  screen: string;
  params: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '');
  const q = raw.indexOf('?');
  const screen = decodeURIComponent(q < 0 ? raw : raw.slice(0, q));
  return { screen, params: new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)) };
}

export function formatHash(screen: string, params?: URLSearchParams): string {
  const query = params?.toString();
  return `#/${encodeURIComponent(screen)}${query ? `?${query}` : ''}`;
}

const changed = 'cantareira:route';
const subscribe = (listener: () => void) => {
  window.addEventListener('hashchange', listener);
  window.addEventListener(changed, listener);
  return () => {
    window.removeEventListener('hashchange', listener);
    window.removeEventListener(changed, listener);
  };
};
const snapshot = () => window.location.hash;

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, snapshot);
  return parseHash(hash);
}

/** Changing a filter replaces the history entry; only moving between screens adds one. */
export function replaceParams(params: URLSearchParams): void {
  const { screen } = parseHash(window.location.hash);
  window.history.replaceState(null, '', formatHash(screen, params));
  window.dispatchEvent(new Event(changed));
}

/** One URL parameter as state: `[value, setValue]`; an empty value removes it from the URL. */
export function useRouteParam(name: string): [string, (value: string) => void] {
  const { params } = useRoute();
  const value = params.get(name) ?? '';
  const set = useCallback(
    (next: string) => {
      const current = parseHash(window.location.hash).params;
      if (next) current.set(name, next);
      else current.delete(name);
      replaceParams(current);
    },
    [name],
  );
  return [value, set];
}
