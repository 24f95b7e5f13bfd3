import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { embeddedProfile } from '../../../core/embedded/profile.js';
import type { AgentRecord } from '../../../core/model/agent.js';
import { parseJobFile } from '../../../core/model/job-file.js';
import { scheduleRound } from '../../../core/scheduler/round.js';
import { createSchedulerState, type SchedulerState } from '../../../core/scheduler/scheduler.js';
import { openStore, type Store } from '../../../core/store/index.js';

const agent = (id: string): AgentRecord => ({
  id,
  hostname: `${id}.local`,
  ip: null,
  slaveType: 'mesos-on-demand',
  instanceType: 'm5.xlarge',
  resources: { cpus: 4, memMb: 16384, diskMb: 102400, ports: '[31000-31099]' },
  attributes: { host: `${id}.local`, 'slave-type': 'mesos-on-demand' },
  sandboxRoot: `/nonexistent/${id}`,
  state: 'registered',
  registeredAt: 1,
});

function spec(service: boolean) {
  const parsed = parseJobFile(
    JSON.stringify({
      jobs: [
        {
          cluster: 'embedded',
          role: 'qa',
          environment: 'devel',
          name: 'svc',
          service,
          task: { name: 'svc', processes: [{ name: 'main', cmdline: 'sleep 600' }], resources: { cpu: 1, ram: 64 << 20, disk: 64 << 20 } },
        },
      ],
    }),
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.jobs;
}

let dir: string;
let store: Store;
let state: SchedulerState;
let clock: number;
const killed: string[] = [];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cantareira-sched-'));
  store = openStore(path.join(dir, 'db.sqlite'));
  store.profiles.ensure(embeddedProfile, 1);
  clock = 1_000_000;
  killed.length = 0;
  state = createSchedulerState({
    store,
    profileId: 'embedded',
    now: () => clock,
    random: () => 0.5,
    launcher: { kill: (taskId) => void killed.push(taskId) },
  });
});

afterEach(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Places pending tasks on the agents and reports each launched task RUNNING. */
function placeAndRun(agents: AgentRecord[]) {
  const launched: string[] = [];
  scheduleRound(
    state,
    agents,
    (task) => {
      launched.push(task.taskId);
      return { sandboxDir: `/sandboxes/${task.taskId}` };
    },
    () => 0.5,
  );
  for (const taskId of launched) {
    state.onStatus({ taskId, state: 'STARTING', reason: null, message: 'starting', exitCode: null, at: clock });
    state.onStatus({ taskId, state: 'RUNNING', reason: null, message: 'running', exitCode: null, at: clock });
  }
  return launched;
}

describe('when an agent goes away', () => {
  it("its running tasks become LOST and a service's instance gets a new attempt linked to the lost one", () => {
    state.createJobs(spec(true), 'test');
    const [taskId] = placeAndRun([agent('a1')]);
    expect(store.tasks.get('embedded', taskId!)?.state).toBe('RUNNING');

    clock += 10 * 60_000; // long enough that the lost attempt did not flap
    state.agentGone('a1', 'Agent a1 was removed');

    const lost = store.tasks.get('embedded', taskId!)!;
    expect(lost).toMatchObject({ state: 'LOST', message: 'Agent a1 was removed' });
    const next = [...state.active.values()].filter((t) => t.jobKey === 'qa/devel/svc');
    expect(next).toHaveLength(1);
    expect(next[0]).toMatchObject({ state: 'PENDING', ancestorId: taskId, instance: 0 });

    // It runs again on the agent that is left.
    const [again] = placeAndRun([agent('a2')]);
    expect(store.tasks.get('embedded', again!)).toMatchObject({ state: 'RUNNING', agentId: 'a2', ancestorId: taskId });
  });

  it('tasks on other agents are left alone', () => {
    state.createJobs(spec(false), 'test');
    const [taskId] = placeAndRun([agent('a1')]);
    state.agentGone('a2', 'Agent a2 was removed');
    expect(store.tasks.get('embedded', taskId!)?.state).toBe('RUNNING');
    expect(killed).toEqual([]);
  });
});
