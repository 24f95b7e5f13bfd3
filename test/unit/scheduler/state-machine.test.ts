import { describe, expect, it } from 'vitest';
import { taskStates, type TaskState } from '../../../core/model/task.js';
import {
  ACTIVE_STATES,
  LIVE_STATES,
  SLAVE_ASSIGNED_STATES,
  TERMINAL_STATES,
  legalTargets,
  transition,
  type MachineState,
  type SideEffect,
  type TransitionInput,
} from '../../../core/scheduler/state-machine.js';

const states: MachineState[] = [...taskStates, 'DELETED'];

/** Transcribed from shared/reference/aurora.md §2.2, independently of the implementation. */
const interrupted: MachineState[] = ['FINISHED', 'FAILED', 'KILLING', 'KILLED', 'LOST', 'PARTITIONED'];
const referenceTable: Record<MachineState, MachineState[]> = {
  INIT: ['PENDING', 'THROTTLED'],
  PENDING: ['ASSIGNED', 'KILLING'],
  THROTTLED: ['PENDING', 'KILLING'],
  ASSIGNED: ['STARTING', 'RUNNING', 'FINISHED', 'FAILED', 'RESTARTING', 'DRAINING', 'KILLED', 'KILLING', 'LOST', 'PREEMPTING'],
  STARTING: ['RUNNING', 'FINISHED', 'FAILED', 'RESTARTING', 'DRAINING', 'KILLING', 'KILLED', 'LOST', 'PREEMPTING', 'PARTITIONED'],
  RUNNING: ['FINISHED', 'RESTARTING', 'DRAINING', 'FAILED', 'KILLING', 'KILLED', 'LOST', 'PREEMPTING', 'PARTITIONED'],
  PREEMPTING: interrupted,
  RESTARTING: interrupted,
  DRAINING: interrupted,
  KILLING: ['FINISHED', 'FAILED', 'KILLED', 'LOST', 'DELETED', 'PARTITIONED'],
  PARTITIONED: ['LOST', 'FAILED', 'FINISHED', 'RUNNING', 'ASSIGNED', 'STARTING', 'RESTARTING', 'DRAINING', 'PREEMPTING', 'KILLING'],
  FINISHED: ['DELETED'],
  FAILED: ['DELETED'],
  KILLED: ['DELETED'],
  LOST: ['DELETED'],
  DELETED: [],
};

const batch = { service: false, maxTaskFailures: 1, failureCount: 0 };
const run = (from: MachineState, to: MachineState, extra: Partial<TransitionInput> = {}) => transition({ from, to, ...batch, ...extra });
const effects = (from: MachineState, to: MachineState, extra: Partial<TransitionInput> = {}): SideEffect[] =>
  run(from, to, extra).effects.slice().sort();

describe('legality of every (from, to) pair', () => {
  it.each(states)('from %s, exactly the reference targets are legal', (from) => {
    const legal = states.filter((to) => to !== from && run(from, to).legal);
    expect(legal.sort()).toEqual([...referenceTable[from]].sort());
    expect(legalTargets(from).sort()).toEqual([...referenceTable[from]].sort());
  });

  it('a transition to the same state is a legal no-op with nothing to do', () => {
    for (const s of states) expect(run(s, s)).toEqual({ legal: true, outcome: 'NOOP', effects: [] });
  });

  it('illegal transitions have no effects, except a dead or stopping task reported alive, which is killed', () => {
    const alive = ['ASSIGNED', 'STARTING', 'RUNNING'];
    const killOnAlive = new Set(['FINISHED', 'FAILED', 'KILLED', 'LOST', 'KILLING', 'DELETED', 'PREEMPTING', 'RESTARTING', 'DRAINING']);
    for (const from of states) {
      for (const to of states) {
        const r = run(from, to);
        if (r.legal) continue;
        if (killOnAlive.has(from) && alive.includes(to)) {
          expect(r, `${from} -> ${to}`).toEqual({ legal: false, outcome: 'ILLEGAL_WITH_SIDE_EFFECTS', effects: ['KILL'] });
        } else {
          expect(r, `${from} -> ${to}`).toEqual({ legal: false, outcome: 'ILLEGAL', effects: [] });
        }
      }
    }
  });
});

