import { formatHash } from './route';

/** Where each kind of object is shown; every link in the console is built here. */
export const hrefs = {
  overview: () => formatHash('overview'),
  profiles: () => formatHash('profiles'),
  jobs: () => formatHash('jobs'),
  job: (key: string) => formatHash('jobs', new URLSearchParams({ job: key })),
  task: (taskId: string) => formatHash('task', new URLSearchParams({ id: taskId })),
  agent: (agentId: string) => formatHash('agents', new URLSearchParams({ agent: agentId })),
  agentsOfType: (slaveType: string) => formatHash('agents', new URLSearchParams({ type: slaveType })),
  instancesOfPool: (pool: string) => formatHash('instances', new URLSearchParams({ pool })),
  jobsInState: (state: string) => formatHash('jobs', new URLSearchParams({ state })),
  sandbox: (taskId: string, path = '') => formatHash('sandbox', new URLSearchParams(path ? { id: taskId, path } : { id: taskId })),
  /** A file in the log viewer; without an offset it opens at the end. */
  log: (taskId: string, path: string, offset?: number) =>
    formatHash('log', new URLSearchParams(offset === undefined ? { id: taskId, path } : { id: taskId, path, offset: String(offset) })),
  /** The newest stderr of a task's Thermos processes, found when opened. */
  lastStderr: (taskId: string) => formatHash('log', new URLSearchParams({ id: taskId, last: 'stderr' })),
};

/** Moves to another place, adding a history entry (Back returns). */
export function go(href: string): void {
  window.location.hash = href;
}
