import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { Agent, CallOutput, ClusterChange, Freshness, Overview, Task } from '../../../core/contract/index.js';
import { agentKeys, freshnessKeys, jobKeys, overviewKeys, taskKeys } from '../../../renderer/api/keys.js';
import { applyChanges } from '../../../renderer/app/liveChanges.js';
import { freshnessText, whyText } from '../../../renderer/app/freshnessText.js';
import { kindsTouchedBy } from '../../../renderer/app/liveInvalidation.js';

const P = 'prod';
const job = 'www-data/prod/hello';

function task(over: Partial<Task> & Pick<Task, 'taskId'>): Task {
  return {
    jobKey: job,
    instance: 0,
    state: 'RUNNING',
    agentId: 'a1',
    agentHost: 'agent-1',
    ancestorId: null,
    failureCount: 0,
    exitCode: null,
    reason: null,
    message: null,
    pendingReason: null,
    sandboxDir: '/var/lib/mesos/slaves/a1/run',
    ports: {},
    createdAt: 1_000,
    updatedAt: 1_000,
    startedAt: 1_100,
    endedAt: null,
    ...over,
  };
}

function agent(over: Partial<Agent> & Pick<Agent, 'id'>): Agent {
  return {
    hostname: `${over.id}.example`,
    ip: '10.0.0.1',
    slaveType: 'mesos-fixed',
    instanceType: 'm5.2xlarge',
    resources: { cpus: 8, memMb: 32_000, diskMb: 100_000, ports: '[31000-32000]' },
    attributes: { 'slave-type': over.slaveType ?? 'mesos-fixed' },
    sandboxRoot: '/var/lib/mesos',
    state: 'registered',
    registeredAt: 500,
    used: { cpus: 0, memMb: 0, diskMb: 0 },
    activeTasks: 0,
    ...over,
  };
}

const summary = (taskCounts: Record<string, number>): CallOutput<'jobs.list'>['jobs'][number] => ({
  key: job,
  role: 'www-data',
  environment: 'prod',
  name: 'hello',
  instances: 2,
  service: true,
  cron: null,
  tier: 'preferred',
  priority: 0,
  maxTaskFailures: 1,
  constraints: [],
  resources: { cpus: 1, ramMb: 128, diskMb: 256 },
  state: 'active',
  taskCounts,
  source: null,
  createdAt: null,
});

function client() {
  return new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
}

/** Holds `data` under `key` as a mounted screen would (an observer), and records each refetch. */
function seed<T>(qc: QueryClient, key: readonly unknown[], data: T, fetched: string[]) {
  qc.setQueryData(key, data);
  const observer = new QueryObserver(qc, {
    queryKey: key,
    queryFn: () => {
      fetched.push(JSON.stringify(key));
      return qc.getQueryData(key) as T;
    },
  });
  observer.subscribe(() => {});
}

const apply = (qc: QueryClient, changes: ClusterChange[], dropped = 0) => applyChanges(qc, P, changes, dropped, () => 9_000);