describe('side effects', () => {
  it('a batch task with max_task_failures=3 is retried twice, then stays FAILED', () => {
    const attempts = [0, 1, 2].map((failureCount) => effects('RUNNING', 'FAILED', { maxTaskFailures: 3, failureCount }));
    expect(attempts).toEqual([['INCREMENT_FAILURES', 'RESCHEDULE'], ['INCREMENT_FAILURES', 'RESCHEDULE'], ['INCREMENT_FAILURES']]);
  });

  it('the default max_task_failures of 1 never retries a batch task', () => {
    expect(effects('RUNNING', 'FAILED')).toEqual(['INCREMENT_FAILURES']);
  });

  it('max_task_failures=-1 and services retry however often they failed', () => {
    expect(effects('RUNNING', 'FAILED', { maxTaskFailures: -1, failureCount: 1000 })).toEqual(['INCREMENT_FAILURES', 'RESCHEDULE']);
    expect(effects('STARTING', 'FAILED', { service: true, maxTaskFailures: 1, failureCount: 50 })).toEqual([
      'INCREMENT_FAILURES',
      'RESCHEDULE',
    ]);
  });

  it.each(['ASSIGNED', 'STARTING', 'RUNNING'] as const)('from %s: FINISHED reschedules only a service', (from) => {
    expect(effects(from, 'FINISHED')).toEqual([]);
    expect(effects(from, 'FINISHED', { service: true })).toEqual(['RESCHEDULE']);
  });

  it.each(['ASSIGNED', 'STARTING', 'RUNNING'] as const)('from %s: a KILLED not preceded by KILLING reschedules', (from) => {
    expect(effects(from, 'KILLED')).toEqual(['RESCHEDULE']);
  });

  it.each(['ASSIGNED', 'STARTING', 'RUNNING'] as const)('from %s: asking it to stop sends a KILL', (from) => {
    for (const to of ['RESTARTING', 'DRAINING', 'PREEMPTING', 'KILLING'] as const) expect(effects(from, to)).toEqual(['KILL']);
  });

  it('LOST reschedules; only a task lost while ASSIGNED is also killed (TaskStateMachine.java)', () => {
    expect(effects('ASSIGNED', 'LOST')).toEqual(['KILL', 'RESCHEDULE']);
    expect(effects('STARTING', 'LOST')).toEqual(['RESCHEDULE']);
    expect(effects('RUNNING', 'LOST')).toEqual(['RESCHEDULE']);
  });

  it('killing a PENDING or THROTTLED task deletes it', () => {
    expect(run('PENDING', 'KILLING')).toEqual({ legal: true, outcome: 'SUCCESS', effects: ['DELETE'] });
    expect(run('THROTTLED', 'KILLING')).toEqual({ legal: true, outcome: 'SUCCESS', effects: ['DELETE'] });
  });

  it('a task being killed never reschedules, and a partition while killing is forced to LOST', () => {
    for (const to of ['FINISHED', 'FAILED', 'KILLED', 'LOST'] as const) {
      expect(effects('KILLING', to, { service: true, maxTaskFailures: -1 })).toEqual([]);
    }
    expect(effects('KILLING', 'PARTITIONED')).toEqual(['TRANSITION_TO_LOST']);
    expect(effects('KILLING', 'DELETED')).toEqual(['DELETE']);
  });

  it.each(['PREEMPTING', 'RESTARTING', 'DRAINING'] as const)('from %s: every end reschedules, without counting a failure', (from) => {
    expect(effects(from, 'FINISHED')).toEqual(['RESCHEDULE']);
    expect(effects(from, 'FAILED')).toEqual(['RESCHEDULE']);
    expect(effects(from, 'KILLED')).toEqual(['RESCHEDULE']);
    expect(effects(from, 'LOST')).toEqual(['KILL', 'RESCHEDULE']);
    expect(effects(from, 'PARTITIONED')).toEqual(['TRANSITION_TO_LOST']);
    expect(effects(from, 'KILLING')).toEqual([]);
  });

  it('a partitioned task: LOST kills and reschedules unless it was being killed; actions give up on it', () => {
    expect(effects('PARTITIONED', 'LOST')).toEqual(['KILL', 'RESCHEDULE']);
    expect(effects('PARTITIONED', 'LOST', { wasKilling: true })).toEqual(['KILL']);
    for (const to of ['KILLING', 'RESTARTING', 'DRAINING', 'PREEMPTING'] as const) {
      expect(effects('PARTITIONED', to)).toEqual(['TRANSITION_TO_LOST']);
    }
    expect(effects('PARTITIONED', 'FAILED', { maxTaskFailures: 3 })).toEqual(['INCREMENT_FAILURES', 'RESCHEDULE']);
    for (const to of ['RUNNING', 'ASSIGNED', 'STARTING', 'FINISHED'] as const)
      expect(effects('PARTITIONED', to, { service: true })).toEqual([]);
  });

  it('a terminated task may only be deleted; reported alive, it is killed and stays terminated', () => {
    for (const from of TERMINAL_STATES) {
      expect(run(from, 'DELETED')).toEqual({ legal: true, outcome: 'SUCCESS', effects: ['DELETE'] });
      expect(run(from, 'RUNNING')).toEqual({ legal: false, outcome: 'ILLEGAL_WITH_SIDE_EFFECTS', effects: ['KILL'] });
      expect(run(from, 'PENDING')).toEqual({ legal: false, outcome: 'ILLEGAL', effects: [] });
    }
  });

  it('quiet transitions (INIT → PENDING, PENDING → ASSIGNED, ASSIGNED → RUNNING) have no effects', () => {
    expect(run('INIT', 'PENDING').effects).toEqual([]);
    expect(run('INIT', 'THROTTLED').effects).toEqual([]);
    expect(run('PENDING', 'ASSIGNED').effects).toEqual([]);
    expect(run('ASSIGNED', 'STARTING').effects).toEqual([]);
    expect(run('STARTING', 'RUNNING').effects).toEqual([]);
    expect(run('RUNNING', 'PARTITIONED').effects).toEqual([]);
  });
});

