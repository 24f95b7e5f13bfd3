import { z } from 'zod';

export const clusterEvent = z.object({
  /** Monotonic per store; also the stream cursor. */
  id: z.number().int(),
  at: z.number().int(),
  kind: z.enum([
    'agent.registered',
    'agent.removed',
    'profile.opened',
    'job.created',
    'job.killed',
    'task.state',
    'operation.changed',
    'hold.changed',
  ]),
  subject: z.string().nullable(),
  message: z.string(),
});
export type ClusterEvent = z.infer<typeof clusterEvent>;

export const eventStreams = {
  'cluster.events': {
    summary: 'Cluster events of the active profile after a cursor, then live.',
    input: z.object({ after: z.number().int().min(0).optional() }).strict(),
    item: clusterEvent,
  },
} as const;
