import { profileDraft, type PoolKind, type Profile, type ProfileDraft } from '../../../core/contract';
import { ApiError } from '../../api/errors';

/**
 * A profile as the editor holds it: every field as the text in its box, so a half-typed number
 * or list is kept as typed. `toDraft` turns it into what `profiles.save` takes, leaving out the
 * optional fields that are empty (the host fills in their defaults).
 */
export interface PoolForm {
  /** Stable key of the row while pools are added and removed. */
  key: string;
  name: string;
  kind: PoolKind;
  instanceTypes: string;
  count: string;
  namePrefix: string;
  autoScalingGroup: string;
  launchTemplate: string;
  subnetIds: string;
  maxCount: string;
}

export type ProfileKind = ProfileDraft['kind'];

export interface ProfileForm {
  name: string;
  kind: ProfileKind;
  /** A Mesos cluster scales through an AWS account; off: it has none (aws null). */
  useAws: boolean;
  awsProfile: string;
  region: string;
  endpoint: string;
  /** Mesos master URLs, comma separated (a Mesos cluster). */
  masters: string;
  /** Thermos observer port on the agents; empty: 1338. */
  observerPort: string;
  /** The Aurora scheduler URL; empty: no Aurora. */
  aurora: string;
  /** Read Aurora credentials from ~/.netrc (as the Aurora CLI does). */
  auroraNetrc: boolean;
  /** Start of the instances' Name tag; empty: `<profile name>-`. */
  namePrefix: string;
  pools: PoolForm[];
}

let rows = 0;
const rowKey = () => `pool-${++rows}`;

export function emptyPool(): PoolForm {
  return {
    key: rowKey(),
    name: '',
    kind: 'on-demand',
    instanceTypes: '',
    count: '0',
    namePrefix: '',
    autoScalingGroup: '',
    launchTemplate: '',
    subnetIds: '',
    maxCount: '',
  };
}

export function newProfileForm(): ProfileForm {
  return {
    name: '',
    kind: 'mesos',
    useAws: true,
    awsProfile: '',
    region: '',
    endpoint: '',
    masters: '',
    observerPort: '',
    aurora: '',
    auroraNetrc: true,
    namePrefix: '',
    pools: [],
  };
}

/** The editor's form for a saved profile (to edit it, or to save a copy under `name`). */
export function formOfProfile(
  p: Pick<Profile, 'name' | 'kind' | 'pools' | 'aws' | 'mesos'> & { aurora?: Profile['aurora'] },
  name = p.name,
): ProfileForm {
  return {
    name,
    kind: p.kind,
    useAws: p.kind === 'mesos' && p.aws !== null,
    awsProfile: p.aws?.profile ?? '',
    region: p.aws?.region ?? '',
    endpoint: p.aws?.endpoint ?? '',
    masters: (p.mesos?.masters ?? []).join(', '),
    observerPort: p.mesos?.observerPort === undefined ? '' : String(p.mesos.observerPort),
    aurora: p.aurora?.url ?? '',
    auroraNetrc: (p.aurora?.credentials ?? 'netrc') === 'netrc',
    namePrefix: p.aws?.namePrefix ?? '',
    pools: p.pools.map((pool) => ({
      key: rowKey(),
      name: pool.name,
      kind: pool.kind,
      instanceTypes: pool.instanceTypes.join(', '),
      count: String(pool.count),
      namePrefix: pool.namePrefix ?? '',
      autoScalingGroup: pool.autoScalingGroup ?? '',
      launchTemplate: pool.launchTemplate ?? '',
      subnetIds: (pool.subnetIds ?? []).join(', '),
      maxCount: pool.maxCount === undefined ? '' : String(pool.maxCount),
    })),
  };
}

const list = (text: string) =>
  text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
/** A whole number as a number; anything else stays text, and the schema names the field. */
const whole = (text: string): number | string => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : text.trim());
const optional = <K extends string>(key: K, value: unknown): { [P in K]?: unknown } =>
  value === '' || (Array.isArray(value) && value.length === 0) ? {} : ({ [key]: value } as { [P in K]: unknown });

/** The draft as JSON would hold it: not yet checked, so a wrong field reaches the schema as typed. */
export function toDraft(form: ProfileForm): Record<string, unknown> {
  const aws =
    form.kind === 'embedded' || !form.useAws
      ? null
      : {
          ...optional('profile', form.awsProfile.trim()),
          ...optional('region', form.region.trim()),
          ...optional('endpoint', form.endpoint.trim()),
          ...optional('namePrefix', form.namePrefix.trim()),
        };
  return {
    name: form.name.trim(),
    kind: form.kind,
    pools: form.pools.map((p) => ({
      name: p.name.trim(),
      kind: p.kind,
      instanceTypes: list(p.instanceTypes),
      count: p.count.trim() === '' ? 0 : whole(p.count),
      ...optional('namePrefix', p.namePrefix.trim()),
      ...optional('autoScalingGroup', p.autoScalingGroup.trim()),
      ...optional('launchTemplate', p.launchTemplate.trim()),
      ...optional('subnetIds', list(p.subnetIds)),
      ...optional('maxCount', p.maxCount.trim() === '' ? '' : whole(p.maxCount)),
    })),
    aws,
    mesos:
      form.kind === 'mesos' && list(form.masters).length > 0
        ? { masters: list(form.masters), ...optional('observerPort', form.observerPort.trim() === '' ? '' : whole(form.observerPort)) }
        : null,
    aurora:
      form.kind === 'mesos' && form.aurora.trim() !== ''
        ? { url: form.aurora.trim(), ...(form.auroraNetrc ? {} : { credentials: 'none' }) }
        : null,
  };
}

/** `pools[1].kind`, as the host names the fields of a profile file. */
function fieldPath(path: readonly PropertyKey[]): string {
  return (
    path.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)), '') ||
    '(the profile)'
  );
}

/**
 * Checks a draft against the contract's schema, as the host will: the draft ready to send, or
 * every problem with its field. What only the host can judge (compatible spot types, a name
 * already taken) it still reports when saving.
 */
export function checkDraft(raw: unknown): { draft: ProfileDraft; problems?: undefined } | { draft?: undefined; problems: string[] } {
  const parsed = profileDraft.safeParse(raw);
  if (parsed.success) return { draft: parsed.data };
  return { problems: parsed.error.issues.map((i) => `${fieldPath(i.path)}: ${i.message}`) };
}

export function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** Problems found before sending, in the words and shape the host answers with (PROFILE_INVALID). */
export function invalidDraft(problems: readonly string[]): ApiError {
  const n = problems.length;
  return new ApiError({
    code: 'PROFILE_INVALID',
    message: `The profile has ${n} problem${n === 1 ? '' : 's'}: ${problems[0] ?? ''}${n > 1 ? ' …' : ''}`,
    hint: 'Fix the fields listed; nothing was saved.',
    details: [...problems],
  });
}

/** The fields a list of problems names (`pools[0].count`, `aws.region`), to mark them in the form. */
export function fieldsNamed(details: readonly string[]): ReadonlySet<string> {
  return new Set(details.flatMap((d) => /^([A-Za-z]+(?:\[\d+\])?(?:\.[A-Za-z]+)*)(?:\[\d+\])?: /.exec(d)?.[1] ?? []));
}
