import type { QueryClient } from '@tanstack/react-query';
import type { Agent, CallInput, CallOutput, ClusterChange, Freshness, Task } from '../../core/contract';
import { agentKeys, freshnessKeys, jobKeys, keysOfKind, overviewKeys, taskKeys, type ClusterKind } from '../api/keys';
import { isTerminal } from '../components/taskStates';

type TaskDetail = CallOutput<'tasks.get'>;
type TaskList = CallOutput<'tasks.list'>;
type JobDetail = CallOutput<'jobs.get'>;
type JobList = CallOutput<'jobs.list'>;
type AgentList = CallOutput<'agents.list'>;
type TaskFilter = CallInput<'tasks.list'>;
type AgentFilter = CallInput<'agents.list'>;

/** What a lost stretch of the stream may have changed: each refetched once. */
const kindsOfAGap: readonly ClusterKind[] = ['agents', 'overview', 'jobs', 'tasks'];

/** Which kinds of object each source feeds: refetched once when it answers again after an outage. */
const kindsOfSource: Record<Freshness['sources'][number]['name'], readonly ClusterKind[]> = {
  mesos: ['agents', 'overview', 'tasks'],
  aurora: ['jobs', 'tasks', 'overview'],
  embedded: kindsOfAGap,
};

/**
 * Writes pushed changes of the cluster into the queries already held (Headlamp's way): a
 * screen follows the cluster without a refetch. Only what a change cannot say by itself is
 * fetched again, and then only the one query concerned (a job list whose counts cannot be
 * worked out, a task list that lost a row at its limit). `dropped > 0` means the stream lost
 * items: then each kind is refetched once.
 */
export function applyChanges(
  queryClient: QueryClient,
  profileId: string,
  changes: readonly ClusterChange[],
  dropped = 0,
  now: () => number = Date.now,
): void {
  const refetch = new Set<string>();
  const refetchKeys: (readonly unknown[])[] = [];
  const refetchOne = (key: readonly unknown[]) => {
    const id = JSON.stringify(key);
    if (refetch.has(id)) return;
    refetch.add(id);
    refetchKeys.push(key);
  };
  const kinds = new Set<ClusterKind>(dropped > 0 ? kindsOfAGap : []);
  // Agents are gathered and written once per list: a big cluster's list is thousands of rows.
  const agents = new Map<string, Agent | null>();

  for (const change of changes) {
    switch (change.kind) {
      case 'task':
        applyTask(queryClient, profileId, change.task, refetchOne);
        break;
      case 'agent':
        agents.set(change.agent.id, change.agent);
        break;
      case 'agent.removed':
        agents.set(change.agentId, null);
        break;
      case 'overview':
        queryClient.setQueryData(overviewKeys.get(profileId), change.overview);
        break;
      case 'resync':
        // Too much changed to push one by one: what is on screen is read again, once.
        for (const kind of kindsOfAGap) kinds.add(kind);
        break;
      case 'freshness': {
        const before = queryClient.getQueryData<Freshness>(freshnessKeys.get(profileId));
        queryClient.setQueryData(freshnessKeys.get(profileId), change.freshness);
        for (const kind of recoveredKinds(before, change.freshness)) kinds.add(kind);
        break;
      }
    }
  }
  if (agents.size > 0) applyAgents(queryClient, profileId, agents, now());
  for (const kind of kinds) void queryClient.invalidateQueries({ queryKey: keysOfKind[kind](profileId) });
  for (const key of refetchKeys) {
    if (!kinds.has(key[0] as ClusterKind)) void queryClient.invalidateQueries({ queryKey: key, exact: true });
  }
}

/** The kinds fed by a source that was down and answers again: what it showed meanwhile was last-known. */
function recoveredKinds(before: Freshness | undefined, after: Freshness): ClusterKind[] {
  if (!before) return [];
  const kinds: ClusterKind[] = [];
  for (const source of after.sources) {
    const was = before.sources.find((s) => s.name === source.name);
    if (was && !was.live && source.live) kinds.push(...kindsOfSource[source.name]);
  }
  return kinds;
}

// ---- tasks -------------------------------------------------------------------------------