describe('state sets', () => {
  const all = new Set<TaskState>(taskStates);
  it('match api.thrift', () => {
    expect([...ACTIVE_STATES].sort()).toEqual(
      ['ASSIGNED', 'DRAINING', 'KILLING', 'PENDING', 'PREEMPTING', 'RESTARTING', 'RUNNING', 'STARTING', 'PARTITIONED', 'THROTTLED'].sort(),
    );
    expect([...SLAVE_ASSIGNED_STATES].sort()).toEqual([...ACTIVE_STATES].filter((s) => s !== 'PENDING' && s !== 'THROTTLED').sort());
    expect([...LIVE_STATES].sort()).toEqual(['DRAINING', 'KILLING', 'PARTITIONED', 'PREEMPTING', 'RESTARTING', 'RUNNING']);
    expect([...TERMINAL_STATES].sort()).toEqual(['FAILED', 'FINISHED', 'KILLED', 'LOST']);
  });
  it('every state but INIT is active or terminal, never both', () => {
    for (const s of all) {
      if (s === 'INIT') continue;
      expect(ACTIVE_STATES.has(s) !== TERMINAL_STATES.has(s), s).toBe(true);
    }
    for (const s of LIVE_STATES) expect(SLAVE_ASSIGNED_STATES.has(s)).toBe(true);
  });
});
