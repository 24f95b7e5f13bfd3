import { z } from 'zod';
import { contractError } from './errors.js';
import { capabilities } from './cluster.js';
import { profileSummary } from './profiles.js';

export const hostKind = z.enum(['electron', 'headless']);

export const appStatus = z.object({
  version: z.string(),
  host: hostKind,
  dataDir: z.string(),
  databaseFile: z.string(),
  /** null when the console started cleanly; otherwise why it runs without its store or profile. */
  startupError: contractError.nullable(),
  activeProfile: profileSummary.nullable(),
  /** What the open profile's cluster can do (null when none is open). */
  capabilities: capabilities.nullable(),
  startedAt: z.number().int(),
});
export type AppStatus = z.infer<typeof appStatus>;

export const appCalls = {
  'app.status': {
    summary: 'Which host, data directory and profile this console runs with, and whether its store opened.',
    input: z.object({}).strict(),
    output: appStatus,
  },
} as const;
