import type { Profile } from '../../../core/contract';

export const profileKindLabel: Record<Profile['kind'], string> = {
  embedded: 'embedded cluster',
  mesos: 'Mesos cluster',
};

/** "4 pools: mesos-fixed (fixed), mesos-on-demand (on-demand), …" */
export function poolsText(p: Pick<Profile, 'pools'>): string {
  if (p.pools.length === 0) return 'no pools';
  return p.pools.map((pool) => `${pool.name} (${pool.kind})`).join(', ');
}

/** Where the profile's machines come from: an AWS account (as whom, where), or this computer. */
export function machinesText(p: Pick<Profile, 'kind' | 'aws'>): string {
  if (p.kind === 'embedded') return 'local machines';
  if (p.aws === null) return 'no AWS account';
  const where = p.aws.region ?? "the AWS profile's region";
  const who = p.aws.profile ? `AWS profile ${p.aws.profile}` : 'default credentials';
  return `AWS ${where} · ${who}`;
}

/** A free name for a copy: `<name>-copy`, then `-copy-2`, `-copy-3` … */
export function copyName(name: string, taken: readonly string[]): string {
  const base = `${name}-copy`.slice(0, 63);
  if (!taken.includes(base)) return base;
  for (let n = 2; ; n++) {
    const next = `${name.slice(0, 63 - `-copy-${n}`.length)}-copy-${n}`;
    if (!taken.includes(next)) return next;
  }
}
