/**
 * The headless host's token, as the page keeps it. It arrives once, in the address the host
 * printed (`/?token=...`); the page moves it to sessionStorage (per origin, port included, and
 * per tab) and takes it out of the address bar and history. It is never a cookie: a browser
 * sends cookies to every server on 127.0.0.1 whatever its port, and this token runs commands.
 */
const key = 'cantareira.token';

/** Where the token is found and kept: the page's location, sessionStorage and history (plain shapes, so tests need no DOM). */
export interface TokenPlaces {
  location: { href: string };
  storage: { getItem(key: string): string | null; setItem(key: string, value: string): void };
  history: { state: unknown; replaceState(state: unknown, unused: string, url?: string | null): void };
}

export function takeToken(places: TokenPlaces): string | null {
  const url = new URL(places.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    places.storage.setItem(key, fromUrl);
    url.searchParams.delete('token');
    places.history.replaceState(places.history.state, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return places.storage.getItem(key);
}

/** The subprotocols the page's WebSocket offers: ours, and the token (the only way a browser can send it on a socket). */
export function socketProtocols(token: string | null): string[] {
  return token ? ['cantareira.v1', `cantareira.token.${token}`] : ['cantareira.v1'];
}