describe('changes pushed by the cluster are written into the queries held', () => {
  it('a killed attempt replaces itself in its task page, with one more event, and nothing is fetched', () => {
    const qc = client();
    const fetched: string[] = [];
    const t0 = task({ taskId: 't0' });
    seed(
      qc,
      taskKeys.detail(P, 't0'),
      { task: t0, events: [{ at: 1_000, state: 'RUNNING', message: null }], observerUrl: 'http://x' },
      fetched,
    );
    apply(qc, [{ kind: 'task', task: { ...t0, state: 'KILLED', updatedAt: 2_000, message: 'Killed by alice', endedAt: 2_000 } }]);
    const detail = qc.getQueryData<CallOutput<'tasks.get'>>(taskKeys.detail(P, 't0'))!;
    expect(detail.task.state).toBe('KILLED');
    expect(detail.events).toEqual([
      { at: 1_000, state: 'RUNNING', message: null },
      { at: 2_000, state: 'KILLED', message: 'Killed by alice' },
    ]);
    expect(detail.observerUrl).toBe('http://x');
    // The same state again (a new message, say) adds no event.
    apply(qc, [{ kind: 'task', task: { ...detail.task, message: 'again' } }]);
    expect(qc.getQueryData<CallOutput<'tasks.get'>>(taskKeys.detail(P, 't0'))!.events).toHaveLength(2);
    expect(fetched).toEqual([]);
  });

  it('task lists gain and lose attempts as their filters say, newest first, within their limit', async () => {
    const qc = client();
    const fetched: string[] = [];
    const onA1 = { agentId: 'a1', limit: 2 };
    const running = { states: ['RUNNING' as const], limit: 200 };
    const t1 = task({ taskId: 't1', createdAt: 1_000 });
    const t2 = task({ taskId: 't2', createdAt: 3_000, instance: 1 });
    seed(qc, taskKeys.list(P, onA1), { tasks: [t2, t1] }, fetched);
    seed(qc, taskKeys.list(P, running), { tasks: [t2, t1] }, fetched);

    // A new attempt on a1, between the two: in at its place, the oldest falls beyond the limit.
    const t3 = task({ taskId: 't3', createdAt: 2_000, instance: 2, state: 'STARTING' });
    apply(qc, [{ kind: 'task', task: t3 }]);
    expect(qc.getQueryData<CallOutput<'tasks.list'>>(taskKeys.list(P, onA1))!.tasks.map((t) => t.taskId)).toEqual(['t2', 't3']);
    // STARTING is not RUNNING: the state filter leaves it out.
    expect(qc.getQueryData<CallOutput<'tasks.list'>>(taskKeys.list(P, running))!.tasks.map((t) => t.taskId)).toEqual(['t2', 't1']);

    // It starts running: now it matches the state filter too.
    apply(qc, [{ kind: 'task', task: { ...t3, state: 'RUNNING' } }]);
    expect(qc.getQueryData<CallOutput<'tasks.list'>>(taskKeys.list(P, running))!.tasks.map((t) => t.taskId)).toEqual(['t2', 't3', 't1']);
    expect(fetched).toEqual([]);

    // t2 ends: out of every list of active attempts; the full a1 list fetches the row it cannot know.
    apply(qc, [{ kind: 'task', task: { ...t2, state: 'FINISHED' } }]);
    expect(qc.getQueryData<CallOutput<'tasks.list'>>(taskKeys.list(P, running))!.tasks.map((t) => t.taskId)).toEqual(['t3', 't1']);
    await expect.poll(() => fetched).toEqual([JSON.stringify(taskKeys.list(P, onA1))]);

    // Moved to another agent: out of a1's list.
    apply(qc, [{ kind: 'task', task: { ...t3, state: 'RUNNING', agentId: 'a2' } }]);
    expect(qc.getQueryData<CallOutput<'tasks.list'>>(taskKeys.list(P, onA1))!.tasks.map((t) => t.taskId)).not.toContain('t3');
  });

  it("a job's detail follows its instances: a new attempt becomes current, the old one moves to history, counts follow", () => {
    const qc = client();
    const fetched: string[] = [];
    const i0 = task({ taskId: 'i0-a', instance: 0 });
    const i1 = task({ taskId: 'i1-a', instance: 1, createdAt: 1_500 });
    const detail: CallOutput<'jobs.get'> = {
      job: summary({ RUNNING: 2 }),
      processes: [],
      instances: [
        { instance: 0, current: i0, history: [] },
        { instance: 1, current: i1, history: [] },
      ],
    };
    seed(qc, jobKeys.detail(P, job), detail, fetched);
    seed(qc, jobKeys.list(P), { jobs: [summary({ RUNNING: 2 })], asOf: 1 }, fetched);

    // Instance 0 is restarted: its attempt is killed, and a new one replaces it.
    apply(qc, [
      { kind: 'task', task: { ...i0, state: 'KILLED', updatedAt: 2_000 } },
      { kind: 'task', task: task({ taskId: 'i0-b', instance: 0, state: 'PENDING', ancestorId: 'i0-a', createdAt: 2_100, agentId: null }) },
    ]);
    const after = qc.getQueryData<CallOutput<'jobs.get'>>(jobKeys.detail(P, job))!;
    const inst0 = after.instances.find((i) => i.instance === 0)!;
    expect(inst0.current.taskId).toBe('i0-b');
    expect(inst0.history.map((t) => [t.taskId, t.state])).toEqual([['i0-a', 'KILLED']]);
    expect(after.job.taskCounts).toEqual({ PENDING: 1, RUNNING: 1 });
    expect(qc.getQueryData<CallOutput<'jobs.list'>>(jobKeys.list(P))!.jobs[0]!.taskCounts).toEqual({ PENDING: 1, RUNNING: 1 });
    expect(fetched).toEqual([]);
  });

  it('without the detail, the job list counts from what it knows of the attempt, and refetches only when it cannot know', async () => {
    const qc = client();
    const fetched: string[] = [];
    const t1 = task({ taskId: 't1' });
    seed(qc, taskKeys.detail(P, 't1'), { task: t1, events: [] }, fetched);
    seed(qc, jobKeys.list(P), { jobs: [summary({ RUNNING: 2 })] }, fetched);
    apply(qc, [{ kind: 'task', task: { ...t1, state: 'FAILED' } }]);
    expect(qc.getQueryData<CallOutput<'jobs.list'>>(jobKeys.list(P))!.jobs[0]!.taskCounts).toEqual({ RUNNING: 1, FAILED: 1 });
    // A new instance (no ancestor) adds one.
    apply(qc, [{ kind: 'task', task: task({ taskId: 'n1', instance: 5, state: 'PENDING' }) }]);
    expect(qc.getQueryData<CallOutput<'jobs.list'>>(jobKeys.list(P))!.jobs[0]!.taskCounts).toEqual({ RUNNING: 1, FAILED: 1, PENDING: 1 });
    expect(fetched).toEqual([]);
    // A new attempt of an attempt nobody here has seen: only the scheduler knows the counts.
    apply(qc, [{ kind: 'task', task: task({ taskId: 'x2', instance: 7, ancestorId: 'x1' }) }]);
    await expect.poll(() => fetched).toEqual([JSON.stringify(jobKeys.list(P))]);
  });

  it('a task of a job the list has not seen refetches the job list once, not per task', async () => {
    const qc = client();
    const fetched: string[] = [];
    seed(qc, jobKeys.list(P), { jobs: [summary({ RUNNING: 1 })] }, fetched);
    apply(qc, [
      { kind: 'task', task: task({ taskId: 'o1', jobKey: 'www-data/prod/other' }) },
      { kind: 'task', task: task({ taskId: 'o2', jobKey: 'www-data/prod/other', instance: 1 }) },
    ]);
    await expect.poll(() => fetched).toEqual([JSON.stringify(jobKeys.list(P))]);
  });

  it("agents are replaced, added where their filter matches, and removed; each list's asOf is kept fresh", () => {
    const qc = client();
    const fetched: string[] = [];
    const fixed = { slaveType: 'mesos-fixed' };
    seed(qc, agentKeys.list(P), { agents: [agent({ id: 'a1' }), agent({ id: 'a2' })], asOf: 1_000 }, fetched);
    seed(qc, agentKeys.list(P, fixed), { agents: [agent({ id: 'a1' }), agent({ id: 'a2' })], asOf: 1_000 }, fetched);
    apply(qc, [
      { kind: 'agent', agent: agent({ id: 'a1', used: { cpus: 3, memMb: 1024, diskMb: 0 }, activeTasks: 3 }) },
      { kind: 'agent', agent: agent({ id: 'a3', slaveType: 'mesos-on-demand' }) },
      { kind: 'agent.removed', agentId: 'a2' },
    ]);
    const all = qc.getQueryData<CallOutput<'agents.list'>>(agentKeys.list(P))!;
    expect(all.agents.map((a) => a.id)).toEqual(['a1', 'a3']);
    expect(all.agents[0]!.used.cpus).toBe(3);
    expect(all.asOf).toBe(9_000);
    const onlyFixed = qc.getQueryData<CallOutput<'agents.list'>>(agentKeys.list(P, fixed))!;
    expect(onlyFixed.agents.map((a) => a.id)).toEqual(['a1']);
    // The agent's type changes: out of the filtered list.
    apply(qc, [{ kind: 'agent', agent: agent({ id: 'a1', slaveType: 'model' }) }]);
    expect(qc.getQueryData<CallOutput<'agents.list'>>(agentKeys.list(P, fixed))!.agents).toEqual([]);
    expect(fetched).toEqual([]);
  });

  it('the overview is replaced whole, and freshness is kept under its own key', () => {
    const qc = client();
    const overview: Overview = { agentsByType: [], tasksByState: { RUNNING: 4 }, latestFailures: [], asOf: 5 };
    const freshness: Freshness = { live: true, sources: [{ name: 'mesos', live: true, asOf: 5, error: null }] };
    apply(qc, [
      { kind: 'overview', overview },
      { kind: 'freshness', freshness },
    ]);
    expect(qc.getQueryData(overviewKeys.get(P))).toEqual(overview);
    expect(qc.getQueryData(freshnessKeys.get(P))).toEqual(freshness);
    // Another profile's queries are not touched.
    expect(qc.getQueryData(freshnessKeys.get('other'))).toBeUndefined();
  });

  it('a batch that lost items refetches agents, overview, jobs and tasks once each', async () => {
    const qc = client();
    const fetched: string[] = [];
    seed(qc, agentKeys.list(P), { agents: [], asOf: 1 }, fetched);
    seed(qc, overviewKeys.get(P), { agentsByType: [], tasksByState: {}, latestFailures: [], asOf: 1 }, fetched);
    seed(qc, jobKeys.list(P), { jobs: [] }, fetched);
    seed(qc, taskKeys.list(P, { limit: 200 }), { tasks: [] }, fetched);
    apply(qc, [{ kind: 'task', task: task({ taskId: 'z', jobKey: 'a/b/c' }) }], 12);
    await expect.poll(() => fetched.length).toBe(4);
    expect(new Set(fetched).size).toBe(4);
  });

  it('a resync (the master sent its whole state again) refetches agents, overview, jobs and tasks once each', async () => {
    const qc = client();
    const fetched: string[] = [];
    seed(qc, agentKeys.list(P), { agents: [], asOf: 1 }, fetched);
    seed(qc, overviewKeys.get(P), { agentsByType: [], tasksByState: {}, latestFailures: [], asOf: 1 }, fetched);
    seed(qc, jobKeys.list(P), { jobs: [] }, fetched);
    seed(qc, taskKeys.list(P, { limit: 200 }), { tasks: [] }, fetched);
    apply(qc, [{ kind: 'resync', reason: 'whole state again' }]);
    await expect.poll(() => fetched.length).toBe(4);
    expect(new Set(fetched).size).toBe(4);
  });

  it('a source answering again after an outage refetches what it feeds', async () => {
    const qc = client();
    const fetched: string[] = [];
    seed(qc, agentKeys.list(P), { agents: [], asOf: 1 }, fetched);
    seed(qc, jobKeys.list(P), { jobs: [] }, fetched);
    const down: Freshness = {
      live: false,
      sources: [
        { name: 'mesos', live: false, asOf: 1, error: { code: 'MESOS_UNREACHABLE', message: 'refused' } },
        { name: 'aurora', live: true, asOf: 2, error: null },
      ],
    };
    apply(qc, [{ kind: 'freshness', freshness: down }]);
    expect(fetched).toEqual([]);
    apply(qc, [{ kind: 'freshness', freshness: { live: true, sources: down.sources.map((s) => ({ ...s, live: true, error: null })) } }]);
    await expect.poll(() => fetched).toEqual([JSON.stringify(agentKeys.list(P))]);
  });
});

