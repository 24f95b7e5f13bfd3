/**
 * Reading parsed JSON whose shape is not trusted. Required fields (ids, the lists themselves)
 * fail with the path of what is wrong; everything else falls back to a neutral value, because a
 * newer Mesos may omit or add fields and the screens should still show what is there.
 */

export type Json = Record<string, unknown>;

export class ShapeError extends Error {
  readonly path: string;
  constructor(path: string, what: string) {
    super(`${path} ${what}`);
    this.name = 'ShapeError';
    this.path = path;
  }
}

export const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

export function object(v: unknown, path: string): Json {
  if (!isObject(v)) throw new ShapeError(path, v === undefined ? 'is missing' : 'is not an object');
  return v;
}

/** A list that must be there (or, with `optional`, may be absent: then empty). */
export function list(v: unknown, path: string, optional = false): unknown[] {
  if (Array.isArray(v)) return v;
  if (v === undefined && optional) return [];
  throw new ShapeError(path, v === undefined ? 'is missing' : 'is not a list');
}

export function requiredString(v: unknown, path: string): string {
  if (typeof v === 'string' && v !== '') return v;
  throw new ShapeError(path, v === undefined ? 'is missing' : v === '' ? 'is empty' : 'is not a string');
}

/** `{"value": "..."}`, the v1 form of every id. */
export function requiredId(v: unknown, path: string): string {
  if (isObject(v)) return requiredString(v.value, `${path}.value`);
  throw new ShapeError(path, v === undefined ? 'is missing' : 'is not an id ({"value": ...})');
}

export const optionalId = (v: unknown): string | null => (isObject(v) && typeof v.value === 'string' && v.value !== '' ? v.value : null);

export const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export const bool = (v: unknown): boolean => v === true;

export const int = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isInteger(v) ? v : fallback);

/** Labels as `[{key, value}]` (v0) or `{labels: [{key, value}]}` (v1). */
export function labels(v: unknown): Record<string, string> {
  const items = Array.isArray(v) ? v : isObject(v) && Array.isArray(v.labels) ? v.labels : null;
  const out: Record<string, string> = {};
  if (items === null) return out;
  for (const l of items) {
    if (isObject(l) && typeof l.key === 'string') out[l.key] = typeof l.value === 'string' ? l.value : '';
  }
  return out;
}
