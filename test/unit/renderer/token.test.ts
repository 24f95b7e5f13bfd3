import { describe, expect, it } from 'vitest';
import { socketProtocols, takeToken } from '../../../renderer/api/token.js';

function places(href: string, stored: Record<string, string> = {}) {
  const storage = new Map(Object.entries(stored));
  const replaced: string[] = [];
  return {
    replaced,
    storage,
    places: {
      location: { href },
      storage: { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => void storage.set(k, v) },
      history: { state: null, replaceState: (_s: unknown, _t: string, url?: string | null) => void replaced.push(String(url)) },
    },
  };
}

describe("the page's token", () => {
  it('moves from the first address into sessionStorage and out of the address bar, keeping the route', () => {
    const p = places('http://127.0.0.1:4100/?token=abc_-1&x=1#/jobs/a/b/c');
    expect(takeToken(p.places)).toBe('abc_-1');
    expect(p.storage.get('cantareira.token')).toBe('abc_-1');
    expect(p.replaced).toEqual(['/?x=1#/jobs/a/b/c']);
  });

  it('comes from sessionStorage on a reload, and a new address replaces it', () => {
    expect(takeToken(places('http://127.0.0.1:4100/#/agents', { 'cantareira.token': 'old' }).places)).toBe('old');
    const p = places('http://127.0.0.1:4100/?token=new', { 'cantareira.token': 'old' });
    expect(takeToken(p.places)).toBe('new');
    expect(p.storage.get('cantareira.token')).toBe('new');
  });

  it('is offered to the socket as a subprotocol beside ours, and not at all when there is none', () => {
    expect(socketProtocols('t0k')).toEqual(['cantareira.v1', 'cantareira.token.t0k']);
    expect(socketProtocols(null)).toEqual(['cantareira.v1']);
  });
});
