import { z } from 'zod';
import { contractError } from './errors.js';

export const agentState = z.enum(['registered', 'unreachable', 'gone']);

export const agent = z.object({
  id: z.string(),
  hostname: z.string(),
  /** The IP in the agent's pid (`slave(1)@10.0.0.1:5051`): how its machine is found, and how it is reached. */
  ip: z.string().nullable(),
  /** The `slave-type` attribute: the pool this agent belongs to. */
  slaveType: z.string(),
  instanceType: z.string(),
  resources: z.object({
    cpus: z.number(),
    memMb: z.number().int(),
    diskMb: z.number().int(),
    /** Mesos range syntax, e.g. "[31000-32000]". */
    ports: z.string(),
  }),
  attributes: z.record(z.string(), z.string()),
  /** Where this agent keeps its task sandboxes on disk (embedded) or its work_dir (real agents). */
  sandboxRoot: z.string(),
  state: agentState,
  registeredAt: z.number().int(),
  /** What the agent's active tasks hold (task resources + executor overhead). */
  used: z.object({ cpus: z.number(), memMb: z.number(), diskMb: z.number() }),
  activeTasks: z.number().int(),
});
export type Agent = z.infer<typeof agent>;

export const agentFilter = z
  .object({
    slaveType: z.string().min(1).optional(),
    /** `name=value` on any attribute. */
    attribute: z
      .object({ name: z.string().min(1), value: z.string() })
      .strict()
      .optional(),
  })
  .strict();

export const agentCalls = {
  'agents.list': {
    summary: 'Agents of the active profile, optionally filtered by slave type or attribute.',
    input: agentFilter,
    output: z.object({
      agents: z.array(agent),
      asOf: z.number().int(),
      /** Set when these are the last-known agents of a cluster that does not answer now: why. */
      unreachable: contractError.optional(),
      /** The agents of a real cluster arrived before its tasks (a big state is still loading): task counts are not known yet. */
      partial: z.boolean().optional(),
    }),
  },
} as const;
