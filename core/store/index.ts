import { agentRepository } from './agents.js';
import { openDatabase, type Db, type OpenOptions } from './database.js';
import { eventRepository } from './events.js';
import { jobRepository } from './jobs.js';
import { executorProcessRepository } from './executor-processes.js';
import { holdRepository } from './holds.js';
import { machineRepository } from './machines.js';
import { snapshotRepository } from './snapshots.js';
import { settingRepository } from './settings.js';
import { operationRepository } from './operations.js';
import { profileRepository } from './profiles.js';
import { taskRepository } from './tasks.js';

export interface Store {
  readonly file: string;
  readonly db: Db;
  readonly profiles: ReturnType<typeof profileRepository>;
  readonly agents: ReturnType<typeof agentRepository>;
  readonly tasks: ReturnType<typeof taskRepository>;
  readonly jobs: ReturnType<typeof jobRepository>;
  readonly executorProcesses: ReturnType<typeof executorProcessRepository>;
  readonly settings: ReturnType<typeof settingRepository>;
  readonly operations: ReturnType<typeof operationRepository>;
  readonly holds: ReturnType<typeof holdRepository>;
  readonly machines: ReturnType<typeof machineRepository>;
  readonly snapshots: ReturnType<typeof snapshotRepository>;
  readonly events: ReturnType<typeof eventRepository>;
  close(): void;
}

export function openStore(file: string, options?: OpenOptions): Store {
  const db = openDatabase(file, options);
  return {
    file,
    db,
    profiles: profileRepository(db),
    agents: agentRepository(db),
    tasks: taskRepository(db),
    jobs: jobRepository(db),
    executorProcesses: executorProcessRepository(db),
    settings: settingRepository(db),
    operations: operationRepository(db),
    holds: holdRepository(db),
    machines: machineRepository(db),
    snapshots: snapshotRepository(db),
    events: eventRepository(db),
    close() {
      if (db.open) db.close();
    },
  };
}

export { openDatabase } from './database.js';
