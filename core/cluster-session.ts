import { awsProvider } from './cloud/aws.js';
import { localProvider } from './cloud/local.js';
import type { CloudInstance, CloudProvider } from './cloud/provider.js';
import type { Profile } from './contract/profiles.js';
import { localIp } from './embedded/cluster.js';
import { startEmbeddedRuntime, type EmbeddedRuntime } from './embedded/runtime.js';
import { ConsoleError } from './model/errors.js';
import type { AgentOnMachine } from './scaling/plan.js';
import { createScaling, type Scaling } from './scaling/service.js';
import type { Store } from './store/index.js';
import { openRealCluster, type RealCluster } from './real/cluster.js';

export interface SessionOptions {
  dataDir: string;
  now: () => number;
  log: (msg: string, err?: unknown) => void;
  actor: string;
  demoJobsDir?: string;
  embedded?: { tickMs?: number; graceMs?: number; bootMs?: number };
  scaling?: { cancelWindowMs?: number; pollMs?: number; defaultTimeoutMs?: number };
  wrapProvider?: (provider: CloudProvider) => CloudProvider;
  /** How often a real cluster's Mesos state is read (default 15 s). */
  mesosPollMs?: number;
  /** How often a real cluster's Aurora jobs are read (default 15 s). */
  auroraPollMs?: number;
}

/** Everything the console runs for one open profile; closed when another profile is opened. */
export interface ClusterSession {
  profile: Profile;
  /** The embedded cluster; null for a real cluster. */
  runtime: EmbeddedRuntime | null;
  /** A real cluster's Mesos masters and Aurora scheduler, read; null for the embedded cluster. */
  real: RealCluster | null;
  provider: CloudProvider;
  scaling: Scaling;
  ready: Promise<void>;
  close(): Promise<void>;
}

const opt = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } =>
  value === undefined ? {} : ({ [key]: value } as { [P in K]: V });

/**
 * Opens a profile: for the embedded cluster its runtime and its local machines; for a real
 * cluster the AWS account its pools live in. Scaling and holds are the same code for both.
 */
export function openClusterSession(store: Store, profile: Profile, o: SessionOptions): ClusterSession {
  const { now, log } = o;
  const event = (kind: Parameters<Store['events']['append']>[1]['kind'], subject: string, message: string) =>
    store.events.append(profile.id, { at: now(), kind, subject, message });

  let runtime: EmbeddedRuntime | null = null;
  let real: RealCluster | null = null;
  let base: CloudProvider;
  let agents: () => AgentOnMachine[];
  let isReady: ((i: CloudInstance, agents: AgentOnMachine[]) => boolean) | undefined;
  if (profile.kind === 'embedded') {
    const rt = startEmbeddedRuntime({
      store,
      profile,
      dataDir: o.dataDir,
      now,
      log,
      onChange: event,
      ...opt('demoJobsDir', o.demoJobsDir),
      ...opt('tickMs', o.embedded?.tickMs),
      ...opt('graceMs', o.embedded?.graceMs),
    });
    runtime = rt;
    base = localProvider({
      profileId: profile.id,
      machines: store.machines,
      now,
      bootMs: o.embedded?.bootMs ?? bootMsFrom(process.env),
      ipOf: localIp,
      atomically: (fn) => store.db.transaction(fn)(),
    });
    agents = () => agentsOnMachines(rt);
  } else {
    base = profile.aws
      ? awsProvider({
          ...opt('profile', profile.aws.profile),
          ...opt('region', profile.aws.region),
          ...opt('endpoint', profile.aws.endpoint),
        })
      : noCloud(profile);
    const cluster = openRealCluster(store, profile, {
      now,
      log,
      ...opt('mesosPollMs', o.mesosPollMs),
      ...opt('auroraPollMs', o.auroraPollMs),
      onAgents: () => event('agent.registered', profile.id, `Agents of ${profile.name} read from its Mesos master`),
    });
    real = cluster;
    if (cluster.mesos) {
      const watched = cluster.mesos;
      // A machine has arrived once its agent registered with the master.
      agents = () => watched.agentsOnMachines();
    } else {
      // Without masters, a machine has arrived once EC2 runs it.
      agents = () => [];
      isReady = (i) => i.state === 'running';
    }
  }
  const provider = o.wrapProvider ? o.wrapProvider(base) : base;
  const scaling = createScaling({
    store,
    profile,
    provider,
    actor: o.actor,
    now,
    log,
    agents,
    ...opt('isReady', isReady),
    ...opt('cancelWindowMs', o.scaling?.cancelWindowMs),
    ...opt('pollMs', o.scaling?.pollMs),
    ...opt('defaultTimeoutMs', o.scaling?.defaultTimeoutMs),
    onEvent: event,
  });
  return {
    profile,
    runtime,
    real,
    provider,
    scaling,
    ready: Promise.all([runtime?.ready, scaling.ready]).then(() => undefined),
    async close() {
      await scaling.close();
      provider.close();
      real?.close();
      await runtime?.close();
    },
  };
}

/** The agents of the embedded cluster with the tasks each one runs now. */
function agentsOnMachines(rt: EmbeddedRuntime): AgentOnMachine[] {
  return rt.agents().map((a) => ({
    id: a.id,
    hostname: a.hostname,
    ip: a.ip,
    slaveType: a.slaveType,
    tasks: rt.scheduler.activeOn(a.id).map((t) => ({ taskId: t.taskId, jobKey: t.jobKey, instance: t.instance, state: t.state })),
  }));
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
