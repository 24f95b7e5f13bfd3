import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AgentRecord as Agent } from '../../../core/model/agent.js';
import type { ClusterEvent } from '../../../core/contract/events.js';
import type { TaskRecord } from '../../../core/model/task.js';
import { openStore, type Store } from '../../../core/store/index.js';
import { makeTasks } from '../../fixtures/tasks.js';

let dir: string;
let file: string;
let store: Store;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cantareira-repo-'));
  file = path.join(dir, 'console.db');
  store = openStore(file);
});
afterEach(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function addProfile(id: string, name = id, builtin = false): void {
  store.profiles.ensure({ id, name, kind: 'embedded', builtin, pools: [] }, 1000);
}

describe('profiles', () => {
  it('are listed built-in first, then by name, with their pools', () => {
    addProfile('b', 'beta');
    addProfile('a', 'alpha');
    store.profiles.ensure(
      {
        id: 'embedded',
        name: 'zeta',
        kind: 'embedded',
        builtin: true,
        pools: [{ name: 'mesos-fixed', kind: 'fixed', instanceTypes: ['m5.2xlarge'], count: 1 }],
      },
      1000,
    );
    const list = store.profiles.list();
    expect(list.map((p) => p.name)).toEqual(['zeta', 'alpha', 'beta']);
    expect(list[0]).toEqual({
      id: 'embedded',
      name: 'zeta',
      kind: 'embedded',
      builtin: true,
      pools: [{ name: 'mesos-fixed', kind: 'fixed', instanceTypes: ['m5.2xlarge'], count: 1 }],
      aws: null,
      mesos: null,
      aurora: null,
      createdAt: 1000,
      updatedAt: 1000,
    });
    expect(store.profiles.get('nope')).toBeNull();
  });

  it('ensuring a profile that exists keeps the stored one', () => {
    store.profiles.ensure({ id: 'p', name: 'first', kind: 'embedded', builtin: false, pools: [] }, 1000);
    store.profiles.ensure({ id: 'p', name: 'second', kind: 'mesos', builtin: true, pools: [] }, 2000);
    expect(store.profiles.list()).toHaveLength(1);
    expect(store.profiles.get('p')).toMatchObject({ name: 'first', kind: 'embedded', builtin: false, createdAt: 1000 });
  });

  it('the active profile is remembered across restarts', () => {
    addProfile('a');
    addProfile('b');
    expect(store.profiles.activeId()).toBeNull();
    store.profiles.setActive('a');
    store.profiles.setActive('b');
    store.close();
    store = openStore(file);
    expect(store.profiles.activeId()).toBe('b');
  });
});

describe('agents', () => {
  function agent(id: string, slaveType: string, over: Partial<Agent> = {}): Agent {
    return {
      id,
      hostname: `${id}.local`,
      ip: null,
      slaveType,
      instanceType: 'm5.xlarge',
      resources: { cpus: 4, memMb: 16384, diskMb: 102400, ports: '[31000-31099]' },
      attributes: { 'slave-type': slaveType, zone: 'us-east-1a' },
      sandboxRoot: `/data/${id}`,
      state: 'registered',
      registeredAt: 10,
      ...over,
    };
  }

  beforeEach(() => {
    addProfile('p');
    addProfile('other');
  });

  it('are listed per profile by slave type then hostname, exactly as written', () => {
    store.agents.upsert('p', agent('od-2', 'mesos-on-demand'), 20);
    store.agents.upsert('p', agent('fixed-1', 'mesos-fixed', { instanceType: 'm5.2xlarge' }), 20);
    store.agents.upsert('p', agent('od-1', 'mesos-on-demand'), 20);
    store.agents.upsert('other', agent('x-1', 'mesos-fixed'), 20);

    const list = store.agents.list('p');
    expect(list.map((a) => a.id)).toEqual(['fixed-1', 'od-1', 'od-2']);
    expect(list[1]).toEqual(agent('od-1', 'mesos-on-demand'));
    expect(store.agents.list('other').map((a) => a.id)).toEqual(['x-1']);
  });

  it('can be filtered by slave type', () => {
    store.agents.upsert('p', agent('fixed-1', 'mesos-fixed'), 20);
    store.agents.upsert('p', agent('od-1', 'mesos-on-demand'), 20);
    store.agents.upsert('p', agent('od-2', 'mesos-on-demand'), 20);
    expect(store.agents.list('p', 'mesos-on-demand').map((a) => a.id)).toEqual(['od-1', 'od-2']);
    expect(store.agents.list('p', 'mesos-spot')).toEqual([]);
  });

  it('an upsert of a known agent updates it instead of adding another', () => {
    store.agents.upsert('p', agent('od-1', 'mesos-on-demand'), 20);
    store.agents.upsert('p', agent('od-1', 'mesos-on-demand', { state: 'unreachable', hostname: 'renamed.local' }), 30);
    expect(store.agents.list('p')).toEqual([agent('od-1', 'mesos-on-demand', { state: 'unreachable', hostname: 'renamed.local' })]);
  });

  it('agents that are gone are hidden from every listing', () => {
    store.agents.upsert('p', agent('od-1', 'mesos-on-demand'), 20);
    store.agents.upsert('p', agent('od-2', 'mesos-on-demand'), 20);
    store.agents.upsert('p', agent('od-2', 'mesos-on-demand', { state: 'gone' }), 30);
    expect(store.agents.list('p').map((a) => a.id)).toEqual(['od-1']);
    expect(store.agents.list('p', 'mesos-on-demand').map((a) => a.id)).toEqual(['od-1']);
  });

  it('cannot be written for a profile that does not exist', () => {
    expect(() => store.agents.upsert('missing', agent('a', 'mesos-fixed'), 20)).toThrow(/FOREIGN KEY/);
  });
});

describe('tasks', () => {
  beforeEach(() => {
    addProfile('p');
    addProfile('other');
  });

  function all(profileId: string): TaskRecord[] {
    return store.tasks.page(profileId, null, 1_000_000).tasks;
  }

  it('upsertMany stores tasks and later updates their state but not their identity', () => {
    const [a, b] = makeTasks(2);
    store.tasks.upsertMany('p', [a!, b!]);
    expect(all('p')).toEqual([a, b].sort((x, y) => (x!.taskId < y!.taskId ? -1 : 1)));

    const finished: TaskRecord = { ...a!, state: 'FINISHED', exitCode: 0, updatedAt: a!.updatedAt + 5, createdAt: 1, jobKey: 'x/y/z' };
    store.tasks.upsertMany('p', [finished]);
    const stored = all('p').find((t) => t.taskId === a!.taskId)!;
    expect(stored).toEqual({ ...a, state: 'FINISHED', exitCode: 0, updatedAt: a!.updatedAt + 5 });
    expect(all('p')).toHaveLength(2);
  });

  it('upsertMany writes all tasks or none: one bad row rolls back the whole batch', () => {
    const tasks = makeTasks(50);
    store.tasks.upsertMany('p', tasks.slice(0, 10));
    const before = all('p');

    const batch: TaskRecord[] = [
      { ...tasks[0]!, state: 'KILLED' }, // an update of a stored task
      ...tasks.slice(10, 49), // new tasks
      { ...tasks[49]!, jobKey: null as unknown as string }, // violates NOT NULL
    ];
    expect(() => store.tasks.upsertMany('p', batch)).toThrow(/NOT NULL/);
    expect(all('p')).toEqual(before);

    // The same batch without the bad row goes in whole.
    store.tasks.upsertMany('p', batch.slice(0, -1));
    expect(all('p')).toHaveLength(49);
  });

  it('keyset pages of 100 visit every task exactly once, in task id order', () => {
    const tasks = makeTasks(1037);
    store.tasks.upsertMany('p', tasks);
    store.tasks.upsertMany('other', makeTasks(30, 7));

    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page = store.tasks.page('p', after, 100);
      expect(page.tasks.length).toBeLessThanOrEqual(100);
      seen.push(...page.tasks.map((t) => t.taskId));
      after = page.next;
      pages++;
    } while (after !== null);

    expect(pages).toBe(11);
    expect(seen).toEqual(tasks.map((t) => t.taskId).sort());
  });

  it('paging ends cleanly when the number of tasks is an exact multiple of the page size', () => {
    store.tasks.upsertMany('p', makeTasks(200));
    const first = store.tasks.page('p', null, 100);
    const second = store.tasks.page('p', first.next, 100);
    expect(second.tasks).toHaveLength(100);
    const third = store.tasks.page('p', second.next, 100);
    expect(third).toEqual({ tasks: [], next: null });
  });

  it('tasks added before the cursor while paging neither repeat nor hide later ones', () => {
    const tasks = makeTasks(300);
    store.tasks.upsertMany('p', tasks);
    const first = store.tasks.page('p', null, 100);
    // New tasks that sort before everything already seen.
    store.tasks.upsertMany(
      'p',
      makeTasks(50, 99).map((t) => ({ ...t, taskId: `aaa-${t.taskId}` })),
    );

    const rest: string[] = [];
    for (let after = first.next; after !== null;) {
      const page = store.tasks.page('p', after, 100);
      rest.push(...page.tasks.map((t) => t.taskId));
      after = page.next;
    }
    expect([...first.tasks.map((t) => t.taskId), ...rest]).toEqual(tasks.map((t) => t.taskId).sort());
  });
});

