/** A pool of a profile, as the domain needs it (the contract's `Pool` is one). */
export interface Pool {
  name: string;
  kind: 'fixed' | 'on-demand' | 'spot' | 'specific';
  instanceTypes: string[];
  count: number;
  namePrefix?: string | undefined;
  autoScalingGroup?: string | undefined;
  launchTemplate?: string | undefined;
  subnetIds?: string[] | undefined;
  maxCount?: number | undefined;
}

/** What names a profile's cloud resources. */
interface Profile {
  id: string;
  name: string;
  kind: 'embedded' | 'mesos';
  aws: { namePrefix?: string | undefined } | null;
}

/** What the cloud calls a pool's machines and groups, with the defaults a profile may leave out. */
export interface PoolCloudNames {
  namePrefix: string;
  autoScalingGroup: string;
  launchTemplate: string;
  subnetIds: string[];
  /** Upper bound of an on-demand pool. */
  maxCount: number;
}

/**
 * A real cluster's defaults follow its name (`cantareira-dev-mesos-on-demand-`, as the AWS
 * resources are named); the embedded cluster's follow the profile id, which never changes, so
 * renaming the profile does not orphan the machines it launched.
 */
export function poolCloudNames(profile: Pick<Profile, 'id' | 'name' | 'kind'> & { aws?: Profile['aws'] }, pool: Pool): PoolCloudNames {
  const base = profile.kind === 'mesos' ? profile.name : profile.id;
  // The profile's Name-tag prefix names the instances only; groups and templates keep the profile's name.
  const instanceBase = profile.kind === 'mesos' && profile.aws?.namePrefix ? profile.aws.namePrefix : `${base}-`;
  return {
    namePrefix: pool.namePrefix ?? `${instanceBase}${pool.name}-`,
    autoScalingGroup: pool.autoScalingGroup ?? `${base}-${pool.name}`,
    launchTemplate: pool.launchTemplate ?? `${base}-${pool.name}`,
    subnetIds: pool.subnetIds ?? [],
    maxCount: pool.maxCount ?? Math.max(20, pool.count * 2),
  };
}

/** Why a pool of this kind is never scaled by the console, or null when it may be. */
export function notScalable(pool: Pool): string | null {
  return pool.kind === 'fixed'
    ? `${pool.name} is a fixed pool: its machines are not fault tolerant and are never scaled by the console (change them with the cluster's deploy tooling).`
    : null;
}
