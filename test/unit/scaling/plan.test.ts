import { describe, expect, it } from 'vitest';
import type { CloudInstance } from '../../../core/cloud/provider.js';
import type { Pool } from '../../../core/contract/profiles.js';
import { planScale, type AgentOnMachine, type PlanInput } from '../../../core/scaling/plan.js';
import type { HoldRecord } from '../../../core/store/holds.js';

const now = 1_800_000_000_000;
const onDemand: Pool = { name: 'mesos-on-demand', kind: 'on-demand', instanceTypes: ['m5.xlarge'], count: 2 };

function machine(n: number, over: Partial<CloudInstance> = {}): CloudInstance {
  return {
    id: `i-${n}`,
    name: `dev-mesos-on-demand-${n}`,
    type: 'm5.xlarge',
    state: 'running',
    lifecycle: 'on-demand',
    autoScalingGroup: 'dev-mesos-on-demand',
    spotGroup: null,
    launchTime: now - n * 1000,
    privateIp: `10.0.0.${n}`,
    zone: 'us-east-1a',
    operationId: null,
    hold: null,
    tags: {},
    ...over,
  };
}
const agentOn = (n: number, tasks: number): AgentOnMachine => ({
  id: `agent-${n}`,
  hostname: `ip-10-0-0-${n}`,
  ip: `10.0.0.${n}`,
  slaveType: 'mesos-on-demand',
  tasks: Array.from({ length: tasks }, (_, k) => ({ taskId: `t-${n}-${k}`, jobKey: 'qa/prod/etl', instance: k, state: 'RUNNING' })),
});

function input(over: Partial<PlanInput>): PlanInput {
  const instances = over.instances ?? [machine(1), machine(2), machine(3)];
  return {
    request: { kind: 'set-desired', pool: onDemand.name, count: 3 },
    pool: onDemand,
    instances,
    group: {
      name: 'dev-mesos-on-demand',
      min: 0,
      max: 10,
      desired: instances.length,
      inService: instances.length,
      instanceIds: instances.map((i) => i.id),
    },
    agents: [agentOn(1, 2), agentOn(2, 0), agentOn(3, 1)],
    holds: [],
    now,
    timeoutMs: 300_000,
    ...over,
  };
}
const hold = (over: Partial<HoldRecord>): HoldRecord => ({
  id: 'h',
  targetKind: 'instance',
  target: 'i-2',
  pool: onDemand.name,
  until: now + 3_600_000,
  reason: 'debugging',
  actor: 'ana',
  createdAt: now,
  ...over,
});

describe('planning a scale-down', () => {
  it('removes the machines with the fewest running tasks first, and names the tasks that would be lost', () => {
    const plan = planScale(input({ request: { kind: 'set-desired', pool: onDemand.name, count: 1 } }));
    expect(plan.remove.map((r) => [r.instanceId, r.agentId, r.tasks.length])).toEqual([
      ['i-2', 'agent-2', 0],
      ['i-3', 'agent-3', 1],
    ]);
    expect(plan.requires).toEqual({ acceptTaskLoss: true, typedName: null });
    expect(plan.summary).toBe('Remove 2 mesos-on-demand nodes (3 → 1); 1 running task will be LOST');
  });

  it('leaves held machines for last and refuses when a held one would have to go', () => {
    const held = [hold({ target: 'i-2' })];
    const one = planScale(input({ request: { kind: 'set-desired', pool: onDemand.name, count: 2 }, holds: held }));
    expect(one.remove.map((r) => r.instanceId)).toEqual(['i-3']);
    expect(one.refusals).toEqual([]);
    const all = planScale(input({ request: { kind: 'set-desired', pool: onDemand.name, count: 0 }, holds: held }));
    expect(all.refusals).toEqual([
      expect.stringMatching(/^dev-mesos-on-demand-2 is held until .* UTC: "debugging" — set by ana\. Release the hold first\.$/),
    ]);
    expect(all.requires.typedName).toBe('mesos-on-demand');
  });

  it('a pool hold or a hold tag on the machine counts the same as a console hold', () => {
    const pool = planScale(
      input({
        request: { kind: 'remove', pool: onDemand.name, instanceIds: ['i-1'] },
        holds: [hold({ targetKind: 'pool', target: onDemand.name })],
      }),
    );
    expect(pool.refusals[0]).toContain('the whole mesos-on-demand pool is held');
    const tagged = planScale(
      input({
        request: { kind: 'remove', pool: onDemand.name, instanceIds: ['i-1'] },
        instances: [machine(1, { hold: { until: now + 1000, reason: 'from a teammate' } })],
      }),
    );
    expect(tagged.refusals[0]).toContain('"from a teammate"');
    const expired = planScale(
      input({ request: { kind: 'remove', pool: onDemand.name, instanceIds: ['i-1'] }, holds: [hold({ target: 'i-1', until: now - 1 })] }),
    );
    expect(expired.refusals).toEqual([]);
  });

  it('refuses instances that are not live in the pool', () => {
    const plan = planScale(input({ request: { kind: 'remove', pool: onDemand.name, instanceIds: ['i-1', 'i-99'] } }));
    expect(plan.refusals).toEqual(['Not live in mesos-on-demand: i-99. Refresh the instances list and choose again.']);
  });
});

describe('planning a scale-up', () => {
  it('adds nodes of the pool type within the group limits', () => {
    const plan = planScale(input({ request: { kind: 'set-desired', pool: onDemand.name, count: 5 } }));
    expect(plan).toMatchObject({ current: 3, target: 5, remove: [], refusals: [], summary: 'Add 2 mesos-on-demand nodes (3 → 5)' });
    expect(plan.add).toHaveLength(2);
    expect(planScale(input({ request: { kind: 'set-desired', pool: onDemand.name, count: 11 } })).refusals).toEqual([
      'mesos-on-demand can run between 0 and 10 nodes; 11 is outside that range.',
    ]);
  });

  it('a spot group must be of compatible types', () => {
    const spot: Pool = { name: 'mesos-spot', kind: 'spot', instanceTypes: ['m5.2xlarge', 'm5n.2xlarge'], count: 0 };
    const ok = planScale(
      input({ pool: spot, instances: [], group: null, request: { kind: 'create-spot-group', pool: 'mesos-spot', count: 3 } }),
    );
    expect(ok.refusals).toEqual([]);
    expect(ok.add.map((a) => a.instanceType)).toEqual(['m5.2xlarge', 'm5n.2xlarge', 'm5.2xlarge']);
    const bad = planScale(
      input({
        pool: spot,
        instances: [],
        group: null,
        request: { kind: 'create-spot-group', pool: 'mesos-spot', count: 3, instanceTypes: ['m5.2xlarge', 'm5.xlarge'] },
      }),
    );
    expect(bad.refusals).toHaveLength(1);
  });

  it('a fixed pool is never scaled, and a request of the wrong kind is refused', () => {
    const fixed: Pool = { name: 'mesos-fixed', kind: 'fixed', instanceTypes: ['m5.2xlarge'], count: 1 };
    expect(planScale(input({ pool: fixed, request: { kind: 'remove', pool: 'mesos-fixed', instanceIds: ['i-1'] } })).refusals[0]).toContain(
      'never scaled by the console',
    );
    expect(planScale(input({ request: { kind: 'launch-specific', pool: onDemand.name } })).refusals).toEqual([
      'mesos-on-demand is an on-demand pool; "launch-specific" does not apply to it.',
    ]);
  });
});
