import type { MesosResources, MesosTask } from '../mesos/types.js';

/**
 * Makes a state's tasks cheaper to keep, in place: a state parsed from JSON (in slices, from the
 * worker) holds its own copy of every string and object, so the 100,000 tasks of a big cluster
 * carry 100,000 copies of the same framework id, of each agent's id (twice: the task's and its
 * sandbox's), of each job's name, of the same labels and of the same few resource shapes. Here
 * each distinct value is kept once and shared (the objects are never mutated after: events
 * replace a task, they do not change it).
 */
export class Compactor {
  private readonly strings = new Map<string, string>();
  private readonly labels = new Map<string, Record<string, string>>();
  private readonly resources = new Map<string, MesosResources>();

  text<T extends string | null>(s: T): T {
    if (s === null) return s;
    const known = this.strings.get(s);
    if (known !== undefined) return known as T;
    this.strings.set(s, s);
    return s;
  }

  task(t: MesosTask): void {
    t.frameworkId = this.text(t.frameworkId);
    t.agentId = this.text(t.agentId);
    t.name = this.text(t.name);
    t.role = this.text(t.role);
    t.user = this.text(t.user);
    t.sandbox.agentId = t.agentId;
    t.sandbox.frameworkId = t.frameworkId;
    const r = t.resources;
    const rk = `${r.cpus}|${r.memMb}|${r.diskMb}|${r.gpus}|${r.ports}`;
    const rs = this.resources.get(rk);
    if (rs) t.resources = rs;
    else this.resources.set(rk, r);
    const keys = Object.keys(t.labels);
    if (keys.length === 0) t.labels = noLabels;
    else {
      const lk = keys.map((k) => `${k}\u0000${t.labels[k]}`).join('\u0001');
      const ls = this.labels.get(lk);
      if (ls) t.labels = ls;
      else this.labels.set(lk, t.labels);
    }
    for (const s of t.statuses) {
      s.reason = this.text(s.reason);
      s.source = this.text(s.source);
    }
  }
}

const noLabels: Record<string, string> = Object.freeze({}) as Record<string, string>;
