import { z } from 'zod';
import { agent } from './agents.js';
import { contractError } from './errors.js';
import { task } from './jobs.js';
import { overview } from './overview.js';

/**
 * What the open cluster can do, each with the reason when it cannot. The renderer reads
 * these, never the profile's kind: a screen asks "can this cluster create jobs?", not "is
 * this the embedded cluster?".
 */
export const capability = z.object({
  ok: z.boolean(),
  /** Why not, in words a user can act on (null when ok). */
  reason: z.string().nullable(),
});
export type Capability = z.infer<typeof capability>;

export const capabilities = z.object({
  /** Its agents are known (the embedded cluster's own, or a Mesos master's). */
  agents: capability,
  /** Its jobs are known (the embedded scheduler, or an Aurora scheduler). */
  jobs: capability,
  /** Job files can be submitted from the console. */
  createJobs: capability,
  /** Jobs and instances can be killed and restarted from the console. */
  jobCommands: capability,
  /** Its machines can be listed and scaled (local machines, or an AWS account). */
  machines: capability,
  /** A task's processes have a page of their own (Aurora's Thermos observer on the agent). */
  observer: capability,
  /** What to tell a user who sees no agents at all: where agents come from on this cluster. */
  noAgentsHint: z.string(),
  /** A short name of what runs the cluster, for the profile indicator ("embedded cluster", "Mesos cluster"). */
  label: z.string(),
  /** Whether the cluster runs on this machine (the indicator shows a remote one more prominently). */
  local: z.boolean(),
});
export type Capabilities = z.infer<typeof capabilities>;

/** One system behind the cluster (the Mesos master, the Aurora scheduler) and whether it answers. */
export const sourceFreshness = z.object({
  name: z.enum(['mesos', 'aurora', 'embedded']),
  /** True while what the console shows of it is current (events arriving, or the last read succeeded). */
  live: z.boolean(),
  /** When what is shown of it was last known to be current; null before it ever answered. */
  asOf: z.number().int().nullable(),
  /** Why it is not live (null when live). */
  error: contractError.nullable(),
});
export type SourceFreshness = z.infer<typeof sourceFreshness>;

export const freshness = z.object({
  /** True when every source is live. */
  live: z.boolean(),
  sources: z.array(sourceFreshness),
});
export type Freshness = z.infer<typeof freshness>;

/**
 * A change of the open cluster, pushed as it happens: the renderer writes it into the
 * queries it already holds instead of refetching everything.
 */
export const clusterChange = z.discriminatedUnion('kind', [
  /** An agent joined or changed (what its tasks use, its state). */
  z.object({ kind: z.literal('agent'), agent }),
  z.object({ kind: z.literal('agent.removed'), agentId: z.string() }),
  /** An attempt was added or changed state. */
  z.object({ kind: z.literal('task'), task }),
  /** The whole overview, recomputed (at most about once a second while the cluster moves). */
  z.object({ kind: z.literal('overview'), overview }),
  /** Too much changed at once (the master sent its whole state again): read again what is on screen. */
  z.object({ kind: z.literal('resync'), reason: z.string() }),
  /** Which of the cluster's systems answer; sent first on every subscription, then on each change. */
  z.object({ kind: z.literal('freshness'), freshness }),
]);
export type ClusterChange = z.infer<typeof clusterChange>;

export const clusterStreams = {
  'cluster.changes': {
    summary: 'Changes of the open cluster as they happen: agents, attempts, the overview, and whether its systems answer.',
    input: z.object({}).strict(),
    item: clusterChange,
  },
} as const;
