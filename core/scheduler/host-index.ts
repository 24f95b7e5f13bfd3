/**
 * The hosts of one placement call as columns (structure of arrays), so the fit check in the
 * placement loop reads a few typed-array slots instead of chasing objects and strings.
 *
 * Scalars are kept in thousandths (milli-cpus, milli-MB), the fixed point Mesos itself uses for
 * scalar resources: integer arithmetic, so consuming a host task by task never leaves a float
 * crumb that turns an exact fit into a miss. Attribute values are interned to small ints per
 * attribute name, built only for the names some constraint reads.
 */
import type { Constraint, Resources } from '../model/job.js';

export type MaintenanceMode = 'NONE' | 'DRAINING' | 'DRAINED';

export interface FreeResources extends Resources {
  /** Free port count on the agent. */
  ports: number;
}

export interface PlacementHost {
  id: string;
  /** Mesos agent attributes, one value per name (e.g. host, rack, slave-type). */
  attributes: Readonly<Record<string, string>>;
  free: Readonly<FreeResources>;
  maintenance: MaintenanceMode;
}

/** Aurora's name for the attribute that reserves a host for the jobs that ask for it. */
export const dedicatedAttribute = 'dedicated';

export const toMilli = (x: number): number => Math.round(x * 1000);

/** One attribute name across all hosts: the interned value id per host, -1 where absent. */
export interface AttributeColumn {
  name: string;
  valueIds: Int32Array;
  ids: Map<string, number>;
}

export interface HostIndex {
  n: number;
  hosts: readonly PlacementHost[];
  cpu: Float64Array;
  ram: Float64Array;
  disk: Float64Array;
  ports: Float64Array;
  /** 0 NONE, 1 DRAINING, 2 DRAINED. */
  maintenance: Uint8Array;
  dedicated: Uint8Array;
  column(name: string): AttributeColumn;
}

const maintenanceCode: Record<MaintenanceMode, number> = { NONE: 0, DRAINING: 1, DRAINED: 2 };

export function ownValue<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  // Guards against names like "constructor" reading Object.prototype.
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** A NaN amount (an agent that never reported one) counts as none: NaN would pass every `<` check. */
const amount = (x: number): number => (Number.isNaN(x) ? 0 : x);

export function buildHostIndex(hosts: readonly PlacementHost[]): HostIndex {
  const n = hosts.length;
  const cpu = new Float64Array(n);
  const ram = new Float64Array(n);
  const disk = new Float64Array(n);
  const ports = new Float64Array(n);
  const maintenance = new Uint8Array(n);
  const dedicated = new Uint8Array(n);
  for (let h = 0; h < n; h++) {
    const host = hosts[h]!;
    cpu[h] = amount(toMilli(host.free.cpus));
    ram[h] = amount(toMilli(host.free.ramMb));
    disk[h] = amount(toMilli(host.free.diskMb));
    ports[h] = amount(Math.floor(host.free.ports));
    maintenance[h] = maintenanceCode[host.maintenance];
    dedicated[h] = Object.hasOwn(host.attributes, dedicatedAttribute) ? 1 : 0;
  }
  const columns = new Map<string, AttributeColumn>();
  const column = (name: string): AttributeColumn => {
    let col = columns.get(name);
    if (col) return col;
    const valueIds = new Int32Array(n).fill(-1);
    const ids = new Map<string, number>();
    for (let h = 0; h < n; h++) {
      const v = ownValue(hosts[h]!.attributes, name);
      if (v === undefined) continue;
      let id = ids.get(v);
      if (id === undefined) ids.set(v, (id = ids.size));
      valueIds[h] = id;
    }
    col = { name, valueIds, ids };
    columns.set(name, col);
    return col;
  };
  return { n, hosts, cpu, ram, disk, ports, maintenance, dedicated, column };
}

export interface CompiledValueConstraint {
  name: string;
  column: AttributeColumn;
  /** Per value id of the column: 1 if the constraint lists it. */
  listed: Uint8Array;
  negated: boolean;
}

export interface CompiledLimitConstraint {
  name: string;
  column: AttributeColumn;
  limit: number;
}

/** A group's constraints against one index, in Aurora's check order: value constraints first. */
export interface CompiledConstraints {
  /** The task asks for a dedicated host, so dedicated hosts are open to it. */
  dedicated: boolean;
  values: CompiledValueConstraint[];
  limits: CompiledLimitConstraint[];
  /** Groups with the same key pass the same hosts in the static checks. */
  staticKey: string;
}

export function compileConstraints(index: HostIndex, constraints: readonly Constraint[]): CompiledConstraints {
  const values: CompiledValueConstraint[] = [];
  const limits: CompiledLimitConstraint[] = [];
  const keyParts: unknown[] = [];
  let dedicated = false;
  for (const c of constraints) {
    if (c.name === dedicatedAttribute) dedicated = true;
    const column = index.column(c.name);
    if (c.kind === 'value') {
      const listed = new Uint8Array(column.ids.size);
      const listedIds: number[] = [];
      for (const v of c.values) {
        const id = column.ids.get(v);
        if (id !== undefined && listed[id] === 0) {
          listed[id] = 1;
          listedIds.push(id);
        }
      }
      values.push({ name: c.name, column, listed, negated: c.negated });
      keyParts.push([c.name, c.negated, listedIds.sort((a, b) => a - b)]);
    } else {
      limits.push({ name: c.name, column, limit: c.limit });
    }
  }
  // A limit on an attribute the host lacks is a static veto, so limit names are part of the key.
  const staticKey = JSON.stringify([dedicated, keyParts, limits.map((l) => l.name)]);
  return { dedicated, values, limits, staticKey };
}

export function valueConstraintHolds(c: CompiledValueConstraint, h: number): boolean {
  const id = c.column.valueIds[h]!;
  const match = id >= 0 && c.listed[id] === 1;
  return match !== c.negated;
}

/**
 * The hosts, in index order, that pass every check that cannot change during a placement call:
 * dedicated, maintenance, value constraints, and presence of each limit attribute.
 */
export function staticCandidates(index: HostIndex, cc: CompiledConstraints): Int32Array {
  const out = new Int32Array(index.n);
  let k = 0;
  next: for (let h = 0; h < index.n; h++) {
    if (index.maintenance[h] !== 0) continue;
    if (index.dedicated[h] === 1 && !cc.dedicated) continue;
    for (const v of cc.values) if (!valueConstraintHolds(v, h)) continue next;
    for (const l of cc.limits) if (l.column.valueIds[h]! < 0) continue next;
    out[k++] = h;
  }
  return out.subarray(0, k);
}
