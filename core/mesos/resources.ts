import type { MesosResources } from './types.js';

/**
 * Resources and attributes in both of Mesos' JSON forms (reference/mesos.md §6):
 * v0 `/master/state` writes a "summary object" (`{"cpus":16.0,"mem":63000.0,"ports":"[31000-32000]"}`)
 * and attributes as `{name: value}`; v1 writes arrays of Resource / Attribute messages
 * (`{name, type, scalar:{value} | ranges:{range:[{begin,end}]} | set:{item:[]}}`).
 * Both come out the same: numbers summed per name, ranges and sets as v0 prints them.
 */

export const noResources = (): MesosResources => ({ cpus: 0, memMb: 0, diskMb: 0, gpus: 0, ports: '' });

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** A v0 summary resource object. Revocable resources (`cpus_revocable`) are not counted. */
export function resourcesOfSummary(value: unknown): MesosResources {
  if (value === null || typeof value !== 'object') return noResources();
  const o = value as Record<string, unknown>;
  return {
    cpus: num(o.cpus),
    memMb: num(o.mem),
    diskMb: num(o.disk),
    gpus: num(o.gpus),
    ports: typeof o.ports === 'string' ? o.ports : '',
  };
}

interface V1Range {
  begin?: unknown;
  end?: unknown;
}

interface V1Value {
  name?: unknown;
  type?: unknown;
  scalar?: { value?: unknown };
  ranges?: { range?: V1Range[] };
  set?: { item?: unknown[] };
  text?: { value?: unknown };
  revocable?: unknown;
}

/** v1 Resource messages, summed by name (one name can come once per role or reservation). */
export function resourcesOfList(list: unknown): MesosResources {
  const r = noResources();
  if (!Array.isArray(list)) return r;
  let ports: [number, number][] | null = null;
  for (const item of list as V1Value[]) {
    if (item === null || typeof item !== 'object' || item.revocable !== undefined) continue;
    switch (item.name) {
      case 'cpus':
        r.cpus += num(item.scalar?.value);
        break;
      case 'mem':
        r.memMb += num(item.scalar?.value);
        break;
      case 'disk':
        r.diskMb += num(item.scalar?.value);
        break;
      case 'gpus':
        r.gpus += num(item.scalar?.value);
        break;
      case 'ports':
        for (const range of item.ranges?.range ?? []) (ports ??= []).push([num(range.begin), num(range.end)]);
        break;
    }
  }
  // Sums of decimals drift (0.1 + 0.2); Mesos keeps scalars to 3 decimals.
  r.cpus = round3(r.cpus);
  r.memMb = round3(r.memMb);
  r.diskMb = round3(r.diskMb);
  r.gpus = round3(r.gpus);
  if (ports) r.ports = formatRanges(ports);
  return r;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** `[a-b, c-d]`, sorted and with overlapping or adjacent ranges joined, as Mesos coalesces them. */
export function formatRanges(ranges: [number, number][]): string {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [b, e] of sorted) {
    const last = merged[merged.length - 1];
    if (last && b <= last[1] + 1) last[1] = Math.max(last[1], e);
    else merged.push([b, e]);
  }
  return `[${merged.map(([b, e]) => `${b}-${e}`).join(', ')}]`;
}

/** v0 attributes: text stays text, a scalar (a JSON number) becomes its decimal. */
export function attributesOfObject(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return out;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number') out[k] = String(v);
  }
  return out;
}

/** v1 Attribute messages, rendered as v0 renders them. A repeated name keeps its first value. */
export function attributesOfList(list: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(list)) return out;
  for (const a of list as V1Value[]) {
    if (a === null || typeof a !== 'object' || typeof a.name !== 'string' || a.name in out) continue;
    const text = attributeText(a);
    if (text !== null) out[a.name] = text;
  }
  return out;
}

function attributeText(a: V1Value): string | null {
  switch (a.type) {
    case 'TEXT':
      return typeof a.text?.value === 'string' ? a.text.value : null;
    case 'SCALAR':
      return typeof a.scalar?.value === 'number' ? String(a.scalar.value) : null;
    case 'RANGES':
      // Attributes are not coalesced by Mesos: print them in the order given.
      return `[${(a.ranges?.range ?? []).map((r) => `${num(r.begin)}-${num(r.end)}`).join(', ')}]`;
    case 'SET':
      return `{${(a.set?.item ?? []).map(String).join(', ')}}`;
    default:
      return null;
  }
}
