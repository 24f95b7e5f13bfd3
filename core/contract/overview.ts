import { z } from 'zod';
import { contractError } from './errors.js';
import { task } from './jobs.js';

const usage = z.object({ used: z.number(), total: z.number() });

export const overview = z.object({
  agentsByType: z.array(
    z.object({
      slaveType: z.string(),
      agents: z.number().int(),
      cpus: usage,
      memMb: usage,
      diskMb: usage,
    }),
  ),
  /** Current attempts by state. */
  tasksByState: z.record(z.string(), z.number().int()),
  /** The newest FAILED and LOST attempts, newest first. */
  latestFailures: z.array(task),
  asOf: z.number().int(),
  /** Set when this is the last-known state of a cluster that does not answer now: why. */
  unreachable: contractError.optional(),
});
export type Overview = z.infer<typeof overview>;

export const overviewCalls = {
  'overview.get': {
    summary: 'Agents by type with used/total resources, tasks by state, the latest failures.',
    input: z.object({}).strict(),
    output: overview,
  },
} as const;
