import type { ClusterBackend } from './backend/backend.js';
import { openBackend } from './backend/registry.js';
import type { CloudProvider } from './cloud/provider.js';
import type { Profile } from './contract/profiles.js';
import type { MesosState } from './mesos/types.js';
import { createScaling, type Scaling } from './scaling/service.js';
import type { Store } from './store/index.js';

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
  /** The cluster every screen reads, whatever its kind (backend/registry.ts picks it). */
  backend: ClusterBackend;
  provider: CloudProvider;
  scaling: Scaling;
  /** A real cluster's Mesos state as held now (null otherwise), for testing the open profile's connection. */
  liveMesosState: () => MesosState | null;
  ready: Promise<void>;
  close(): Promise<void>;
}

const opt = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } =>
  value === undefined ? {} : ({ [key]: value } as { [P in K]: V });

/** Opens a profile: its cluster (through the registry) and the scaling of its pools, the same code for every kind. */
export function openClusterSession(store: Store, profile: Profile, o: SessionOptions): ClusterSession {
  const { now, log } = o;
  const event = (kind: Parameters<Store['events']['append']>[1]['kind'], subject: string, message: string) =>
    store.events.append(profile.id, { at: now(), kind, subject, message });

  const opened = openBackend(store, profile, {
    dataDir: o.dataDir,
    now,
    log,
    onEvent: event,
    ...opt('demoJobsDir', o.demoJobsDir),
    ...opt('embedded', o.embedded),
    ...opt('mesosPollMs', o.mesosPollMs),
    ...opt('auroraPollMs', o.auroraPollMs),
  });
  const { backend } = opened;
  const provider = o.wrapProvider ? o.wrapProvider(opened.provider) : opened.provider;
  const scaling = createScaling({
    store,
    profile,
    provider,
    actor: o.actor,
    now,
    log,
    agents: () => backend.agentsOnMachines(),
    ...opt('isReady', backend.machineReady),
    ...opt('cancelWindowMs', o.scaling?.cancelWindowMs),
    ...opt('pollMs', o.scaling?.pollMs),
    ...opt('defaultTimeoutMs', o.scaling?.defaultTimeoutMs),
    onEvent: event,
  });
  return {
    profile,
    backend,
    provider,
    scaling,
    liveMesosState: opened.liveMesosState ?? (() => null),
    ready: Promise.all([backend.ready, scaling.ready]).then(() => undefined),
    async close() {
      await scaling.close();
      provider.close();
      await backend.close();
    },
  };
}