function applyTask(queryClient: QueryClient, profileId: string, task: Task, refetchOne: (key: readonly unknown[]) => void): void {
  // What was known of this attempt before, from any cache: tells a state change from a new attempt.
  const previous = knownTask(queryClient, profileId, task.taskId);

  queryClient.setQueryData<TaskDetail>(taskKeys.detail(profileId, task.taskId), (detail) => {
    if (!detail) return detail;
    const changed = detail.task.state !== task.state;
    const events = changed ? [...detail.events, { at: task.updatedAt, state: task.state, message: task.message }] : detail.events;
    return { ...detail, task, events };
  });

  for (const [key, list] of queryClient.getQueriesData<TaskList>({ queryKey: [...taskKeys.all(profileId), 'list'] })) {
    if (!list) continue;
    const filter = key[3] as TaskFilter;
    const next = listWithTask(list, filter, task);
    if (next === list) continue;
    queryClient.setQueryData(key, next);
    // A row left a full list: the next one beyond the limit is not here to move up.
    if (next.tasks.length < list.tasks.length && list.tasks.length >= (filter.limit ?? 200)) refetchOne(key);
  }

  const detailKey = jobKeys.detail(profileId, task.jobKey);
  const job = queryClient.getQueryData<JobDetail>(detailKey);
  let counts: Record<string, number> | null = null;
  if (job) {
    const next = jobWithTask(job, task);
    queryClient.setQueryData(detailKey, next);
    counts = next.job.taskCounts;
  }

  const listKey = jobKeys.list(profileId);
  const jobs = queryClient.getQueryData<JobList>(listKey);
  if (!jobs) return;
  const summary = jobs.jobs.find((j) => j.key === task.jobKey);
  if (!summary) {
    // A job this list has not seen: only the scheduler can say what it is.
    refetchOne(listKey);
    return;
  }
  counts ??= countsAfter(summary.taskCounts, previous, task, knownTask(queryClient, profileId, task.ancestorId));
  if (!counts) {
    refetchOne(listKey);
    return;
  }
  const taskCounts = counts;
  queryClient.setQueryData<JobList>(listKey, {
    ...jobs,
    jobs: jobs.jobs.map((j) => (j.key === task.jobKey ? { ...j, taskCounts } : j)),
  });
}

/** The newest copy of an attempt held in any query, or null. */
function knownTask(queryClient: QueryClient, profileId: string, taskId: string | null): Task | null {
  if (!taskId) return null;
  const detail = queryClient.getQueryData<TaskDetail>(taskKeys.detail(profileId, taskId));
  if (detail) return detail.task;
  for (const [, list] of queryClient.getQueriesData<TaskList>({ queryKey: [...taskKeys.all(profileId), 'list'] })) {
    const found = list?.tasks.find((t) => t.taskId === taskId);
    if (found) return found;
  }
  for (const [, job] of queryClient.getQueriesData<JobDetail>({ queryKey: [...jobKeys.all(profileId), 'detail'] })) {
    for (const i of job?.instances ?? []) {
      if (i.current.taskId === taskId) return i.current;
      const old = i.history.find((t) => t.taskId === taskId);
      if (old) return old;
    }
  }
  return null;
}

function matchesTaskFilter(filter: TaskFilter, task: Task): boolean {
  return (
    !isTerminal(task.state) &&
    (filter.agentId === undefined || task.agentId === filter.agentId) &&
    (filter.jobKey === undefined || task.jobKey === filter.jobKey) &&
    (filter.states === undefined || filter.states.includes(task.state))
  );
}

/** A task list with this attempt replaced, added or dropped as the list's filter now says; newest first, within its limit. */
export function listWithTask(list: TaskList, filter: TaskFilter, task: Task): TaskList {
  const at = list.tasks.findIndex((t) => t.taskId === task.taskId);
  const wanted = matchesTaskFilter(filter, task);
  if (at < 0 && !wanted) return list;
  if (at >= 0 && !wanted) return { ...list, tasks: list.tasks.filter((_, i) => i !== at) };
  if (at >= 0 && list.tasks[at]!.createdAt === task.createdAt) return { ...list, tasks: list.tasks.map((t, i) => (i === at ? task : t)) };
  const limit = filter.limit ?? 200;
  const rest = list.tasks.filter((t) => t.taskId !== task.taskId);
  // Older than every row of a full list: it belongs beyond the limit.
  if (rest.length >= limit && task.createdAt < rest[rest.length - 1]!.createdAt) return at < 0 ? list : { ...list, tasks: rest };
  const place = rest.findIndex((t) => t.createdAt < task.createdAt);
  const tasks = place < 0 ? [...rest, task] : [...rest.slice(0, place), task, ...rest.slice(place)];
  return { ...list, tasks: tasks.slice(0, limit) };
}