describe('the "as of" banner says what is last-known and why', () => {
  it('names the failing source with its message and hint, and the one that answers', () => {
    const at = new Date(2026, 11, 3, 18, 4, 5).getTime();
    const text = freshnessText({
      live: false,
      sources: [
        {
          name: 'mesos',
          live: false,
          asOf: at,
          error: { code: 'MESOS_UNREACHABLE', message: 'Connection refused at 127.0.0.1:5050.', hint: 'Check that the master runs.' },
        },
        { name: 'aurora', live: true, asOf: at + 5_000, error: null },
      ],
    });
    expect(text).toEqual({
      what: 'the agents and tasks',
      asOf: at,
      why: ['The Mesos master does not answer: Connection refused at 127.0.0.1:5050. Check that the master runs.', 'Aurora answers'],
    });
    expect(whyText(text!.why)).toBe(
      'The Mesos master does not answer: Connection refused at 127.0.0.1:5050. Check that the master runs; Aurora answers.',
    );
  });

  it('names everything last-known once when both systems are down', () => {
    const error = { code: 'AURORA_UNREACHABLE' as const, message: 'refused' };
    const text = freshnessText({
      live: false,
      sources: [
        { name: 'mesos', live: false, asOf: 20, error },
        { name: 'aurora', live: false, asOf: 10, error },
      ],
    });
    expect(text).toMatchObject({ what: 'the agents, tasks and jobs', asOf: 10 });
  });

  it('is empty while everything is live', () => {
    expect(freshnessText({ live: true, sources: [{ name: 'embedded', live: true, asOf: 1, error: null }] })).toBeNull();
  });
});

describe('events while changes are pushed', () => {
  it('a task event refetches nothing the changes already wrote, an agent event only pools and machines, a new job the jobs', () => {
    expect(kindsTouchedBy('task.state', true)).toEqual([]);
    expect(kindsTouchedBy('agent.registered', true)).toEqual(['pools', 'instances']);
    expect(kindsTouchedBy('job.created', true)).toContain('jobs');
    // Without the changes stream, events refresh what they touch, as before.
    expect(kindsTouchedBy('task.state')).toEqual(['agents', 'overview', 'jobs', 'tasks']);
  });
});
