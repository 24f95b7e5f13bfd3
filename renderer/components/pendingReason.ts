import { formatMb } from './resources';

export interface PendingContext {
  /** The job's constraints as written: `slave-type: model`, `host: limit:1`. */
  constraints?: readonly string[];
  /** What one instance asks for. */
  resources?: { cpus: number; ramMb: number; diskMb: number };
}

const insufficient: Record<string, (c: PendingContext) => string> = {
  cpu: (c) => `No agent has ${c.resources ? `${c.resources.cpus} CPU` : 'enough CPU'} free`,
  ram: (c) => `No agent has ${c.resources ? formatMb(c.resources.ramMb) : 'enough memory'} of memory free`,
  disk: (c) => `No agent has ${c.resources ? formatMb(c.resources.diskMb) : 'enough disk'} of disk free`,
  ports: () => 'No agent has enough free ports',
};

/** One veto of Aurora's ("Constraint not satisfied: slave-type", "Insufficient: RAM") in plain words. */
function plainVeto(veto: string, c: PendingContext): string {
  const constraint = /^Constraint not satisfied: (.+)$/i.exec(veto);
  if (constraint) {
    const attribute = constraint[1]!.trim();
    const written = c.constraints?.find((x) => x.split(':')[0]!.trim() === attribute);
    const value = written?.slice(written.indexOf(':') + 1).trim();
    if (value && !value.startsWith('limit:') && !value.startsWith('!')) {
      return `No agent has ${attribute}=${value.split(',').join(' or ')}`;
    }
    if (value?.startsWith('limit:')) return `No agent has the ${attribute} attribute that “${written}” counts by`;
    return written ? `No agent satisfies the constraint “${written}”` : `No agent satisfies the job's ${attribute} constraint`;
  }
  const limit = /^Limit not satisfied: (.+)$/i.exec(veto);
  if (limit) {
    const attribute = limit[1]!.trim();
    const written = c.constraints?.find((x) => x.split(':')[0]!.trim() === attribute);
    return `Every agent that fits already runs its share under “${written ?? `${attribute}: limit`}”`;
  }
  const short = /^Insufficient: (.+)$/i.exec(veto);
  if (short) {
    const kind = short[1]!.trim().toLowerCase();
    return (insufficient[kind] ?? (() => `No agent has enough ${kind} free`))(c);
  }
  if (/maintenance|draining/i.test(veto)) return 'The only agents that fit are in maintenance';
  return veto;
}

/**
 * Why a task waits, in plain words, from Aurora's pending reason and the job's config:
 * "No agent has slave-type=model". Aurora joins several vetoes with commas.
 */
export function plainPendingReason(reason: string | null, c: PendingContext = {}): string {
  if (!reason) return 'Waiting for the scheduler to place it';
  const vetoes = reason
    .split(/,\s*(?=[A-Z])/)
    .map((v) => v.trim())
    .filter(Boolean);
  return vetoes.map((v) => plainVeto(v, c)).join('; ');
}

/** "Rescheduled, penalized for 45000 ms for flapping" → "Held back 45 s: it kept failing quickly". */
export function plainThrottle(message: string | null): string {
  const ms = /penalized for (\d+) ?ms/i.exec(message ?? '');
  if (ms) return `Held back ${Math.round(Number(ms[1]) / 1000)} s before it starts again: earlier attempts failed quickly (flapping)`;
  return message ?? 'Held back before it starts again: earlier attempts failed quickly (flapping)';
}
