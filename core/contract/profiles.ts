import { z } from 'zod';

export const poolKind = z.enum(['fixed', 'on-demand', 'spot', 'specific']);
export type PoolKind = z.infer<typeof poolKind>;

export const pool = z.object({
  /** Pool name; also the `slave-type` attribute value of its agents. */
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  kind: poolKind,
  /** One type for fixed/on-demand/specific; several compatible types for a spot group. */
  instanceTypes: z.array(z.string()).min(1),
  /** Nodes the embedded cluster starts with. */
  count: z.number().int().min(0).max(10_000),
  /** Name tag of the pool's instances, e.g. `cantareira-dev-mesos-on-demand-`; `<profile>-<pool>-` by default. */
  namePrefix: z.string().min(1).max(128).optional(),
  /** The Auto Scaling group of an on-demand pool; `<profile>-<pool>` by default. */
  autoScalingGroup: z.string().min(1).max(255).optional(),
  /** Launch template (name or lt- id) for spot groups and specific instances. */
  launchTemplate: z.string().min(1).max(128).optional(),
  subnetIds: z.array(z.string().min(1)).max(16).optional(),
  /** Largest size the console lets an on-demand pool reach (the group's MaxSize on AWS). */
  maxCount: z.number().int().min(0).max(10_000).optional(),
});
export type Pool = z.infer<typeof pool>;

export const profileKind = z.enum(['embedded', 'mesos']);

export const profileSummary = z.object({
  id: z.string(),
  name: z.string(),
  kind: profileKind,
  builtin: z.boolean(),
});
export type ProfileSummary = z.infer<typeof profileSummary>;

export const profile = profileSummary.extend({
  pools: z.array(pool),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type Profile = z.infer<typeof profile>;

export const profileCalls = {
  'profiles.list': {
    summary: 'All saved cluster profiles and which one is active.',
    input: z.object({}).strict(),
    output: z.object({ profiles: z.array(profile), activeId: z.string().nullable() }),
  },
} as const;
