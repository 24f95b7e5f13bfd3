import { z } from 'zod';
import { errorCode } from './errors.js';

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
  /** Name tag of the pool's instances, e.g. `cantareira-dev-mesos-on-demand-`; `<profile name>-<pool>-` by default (embedded: `<profile id>-<pool>-`). */
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

/** Where and as whom a profile's AWS calls go. Credentials come from the AWS profile's chain (keys, role, SSO). */
export const awsSettings = z
  .object({
    /** A profile of ~/.aws/config; the default credential chain when absent. */
    profile: z.string().min(1).max(128).optional(),
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as us-east-1')
      .optional(),
    /** An AWS-compatible endpoint (an emulator such as moto); never set for a real account. */
    endpoint: z.url().optional(),
    /** Start of the Name tag of the cluster's instances (`cantareira-dev-`); pools add `<pool>-`. `<profile name>-` by default. */
    namePrefix: z.string().min(1).max(100).optional(),
  })
  .strict();
export type AwsSettings = z.infer<typeof awsSettings>;

/** Where a real cluster's Mesos masters answer. */
export const mesosSettings = z
  .object({
    /** Every master (`http://10.0.0.1:5050`); the console finds the leader among them. */
    masters: z.array(z.url()).min(1).max(10),
    /** Port of the Thermos observer on each agent (1338), for links to a task's processes. */
    observerPort: z.number().int().min(1).max(65535).optional(),
  })
  .strict();
export type MesosSettings = z.infer<typeof mesosSettings>;

/** Where a real cluster's Aurora scheduler answers. */
export const auroraSettings = z
  .object({
    /** Any scheduler (`http://aurora.example:8081`); a non-leader redirects to the leader. */
    url: z.url(),
    /** `auto`: plain JSON at /apibeta, else Thrift JSON at /api. */
    protocol: z.enum(['auto', 'apibeta', 'thrift']).optional(),
    /** `netrc`: HTTP Basic credentials for the scheduler's host from ~/.netrc, as the Aurora CLI reads them. */
    credentials: z.enum(['none', 'netrc']).optional(),
  })
  .strict();
export type AuroraSettings = z.infer<typeof auroraSettings>;

export const profileSummary = z.object({
  id: z.string(),
  name: z.string(),
  kind: profileKind,
  builtin: z.boolean(),
});
export type ProfileSummary = z.infer<typeof profileSummary>;

export const profile = profileSummary.extend({
  pools: z.array(pool),
  /** null: no AWS account (the embedded cluster scales its own local machines). */
  aws: awsSettings.nullable(),
  /** A real cluster's Mesos masters; null for the embedded cluster (and a real one not yet connected). */
  mesos: mesosSettings.nullable(),
  /** A real cluster's Aurora scheduler; null when the console reads Mesos only. */
  aurora: auroraSettings.nullable(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type Profile = z.infer<typeof profile>;

/** What a user writes to create or change a profile (and what a profile JSON file holds). */
export const profileDraft = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'lower-case letters, digits, ".", "_" and "-", at most 63 characters'),
    kind: profileKind,
    pools: z
      .array(pool.strict())
      .max(50)
      .refine((ps) => new Set(ps.map((p) => p.name)).size === ps.length, 'pool names must be unique'),
    aws: awsSettings.nullable().default(null),
    mesos: mesosSettings.nullable().default(null),
    aurora: auroraSettings.nullable().default(null),
  })
  .strict();
export type ProfileDraft = z.infer<typeof profileDraft>;

/** One line of "test connection": one part of a real cluster, asked on its own. */
export const connectionCheck = z.object({
  part: z.enum(['mesos', 'aurora', 'aws', 'agent']),
  /** null: not asked (the profile has no such part, or it depends on one that failed). */
  ok: z.boolean().nullable(),
  summary: z.string(),
  detail: z.string().optional(),
  hint: z.string().optional(),
  code: errorCode.optional(),
  ms: z.number().int(),
});
export type ConnectionCheck = z.infer<typeof connectionCheck>;

export const profileCalls = {
  'profiles.list': {
    summary: 'All saved cluster profiles and which one is active.',
    input: z.object({}).strict(),
    output: z.object({ profiles: z.array(profile), activeId: z.string().nullable() }),
  },
  'profiles.save': {
    summary: 'Creates a profile, or changes one (by id). The built-in embedded profile cannot be changed.',
    input: z.object({ id: z.string().min(1).optional(), profile: profileDraft }).strict(),
    output: z.object({ profile }),
  },
  'profiles.import': {
    summary: 'Creates (or, with the same name, updates) a profile from the text of a profile JSON file.',
    input: z.object({ text: z.string().min(1).max(1_000_000), fileName: z.string().max(500).optional() }).strict(),
    output: z.object({ profile, created: z.boolean() }),
  },
  'profiles.test': {
    summary:
      'Asks each part of a real-cluster profile (saved, or as edited) on its own: Mesos leader, Aurora, AWS identity, one agent by its IP.',
    input: z.union([z.object({ id: z.string().min(1) }).strict(), z.object({ profile: profileDraft }).strict()]),
    output: z.object({ checks: z.array(connectionCheck) }),
  },
  'profiles.open': {
    summary: 'Closes the open profile and opens another; screens reload afterwards.',
    input: z.object({ id: z.string().min(1) }).strict(),
    output: z.object({ activeProfile: profileSummary }),
  },
} as const;
