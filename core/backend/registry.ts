import { awsProvider } from '../cloud/aws.js';
import { localProvider } from '../cloud/local.js';
import type { CloudProvider } from '../cloud/provider.js';
import type { Profile } from '../contract/profiles.js';
import { openEmbeddedBackend } from '../embedded/backend.js';
import { localIp } from '../embedded/cluster.js';
import type { MesosState } from '../mesos/types.js';
import { ConsoleError } from '../errors.js';
import { openRealBackend } from '../real/backend.js';
import type { Store } from '../store/index.js';
import type { ClusterBackend } from './backend.js';

export interface BackendOptions {
  dataDir: string;
  now: () => number;
  log: (msg: string, err?: unknown) => void;
  /** Records a cluster event of the profile (the store's event log). */
  onEvent: (kind: 'job.created' | 'job.killed' | 'task.state' | 'agent.registered', subject: string, message: string) => void;
  demoJobsDir?: string;
  embedded?: { tickMs?: number; graceMs?: number; bootMs?: number };
  mesosPollMs?: number;
  auroraPollMs?: number;
}

/** A profile's cluster: the backend every screen reads, and the machines behind its pools. */
export interface OpenedCluster {
  backend: ClusterBackend;
  provider: CloudProvider;
  /** A real cluster's Mesos state as held now, for a connection test of the open profile (no second read). */
  liveMesosState?: () => MesosState | null;
}

type Opener = (store: Store, profile: Profile, o: BackendOptions) => OpenedCluster;

const opt = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } =>
  value === undefined ? {} : ({ [key]: value } as { [P in K]: V });

/**
 * The one place that knows the kinds of cluster: each kind's backend and its machines. A
 * kind added to the profile contract does not compile until it has an entry here.
 */
const openers: Record<Profile['kind'], Opener> = {
  embedded: (store, profile, o) => {
    const backend = openEmbeddedBackend({
      store,
      profile,
      dataDir: o.dataDir,
      now: o.now,
      log: o.log,
      onEvent: o.onEvent,
      ...opt('demoJobsDir', o.demoJobsDir),
      ...opt('tickMs', o.embedded?.tickMs),
      ...opt('graceMs', o.embedded?.graceMs),
    });
    const provider = localProvider({
      profileId: profile.id,
      machines: store.machines,
      now: o.now,
      bootMs: o.embedded?.bootMs ?? bootMsFrom(process.env),
      ipOf: localIp,
      atomically: (fn) => store.db.transaction(fn)(),
    });
    return { backend, provider };
  },
  mesos: (store, profile, o) => {
    const provider = profile.aws
      ? awsProvider({
          ...opt('profile', profile.aws.profile),
          ...opt('region', profile.aws.region),
          ...opt('endpoint', profile.aws.endpoint),
        })
      : noCloud(profile);
    const backend = openRealBackend(store, profile, {
      now: o.now,
      log: o.log,
      ...opt('mesosPollMs', o.mesosPollMs),
      ...opt('auroraPollMs', o.auroraPollMs),
      onAgents: () => o.onEvent('agent.registered', profile.id, `Agents of ${profile.name} read from its Mesos master`),
    });
    return { backend, provider, liveMesosState: () => backend.cluster.mesos?.live()?.state ?? null };
  },
};

export function openBackend(store: Store, profile: Profile, o: BackendOptions): OpenedCluster {
  const open = openers[profile.kind];
  if (!open)
    throw new ConsoleError(
      'PROFILE_INVALID',
      `Profile ${profile.name} is of an unknown kind "${String(profile.kind)}".`,
      'Edit or remove the profile.',
    );
  return open(store, profile, o);
}

/** How long a new embedded machine takes to boot: 3 s, or CANTAREIRA_BOOT_MS. */
function bootMsFrom(env: NodeJS.ProcessEnv): number {
  const n = Number(env.CANTAREIRA_BOOT_MS);
  return env.CANTAREIRA_BOOT_MS !== undefined && Number.isFinite(n) && n >= 0 ? n : 3000;
}

/** A real-cluster profile that names no AWS account: its machines cannot be listed or scaled. */
function noCloud(profile: Profile): CloudProvider {
  const refuse = async (): Promise<never> => {
    throw new ConsoleError(
      'SCALE_NOT_ALLOWED',
      `Profile ${profile.name} names no AWS account, so its machines cannot be scaled.`,
      'Edit the profile: set its AWS profile and region.',
    );
  };
  return {
    kind: 'aws',
    listInstances: async () => [],
    groupCapacity: refuse,
    scaleGroup: refuse,
    createSpotGroup: refuse,
    deleteSpotGroup: refuse,
    launchSpecific: refuse,
    downscale: refuse,
    setHold: refuse,
    releaseHold: refuse,
    whoAmI: async () => null,
    close() {},
  };
}
