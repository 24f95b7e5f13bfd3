/**
 * Which instance types may share one spot group. Mesos agents advertise their CPUs and memory
 * as resources, and the scheduler places a run's tasks assuming every agent of the group is the
 * same shape; the AMI must also match the CPU architecture. So the types of a group must agree
 * on series, generation, size and architecture, and may differ only in options that leave the
 * shape alone (m5 + m5n + m5d + m5a .2xlarge). See shared/reference/aws.md §4.
 */

export interface SpotTypeKey {
  series: string;
  generation: number;
  size: string;
  arch: 'arm64' | 'x86_64';
}

export type Compatibility = { ok: true } | { ok: false; reason: string };

// series (one or more letters), generation, options, size; e.g. c7gn.xlarge, m7i-flex.large.
const typeName = /^([a-z]+)(\d+)([a-z0-9-]*)\.([a-z0-9-]+)$/;

export function spotTypeKey(type: string): SpotTypeKey | null {
  const m = typeName.exec(type);
  if (!m) return null;
  const [, series, generation, options, size] = m as unknown as [string, string, string, string, string];
  // The `g` option (before any `-flex` style suffix) is Graviton, i.e. arm64.
  const arch = options.split('-')[0]!.includes('g') ? 'arm64' : 'x86_64';
  return { series, generation: Number(generation), size, arch };
}

function describe(k: SpotTypeKey): string {
  return `series ${k.series}, generation ${k.generation}, size ${k.size}, ${k.arch}`;
}

/** Checks every type against the first; the reason names the first type that differs and how. */
export function compatibleInstanceTypes(types: string[]): Compatibility {
  if (types.length === 0) return { ok: false, reason: 'A spot group needs at least one instance type.' };
  const dup = types.find((t, i) => types.indexOf(t) !== i);
  if (dup !== undefined) return { ok: false, reason: `${dup} is listed twice.` };
  const first = types[0]!;
  const base = spotTypeKey(first);
  if (!base) return { ok: false, reason: `${first} is not an EC2 instance type name (e.g. m5.2xlarge).` };
  for (const type of types.slice(1)) {
    const k = spotTypeKey(type);
    if (!k) return { ok: false, reason: `${type} is not an EC2 instance type name (e.g. m5.2xlarge).` };
    const differs =
      k.series !== base.series
        ? 'series'
        : k.generation !== base.generation
          ? 'generation'
          : k.size !== base.size
            ? 'size'
            : k.arch !== base.arch
              ? 'CPU architecture'
              : null;
    if (differs !== null) {
      return {
        ok: false,
        reason: `${type} is not compatible with ${first}: different ${differs} (${describe(k)} vs ${describe(base)}).`,
      };
    }
  }
  return { ok: true };
}
