/**
 * The baselines core/scheduler/placement.ts is measured against (performance.md C1), and the
 * oracle its tests compare with: first fit written the obvious way. For every task, scan the
 * hosts from the first and take the first that passes every check, re-evaluating every
 * constraint and resource each time.
 *
 * - naiveFirstFit: plain objects and strings, as one would first write it.
 * - naiveFirstFitSoA: the same scan over typed arrays with interned attribute values, so the
 *   comparison with ours is about the algorithm, not the data layout.
 *
 * Both use the same semantics as ours (Aurora's filter, executor overhead, limit counts per job
 * updated as tasks are placed) but plain float arithmetic: inputs in quarter cpus and whole MB
 * keep that exact.
 */
import type { PlacementGroup, PlacementHost } from '../../core/scheduler/placement.js';
import { executorOverhead } from '../../core/scheduler/placement.js';

export interface NaiveResult {
  assignments: Map<string, string>;
}

const attr = (h: PlacementHost, name: string): string | undefined => (Object.hasOwn(h.attributes, name) ? h.attributes[name] : undefined);

export function naiveFirstFit(hosts: readonly PlacementHost[], groups: readonly PlacementGroup[]): NaiveResult {
  const free = hosts.map((h) => ({ ...h.free }));
  // job → "attr\0value" → active tasks, for every attribute of the hosts the job's tasks are on.
  const counts = new Map<string, Map<string, number>>();
  for (const g of groups) {
    if (counts.has(g.jobKey)) continue;
    const m = new Map<string, number>();
    for (const [name, byValue] of Object.entries(g.activeCounts)) {
      for (const [value, n] of Object.entries(byValue)) m.set(`${name}\0${value}`, n);
    }
    counts.set(g.jobKey, m);
  }
  const assignments = new Map<string, string>();
  for (const g of groups) {
    const cpus = g.resources.cpus + executorOverhead.cpus;
    const ramMb = g.resources.ramMb + executorOverhead.ramMb;
    const diskMb = g.resources.diskMb + executorOverhead.diskMb;
    const dedicatedJob = g.constraints.some((c) => c.name === 'dedicated');
    const jobCounts = counts.get(g.jobKey)!;
    for (const taskId of g.taskIds) {
      for (let i = 0; i < hosts.length; i++) {
        const host = hosts[i]!;
        const f = free[i]!;
        if (attr(host, 'dedicated') !== undefined && !dedicatedJob) continue;
        if (host.maintenance !== 'NONE') continue;
        let ok = true;
        for (const c of g.constraints) {
          const v = attr(host, c.name);
          if (c.kind === 'value') {
            const match = v !== undefined && c.values.includes(v);
            if (match === c.negated) ok = false;
          } else if (v === undefined || (jobCounts.get(`${c.name}\0${v}`) ?? 0) >= c.limit) {
            ok = false;
          }
          if (!ok) break;
        }
        if (!ok) continue;
        if (f.cpus < cpus || f.ramMb < ramMb || f.diskMb < diskMb || f.ports < g.ports) continue;
        f.cpus -= cpus;
        f.ramMb -= ramMb;
        f.diskMb -= diskMb;
        f.ports -= g.ports;
        for (const [name, value] of Object.entries(host.attributes)) {
          const key = `${name}\0${value}`;
          jobCounts.set(key, (jobCounts.get(key) ?? 0) + 1);
        }
        assignments.set(taskId, host.id);
        break;
      }
    }
  }
  return { assignments };
}

export function naiveFirstFitSoA(hosts: readonly PlacementHost[], groups: readonly PlacementGroup[]): NaiveResult {
  const n = hosts.length;
  const cpu = Float64Array.from(hosts, (h) => h.free.cpus);
  const ram = Float64Array.from(hosts, (h) => h.free.ramMb);
  const disk = Float64Array.from(hosts, (h) => h.free.diskMb);
  const ports = Float64Array.from(hosts, (h) => h.free.ports);
  const usable = Uint8Array.from(hosts, (h) => (h.maintenance === 'NONE' ? 1 : 0));
  const dedicated = Uint8Array.from(hosts, (h) => (attr(h, 'dedicated') !== undefined ? 1 : 0));
  // Interned values per attribute name: column[name][host] = value id, -1 if absent.
  const ids = new Map<string, Map<string, number>>();
  const columns = new Map<string, Int32Array>();
  const column = (name: string): Int32Array => {
    let col = columns.get(name);
    if (col) return col;
    const dict = new Map<string, number>();
    col = Int32Array.from(hosts, (h) => {
      const v = attr(h, name);
      if (v === undefined) return -1;
      if (!dict.has(v)) dict.set(v, dict.size);
      return dict.get(v)!;
    });
    ids.set(name, dict);
    columns.set(name, col);
    return col;
  };
  // job → attr → count per value id.
  const counts = new Map<string, Map<string, Int32Array>>();
  const jobCounts = (g: PlacementGroup, name: string): Int32Array => {
    let job = counts.get(g.jobKey);
    if (!job) counts.set(g.jobKey, (job = new Map()));
    let c = job.get(name);
    if (!c) {
      column(name); // builds ids for the name
      c = new Int32Array(ids.get(name)!.size);
      const first = groups.find((x) => x.jobKey === g.jobKey)!;
      const active = Object.hasOwn(first.activeCounts, name) ? first.activeCounts[name]! : {};
      for (const [value, id] of ids.get(name)!) c[id] = Object.hasOwn(active, value) ? active[value]! : 0;
      job.set(name, c);
    }
    return c;
  };
  for (const g of groups) for (const c of g.constraints) if (c.kind === 'limit') jobCounts(g, c.name);

  const assignments = new Map<string, string>();
  for (const g of groups) {
    const rc = g.resources.cpus + executorOverhead.cpus;
    const rr = g.resources.ramMb + executorOverhead.ramMb;
    const rd = g.resources.diskMb + executorOverhead.diskMb;
    const rp = g.ports;
    const dedicatedJob = g.constraints.some((c) => c.name === 'dedicated');
    const values = g.constraints.flatMap((c) =>
      c.kind === 'value'
        ? [{ col: column(c.name), listed: new Set(c.values.map((v) => ids.get(c.name)!.get(v) ?? -2)), negated: c.negated }]
        : [],
    );
    const limits = g.constraints.flatMap((c) =>
      c.kind === 'limit' ? [{ col: column(c.name), counts: jobCounts(g, c.name), limit: c.limit }] : [],
    );
    const tracked = [...(counts.get(g.jobKey)?.entries() ?? [])].map(([name, c]) => ({ col: column(name), counts: c }));
    for (const taskId of g.taskIds) {
      scan: for (let h = 0; h < n; h++) {
        if (usable[h] === 0 || (dedicated[h] === 1 && !dedicatedJob)) continue;
        if (cpu[h]! < rc || ram[h]! < rr || disk[h]! < rd || ports[h]! < rp) continue;
        for (const v of values) if (v.listed.has(v.col[h]!) === v.negated) continue scan;
        for (const l of limits) {
          const id = l.col[h]!;
          if (id < 0 || l.counts[id]! >= l.limit) continue scan;
        }
        cpu[h] = cpu[h]! - rc;
        ram[h] = ram[h]! - rr;
        disk[h] = disk[h]! - rd;
        ports[h] = ports[h]! - rp;
        for (const t of tracked) {
          const id = t.col[h]!;
          if (id >= 0) t.counts[id] = t.counts[id]! + 1;
        }
        assignments.set(taskId, hosts[h]!.id);
        break;
      }
    }
  }
  return { assignments };
}
