/**
 * Properties of placeTasks over many seeded random clusters: it never over-commits a host or
 * breaks a constraint, accounts for every task, and places exactly what the naive first fit of
 * test/bench/naive-placement.ts places — so never fewer. And the fast veto scoring behind the
 * nearest fit agrees with the veto lists it reports.
 */
import { describe, expect, it } from 'vitest';
import type { Constraint } from '../../../core/model/job.js';
import {
  executorOverhead,
  placeTasks,
  type MaintenanceMode,
  type PlacementGroup,
  type PlacementHost,
  type PlacementResult,
} from '../../../core/scheduler/placement.js';
import { buildHostIndex, compileConstraints, staticCandidates, toMilli } from '../../../core/scheduler/host-index.js';
import { nearestFit, vetoesAt, vetoScoreAt, type CompiledRequest } from '../../../core/scheduler/vetoes.js';
import { naiveFirstFit, naiveFirstFitSoA } from '../../bench/naive-placement.js';
import { seeded } from '../../fixtures/tasks.js';

const pools = ['mesos-fixed', 'mesos-on-demand', 'mesos-spot', 'model'];
const racks = ['r1', 'r2', 'r3'];

function cluster(seed: number): { hosts: PlacementHost[]; groups: PlacementGroup[] } {
  const rand = seeded(seed);
  const int = (n: number) => Math.floor(rand() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const hosts: PlacementHost[] = Array.from({ length: 1 + int(25) }, (_, i) => {
    const attributes: Record<string, string> = { host: `h${i}`, 'slave-type': pick(pools) };
    if (rand() < 0.8) attributes.rack = pick(racks);
    if (rand() < 0.05) attributes.dedicated = 'ml/gpu';
    return {
      id: `agent-${i}`,
      attributes,
      // Quarter cpus and whole MB, so the float baseline is exact too.
      free: { cpus: int(33) / 4, ramMb: int(16_384), diskMb: int(20_000), ports: int(12) },
      maintenance: pick<MaintenanceMode>(['NONE', 'NONE', 'NONE', 'NONE', 'NONE', 'DRAINING', 'DRAINED']),
    };
  });
  const jobs = Array.from({ length: 1 + int(5) }, (_, j) => ({
    jobKey: `role/prod/job${j}`,
    activeCounts: { host: { [`h${int(hosts.length)}`]: int(3) }, rack: { [pick(racks)]: int(4) } },
  }));
  const constraint = (): Constraint => {
    const r = rand();
    if (r < 0.3) return { kind: 'value', name: 'slave-type', negated: rand() < 0.3, values: [pick(pools), pick(pools)] };
    if (r < 0.4) return { kind: 'value', name: 'dedicated', negated: false, values: ['ml/gpu'] };
    if (r < 0.5) return { kind: 'value', name: 'rack', negated: false, values: [pick(racks)] };
    return { kind: 'limit', name: pick(['host', 'rack']), limit: 1 + int(3) };
  };
  const groups: PlacementGroup[] = Array.from({ length: 1 + int(12) }, (_, g) => {
    const job = pick(jobs);
    return {
      key: `g${g}`,
      ...job,
      taskIds: Array.from({ length: int(15) }, (_, t) => `g${g}-${t}`),
      resources: { cpus: int(9) / 4, ramMb: int(4096), diskMb: int(4000) },
      ports: int(3),
      constraints: Array.from({ length: int(3) }, constraint),
    };
  });
  return { hosts, groups };
}

function checkInvariants(hosts: PlacementHost[], groups: PlacementGroup[], result: PlacementResult): void {
  const byId = new Map(hosts.map((h) => [h.id, h]));
  const used = new Map(hosts.map((h) => [h.id, { cpus: 0, ramMb: 0, diskMb: 0, ports: 0 }]));
  for (const g of groups) {
    const pending = result.pending.find((p) => p.key === g.key);
    for (const taskId of g.taskIds) {
      const hostId = result.assignments.get(taskId);
      // Every task is either placed or pending, never both, never neither.
      expect(hostId === undefined, taskId).toBe(pending?.taskIds.includes(taskId) ?? false);
      if (hostId === undefined) continue;
      const h = byId.get(hostId)!;
      const u = used.get(hostId)!;
      u.cpus += g.resources.cpus + executorOverhead.cpus;
      u.ramMb += g.resources.ramMb + executorOverhead.ramMb;
      u.diskMb += g.resources.diskMb + executorOverhead.diskMb;
      u.ports += g.ports;
      expect(h.maintenance).toBe('NONE');
      if ('dedicated' in h.attributes) expect(g.constraints.some((c) => c.name === 'dedicated')).toBe(true);
      for (const c of g.constraints) {
        const v = h.attributes[c.name];
        if (c.kind === 'value') expect(v !== undefined && c.values.includes(v), `${taskId} ${c.name}`).toBe(!c.negated);
        else expect(v).toBeDefined();
      }
    }
    if (pending) expect(pending.reason, g.key).not.toBe('');
  }
  for (const h of hosts) {
    const u = used.get(h.id)!;
    expect(u.cpus).toBeLessThanOrEqual(h.free.cpus);
    expect(u.ramMb).toBeLessThanOrEqual(h.free.ramMb);
    expect(u.diskMb).toBeLessThanOrEqual(h.free.diskMb);
    expect(u.ports).toBeLessThanOrEqual(h.free.ports);
  }
  // Replayed in placement order, every task of a limited group found its job under the limit.
  const groupOf = new Map(groups.flatMap((g) => g.taskIds.map((t) => [t, g] as const)));
  const counts = new Map<string, number>(); // "job attr=value" → active tasks so far
  const count = (g: PlacementGroup, name: string, v: string) => counts.get(`${g.jobKey} ${name}=${v}`) ?? g.activeCounts[name]?.[v] ?? 0;
  for (const [taskId, hostId] of result.assignments) {
    const g = groupOf.get(taskId)!;
    const attrs = byId.get(hostId)!.attributes;
    for (const c of g.constraints) {
      if (c.kind === 'limit') expect(count(g, c.name, attrs[c.name]!), `${taskId} ${c.name}`).toBeLessThan(c.limit);
    }
    for (const name of ['host', 'rack']) {
      const v = attrs[name];
      if (v !== undefined) counts.set(`${g.jobKey} ${name}=${v}`, count(g, name, v) + 1);
    }
  }
}

describe('placeTasks over random clusters', () => {
  const seeds = Array.from({ length: 200 }, (_, i) => i + 1);

  it('never over-commits a host or breaks a constraint, and accounts for every task', () => {
    for (const seed of seeds) {
      const { hosts, groups } = cluster(seed);
      checkInvariants(hosts, groups, placeTasks(hosts, groups));
      checkInvariants(hosts, groups, placeTasks(hosts, groups, { random: seeded(seed) }));
    }
  });

  it('places exactly the tasks naive first fit places, on the same hosts', () => {
    for (const seed of seeds) {
      const { hosts, groups } = cluster(seed);
      const ours = placeTasks(hosts, groups).assignments;
      expect(ours, `seed ${seed}`).toEqual(naiveFirstFit(hosts, groups).assignments);
      expect(ours, `seed ${seed}`).toEqual(naiveFirstFitSoA(hosts, groups).assignments);
    }
  });

  it('gives the same result for the same input and seed', () => {
    for (const seed of seeds.slice(0, 50)) {
      const { hosts, groups } = cluster(seed);
      expect(placeTasks(hosts, groups, { random: seeded(9) })).toEqual(placeTasks(hosts, groups, { random: seeded(9) }));
    }
  });

  it('scores each host as the sum of its vetoes, and the nearest fit is the first host with the lowest, preferring one that passes the static checks', () => {
    for (const seed of seeds.slice(0, 100)) {
      const { hosts, groups } = cluster(seed);
      const index = buildHostIndex(hosts);
      for (const g of groups) {
        const constraints = compileConstraints(index, g.constraints);
        const req: CompiledRequest = {
          cpu: toMilli(g.resources.cpus + executorOverhead.cpus),
          ram: toMilli(g.resources.ramMb + executorOverhead.ramMb),
          disk: toMilli(g.resources.diskMb),
          ports: g.ports,
          constraints,
          limitCounts: constraints.limits.map((l) => {
            const counts = new Int32Array(l.column.ids.size);
            for (const [value, id] of l.column.ids) counts[id] = g.activeCounts[l.name]?.[value] ?? 0;
            return counts;
          }),
        };
        // The first host with the lowest score, a host passing the static checks winning a tie.
        const candidates = new Set(staticCandidates(index, constraints));
        let best: { score: number; h: number; candidate: boolean } | null = null;
        for (let h = 0; h < index.n; h++) {
          const vetoes = vetoesAt(index, h, req);
          const total = vetoes.length === 0 ? -1 : vetoes.reduce((n, v) => n + v.score, 0);
          expect(vetoScoreAt(index, h, req), `seed ${seed} ${g.key} host ${h}`).toBe(total);
          const candidate = candidates.has(h);
          if (total < 0 || (best !== null && (total > best.score || (total === best.score && (best.candidate || !candidate))))) continue;
          best = { score: total, h, candidate };
        }
        const expected = best === null ? [] : vetoesAt(index, best.h, req);
        expect(nearestFit(index, staticCandidates(index, constraints), req), `seed ${seed} ${g.key}`).toEqual(expected);
      }
    }
  });
});
