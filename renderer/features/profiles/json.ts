import { poolKind, profileKind } from '../../../core/contract';
import { emptyPool, type PoolForm, type ProfileForm } from './draft';

const profileKeys = ['name', 'kind', 'pools', 'aws', 'mesos', 'aurora'];
const awsKeys = ['profile', 'region', 'endpoint', 'namePrefix'];
const auroraKeys = ['url', 'credentials'];
const poolKeys = ['name', 'kind', 'instanceTypes', 'count', 'namePrefix', 'autoScalingGroup', 'launchTemplate', 'subnetIds', 'maxCount'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A value as the text of its box: lists joined with commas, absent as empty. */
function text(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(', ');
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}

function unknownKeys(o: Record<string, unknown>, known: readonly string[], at: string): string[] {
  return Object.keys(o)
    .filter((k) => !known.includes(k))
    .map((k) => (at ? `${at}.${k}` : k));
}

/**
 * The JSON tab's text as the form: refused (with why) only when the form could not show it
 * all, so switching tabs never drops what was typed. Wrong values are kept for the checks.
 */
export function formOfJson(source: string): { form: ProfileForm; problem?: undefined } | { form?: undefined; problem: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(source);
  } catch (e) {
    return { problem: `This is not JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (!isObject(raw)) return { problem: 'A profile is one JSON object: {"name", "kind", "pools", "mesos", "aurora", "aws"}.' };
  const kind = profileKind.safeParse(raw.kind);
  if (!kind.success) return { problem: 'kind must be "embedded" or "mesos" for the form to show it.' };
  const pools = raw.pools ?? [];
  if (!Array.isArray(pools) || !pools.every(isObject)) return { problem: 'pools must be a list of objects for the form to show them.' };
  const aws = raw.aws ?? null;
  if (aws !== null && !isObject(aws)) return { problem: 'aws must be an object or null for the form to show it.' };
  const mesos = raw.mesos ?? null;
  if (mesos !== null && !(isObject(mesos) && (mesos.masters === undefined || Array.isArray(mesos.masters)))) {
    return { problem: 'mesos must be {"masters": [...]} or null for the form to show it.' };
  }
  const aurora = raw.aurora ?? null;
  if (aurora !== null && !isObject(aurora)) return { problem: 'aurora must be {"url": "..."} or null for the form to show it.' };
  const extra = [
    ...unknownKeys(raw, profileKeys, ''),
    ...(aws ? unknownKeys(aws, awsKeys, 'aws') : []),
    ...(mesos ? unknownKeys(mesos, ['masters', 'observerPort'], 'mesos') : []),
    ...(aurora ? unknownKeys(aurora, auroraKeys, 'aurora') : []),
    ...pools.flatMap((p, i) => unknownKeys(p, poolKeys, `pools[${i}]`)),
  ];
  if (extra.length > 0)
    return { problem: `The form has no field for ${extra.join(', ')}: remove ${extra.length === 1 ? 'it' : 'them'} here first.` };
  const badKind = pools.findIndex((p) => !poolKind.safeParse(p.kind).success);
  if (badKind >= 0) return { problem: `pools[${badKind}].kind must be fixed, on-demand, spot or specific for the form to show it.` };

  return {
    form: {
      name: text(raw.name),
      kind: kind.data,
      useAws: kind.data === 'mesos' && aws !== null,
      awsProfile: text(aws?.profile),
      region: text(aws?.region),
      endpoint: text(aws?.endpoint),
      masters: mesos && Array.isArray(mesos.masters) ? mesos.masters.map(String).join(', ') : '',
      observerPort: text(mesos?.observerPort),
      aurora: text(aurora?.url),
      auroraNetrc: aurora?.credentials !== 'none',
      namePrefix: text(aws?.namePrefix),
      pools: pools.map((p): PoolForm => ({
        ...emptyPool(),
        name: text(p.name),
        kind: poolKind.parse(p.kind),
        instanceTypes: text(p.instanceTypes),
        count: p.count === undefined ? '0' : text(p.count),
        namePrefix: text(p.namePrefix),
        autoScalingGroup: text(p.autoScalingGroup),
        launchTemplate: text(p.launchTemplate),
        subnetIds: text(p.subnetIds),
        maxCount: text(p.maxCount),
      })),
    },
  };
}
