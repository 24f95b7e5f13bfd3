/**
 * The live model (core/real/live-model.ts) kept change by change is the model built afresh from
 * the same state: after thousands of mixed events (tasks added, re-added, updated to every
 * state, agents added and removed), its indexes hold exactly the same tasks.
 */
import { describe, expect, it } from 'vitest';
import { applyEvent, decodeEvent, liveStateOf, noChanges, snapshotOf } from '../../../core/mesos/events.js';
import { parseGetState } from '../../../core/mesos/state.js';
import { buildModel, type StateIndex } from '../../../core/real/live-model.js';
import { eventBytes, events, type StatusSpec, type TaskSpec } from '../../integration/fixtures/mesos-events.js';
import { example, getStateText } from '../../integration/fixtures/mesos-payloads.js';

const url = 'http://10.20.0.5:5050/api/v1';
const fw = example.frameworkId;

/** What an index says, as plain ids: comparable between two models. */
function contents(ix: StateIndex) {
  const ids = (m: Map<string, { id: string }[]>) =>
    Object.fromEntries([...m].filter(([, l]) => l.length > 0).map(([k, l]) => [k, l.map((t) => t.id).sort()] as const));
  return {
    tasks: Object.fromEntries([...ix.taskById].map(([id, t]) => [id, `${t.state} ${t.statuses.length}`] as const)),
    byAgent: ids(ix.activeByAgent),
    byName: ids(ix.activeByName),
    agents: [...ix.agentById.keys()].sort(),
    activeTasks: Object.fromEntries(ix.agents.map((a) => [a.id, a.activeTasks] as const)),
  };
}

describe('the live model', () => {
  it('kept through 3,000 mixed events, holds what a model built afresh from the same state holds', () => {
    const live = liveStateOf(parseGetState(getStateText(), url, 1000), { maxCompletedPerFramework: 50 });
    const model = buildModel(live.state, { agentPositions: live.agents });
    model.follow(live);
    let seed = 5;
    const r = () => {
      seed = (seed + 0x6d2b79f5) >>> 0;
      let z = seed;
      z = Math.imul(z ^ (z >>> 15), z | 1);
      z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
      return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
    };
    const states = ['TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING', 'TASK_FINISHED', 'TASK_FAILED', 'TASK_LOST', 'TASK_UNREACHABLE'];
    const task = (n: number, agentId: string): TaskSpec => ({
      taskId: `t-${n}`,
      frameworkId: fw,
      agentId,
      executorId: `thermos-t-${n}`,
      name: `www-data/prod/job_${n % 7}`,
      state: 'TASK_STAGING',
    });
    let changes = noChanges();
    for (let k = 0; k < 3000; k++) {
      const n = Math.floor(r() * 300);
      const agentId = `${example.masterId}-S${100 + Math.floor(r() * 20)}`;
      const x = r();
      const status = (state: string): StatusSpec => ({ taskId: `t-${n}`, agentId, state, timestamp: 1718003402 + k });
      const event =
        x < 0.3
          ? events.taskAdded(task(n, agentId))
          : x < 0.9
            ? events.taskUpdated(fw, status(states[Math.floor(r() * states.length)]!))
            : x < 0.95
              ? events.agentAdded({ id: agentId, hostname: 'h', ip: '10.0.0.1', slaveType: 't', registeredNs: 1n })
              : events.agentRemoved(agentId);
      applyEvent(live, decodeEvent(eventBytes(event)), 2000 + k, url, changes);
      // A delivery now and then, as the stream batches them.
      if (k % 17 === 16) {
        model.apply(changes);
        changes = noChanges();
      }
    }
    model.apply(changes);
    expect(contents(model.index)).toEqual(contents(buildModel(snapshotOf(live)).index));
  });
});