describe('cluster events', () => {
  beforeEach(() => {
    addProfile('p');
    addProfile('other');
  });

  const event = (n: number): Omit<ClusterEvent, 'id'> => ({
    at: 1000 + n,
    kind: 'agent.registered',
    subject: `agent-${n}`,
    message: `Agent agent-${n} registered`,
  });

  it('are read back after a cursor, oldest first, a page at a time', () => {
    const appended = [1, 2, 3, 4, 5].map((n) => store.events.append('p', event(n)));
    store.events.append('other', event(99));
    expect(appended.map((e) => e.id)).toEqual([...appended.map((e) => e.id)].sort((a, b) => a - b));

    expect(store.events.after('p', 0, 100)).toEqual(appended);
    expect(store.events.after('p', appended[1]!.id, 2)).toEqual(appended.slice(2, 4));
    expect(store.events.after('p', appended[4]!.id, 100)).toEqual([]);
  });

  it('ids keep growing across restarts, so a saved cursor stays valid', () => {
    const first = store.events.append('p', event(1));
    store.close();
    store = openStore(file);
    const second = store.events.append('p', event(2));
    expect(second.id).toBeGreaterThan(first.id);
    expect(store.events.after('p', first.id, 10)).toEqual([second]);
  });

  it('listeners hear each append with its id until they unsubscribe', () => {
    const heard = vi.fn();
    const off = store.events.onAppend(heard);
    const e1 = store.events.append('p', event(1));
    const e2 = store.events.append('other', event(2));
    off();
    store.events.append('p', event(3));
    expect(heard.mock.calls).toEqual([
      ['p', e1],
      ['other', e2],
    ]);
    expect(e1).toEqual({ id: e1.id, ...event(1) });
  });
});