/** Current attempts by state, as jobs.list and jobs.get count them. */
function countCurrent(instances: JobDetail['instances']): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const i of instances) counts[i.current.state] = (counts[i.current.state] ?? 0) + 1;
  return counts;
}

/**
 * A job's detail with this attempt in place: the same attempt is replaced where it is; a newer
 * attempt of an instance becomes its current one and the one before moves to its history.
 */
export function jobWithTask(job: JobDetail, task: Task): JobDetail {
  const at = job.instances.findIndex((i) => i.instance === task.instance);
  let instances: JobDetail['instances'];
  if (at < 0) {
    instances = [...job.instances, { instance: task.instance, current: task, history: [] }].sort((a, b) => a.instance - b.instance);
  } else {
    const inst = job.instances[at]!;
    let next: JobDetail['instances'][number];
    if (inst.current.taskId === task.taskId) {
      next = { ...inst, current: task };
    } else if (inst.history.some((t) => t.taskId === task.taskId)) {
      next = { ...inst, history: inst.history.map((t) => (t.taskId === task.taskId ? task : t)) };
    } else if (task.createdAt >= inst.current.createdAt || task.ancestorId === inst.current.taskId) {
      next = { ...inst, current: task, history: [inst.current, ...inst.history] };
    } else {
      // An older attempt arriving late: history only, newest first.
      next = { ...inst, history: [...inst.history, task].sort((a, b) => b.createdAt - a.createdAt) };
    }
    instances = job.instances.map((i, n) => (n === at ? next : i));
  }
  return { ...job, instances, job: { ...job.job, taskCounts: countCurrent(instances) } };
}

/**
 * A job's counts after an attempt changed, from what was known of it and of the attempt it
 * replaced; null when they cannot be known here (then the list is fetched again).
 */
export function countsAfter(
  counts: Record<string, number>,
  previous: Task | null,
  task: Task,
  ancestor: Task | null,
): Record<string, number> | null {
  const next = { ...counts };
  const move = (from: string | null, to: string) => {
    if (from !== null) next[from] = Math.max(0, (next[from] ?? 0) - 1);
    next[to] = (next[to] ?? 0) + 1;
  };
  if (previous) {
    if (previous.state === task.state) return counts;
    move(previous.state, task.state);
  } else if (task.ancestorId === null) {
    move(null, task.state); // a new instance
  } else if (ancestor) {
    move(ancestor.state, task.state); // the new attempt replaces its ancestor as the instance's current one
  } else {
    return null;
  }
  for (const [state, n] of Object.entries(next)) if (n === 0) delete next[state];
  return next;
}

// ---- agents ------------------------------------------------------------------------------

function matchesAgentFilter(filter: AgentFilter, agent: Agent): boolean {
  return (
    (filter.slaveType === undefined || agent.slaveType === filter.slaveType) &&
    (filter.attribute === undefined || agent.attributes[filter.attribute.name] === filter.attribute.value)
  );
}

/** Each agent list with these agents replaced, added where its filter matches, or dropped (null: removed). */
function applyAgents(queryClient: QueryClient, profileId: string, changed: ReadonlyMap<string, Agent | null>, at: number): void {
  for (const [key, list] of queryClient.getQueriesData<AgentList>({ queryKey: [...agentKeys.all(profileId), 'list'] })) {
    if (!list) continue;
    const filter = (key[3] ?? {}) as AgentFilter;
    const pending = new Map(changed);
    const agents: Agent[] = [];
    for (const a of list.agents) {
      if (!pending.has(a.id)) {
        agents.push(a);
        continue;
      }
      const next = pending.get(a.id)!;
      pending.delete(a.id);
      if (next && matchesAgentFilter(filter, next)) agents.push(next);
    }
    for (const next of pending.values()) if (next && matchesAgentFilter(filter, next)) agents.push(next);
    queryClient.setQueryData<AgentList>(key, { ...list, agents, asOf: Math.max(list.asOf, at) });
  }
}
