import { describe, expect, expectTypeOf, it } from 'vitest';
import { taskStateName, type Agent, type Pool as ContractPool } from '../../../core/contract/index.js';
import type { AgentRecord } from '../../../core/model/agent.js';
import type { Pool } from '../../../core/model/pool.js';
import { taskStates } from '../../../core/model/task.js';

// The domain (core/model) does not import the wire contract, so what both name is written
// twice; these keep the two in step.
describe('the domain and the contract name the same things', () => {
  it('task states', () => {
    expect([...taskStates]).toEqual(taskStateName.options);
  });

  it('an agent as registered is the contract agent without what its tasks use', () => {
    expectTypeOf<Omit<Agent, 'used' | 'activeTasks'>>().toEqualTypeOf<AgentRecord>();
  });

  it('a contract pool is a domain pool', () => {
    expectTypeOf<ContractPool>().toExtend<Pool>();
  });
});
