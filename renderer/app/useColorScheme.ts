import { Classes } from '@blueprintjs/core';
import { useEffect, useSyncExternalStore } from 'react';

const query = '(prefers-color-scheme: dark)';

function subscribe(listener: () => void) {
  const mql = window.matchMedia(query);
  mql.addEventListener('change', listener);
  return () => mql.removeEventListener('change', listener);
}

/**
 * Follows the system's light/dark setting live. The dark class goes on <body>, not on the app
 * root, because Blueprint draws popovers and dialogs in portals directly under <body>.
 */
export function useColorScheme(): 'dark' | 'light' {
  const dark = useSyncExternalStore(subscribe, () => window.matchMedia(query).matches);
  useEffect(() => {
    document.body.classList.toggle(Classes.DARK, dark);
    document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  }, [dark]);
  return dark ? 'dark' : 'light';
}
