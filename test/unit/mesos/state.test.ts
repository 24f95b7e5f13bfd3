import { describe, expect, it } from 'vitest';
import { agentRecordOf } from '../../../core/mesos/records.js';
import { parseGetState, parseMasterState } from '../../../core/mesos/state.js';
import { stateOfMasterSlaves } from '../../../core/mesos/state-v0.js';
import { quoteNanoseconds } from '../../../core/mesos/time.js';
import type { MesosState } from '../../../core/mesos/types.js';
import { masterStateJson, v1GetAgentsJson } from '../../integration/fixtures/mesos-examples.js';
import { example, getStateText, getStateValue, oom, preciseNs } from '../../integration/fixtures/mesos-payloads.js';
import { generateGetState } from '../../integration/fixtures/mesos-generate.js';
import { bigMasterState } from '../../integration/fixtures/mesos-big-cluster.js';
import { writeMesosJson, type MesosValue } from '../../integration/fixtures/mesos-json.js';

const url = 'http://10.20.0.5:5050/api/v1';
const v1 = () => parseGetState(getStateText(), url, 1);
const v0 = () => parseMasterState(Buffer.from(masterStateJson), 'http://10.20.0.5:5050/master/state', 1);

describe('the fixture speaks the documented v1 shapes', () => {
  it('writes the agents exactly as reference/mesos-examples/v1-get-agents.json, but for the precise ns of S1', () => {
    const ours = JSON.parse(
      quoteNanoseconds(writeMesosJson((getStateValue() as { get_state: { get_agents: MesosValue } }).get_state.get_agents).toString()),
    ) as unknown;
    const theirs = JSON.parse(quoteNanoseconds(v1GetAgentsJson)) as {
      get_agents: { agents: { registered_time: { nanoseconds: string } }[] };
    };
    theirs.get_agents.agents[1]!.registered_time.nanoseconds = preciseNs.toString();
    expect(ours).toStrictEqual(theirs.get_agents);
  });
});

describe('GET_STATE into the console shapes', () => {
  it('reads agents: id, hostname, the IP and port of the pid, slave-type, resources, registration', () => {
    const s = v1();
    expect(s.source).toBe('v1');
    expect(s.agents).toHaveLength(2);
    expect(s.agents[0]).toEqual({
      id: example.agents[0].id,
      hostname: 'ip-10-20-1-11.ec2.internal',
      ip: '10.20.1.11',
      port: 5051,
      pid: 'slave(1)@10.20.1.11:5051',
      attributes: { rack: 'us-east-1a', host: 'ip-10-20-1-11.ec2.internal', 'slave-type': 'mesos-fixed' },
      slaveType: 'mesos-fixed',
      resources: { cpus: 16, memMb: 63000, diskMb: 480000, gpus: 0, ports: '[31000-32000]' },
      used: { cpus: 1.25, memMb: 640, diskMb: 1024, gpus: 0, ports: '[31245-31245]' },
      registeredAt: { ms: 1717900030772, ns: '1717900030772120000' },
      reregisteredAt: { ms: 1717903631022, ns: '1717903631022120000' },
      active: true,
      deactivated: false,
      drain: null,
      version: '1.11.0',
      recovered: false,
    });
  });

  it('keeps a registration time that a double cannot hold to the nanosecond', () => {
    expect(v1().agents[1]!.registeredAt).toEqual({ ms: 1717900031100, ns: preciseNs.toString() });
  });

  it('reads tasks with their statuses, the reason and message of a failure, and where their sandbox is', () => {
    const s = v1();
    const failed = s.tasks.find((t) => t.id === example.failedTask)!;
    expect(failed).toMatchObject({
      name: 'www-data/prod/batch_report',
      frameworkId: example.frameworkId,
      agentId: example.agents[1].id,
      state: 'TASK_FAILED',
      list: 'completed',
      resources: { cpus: 2, memMb: 2048, diskMb: 4096 },
      role: '*',
    });
    expect(failed.statuses.map((x) => x.state)).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_FAILED']);
    expect(failed.statuses[2]).toEqual({
      state: 'TASK_FAILED',
      at: { ms: 1718002811033, ns: '1718002811033770000' },
      message: oom.message,
      reason: oom.reason,
      source: 'SOURCE_AGENT',
      healthy: null,
    });
    expect(failed.sandbox).toEqual({
      agentId: example.agents[1].id,
      frameworkId: example.frameworkId,
      executorId: 'thermos-www-data-prod-batch_report-3-c2a9e4f0-58b7-4d3a-a1e6-9f0b7c4d5e12',
      latestPath: `/frameworks/${example.frameworkId}/executors/thermos-www-data-prod-batch_report-3-c2a9e4f0-58b7-4d3a-a1e6-9f0b7c4d5e12/runs/latest`,
      containerId: '5e2b8d1f-7c3a-4f9e-b6d4-8a1c3e7f9b25',
    });
    const running = s.tasks.find((t) => t.id === example.runningTask)!;
    expect(running).toMatchObject({
      state: 'TASK_RUNNING',
      list: 'active',
      labels: { 'org.apache.aurora.tier': 'preferred' },
      executorId: example.runningExecutor,
    });
  });

  it('reads frameworks and executors', () => {
    const s = v1();
    expect(s.frameworks).toEqual([
      {
        id: example.frameworkId,
        name: 'Aurora',
        role: '*',
        user: 'root',
        principal: 'aurora',
        hostname: 'ip-10-20-0-5.ec2.internal',
        webuiUrl: 'http://ip-10-20-0-5.ec2.internal:8081',
        active: true,
        connected: true,
        recovered: false,
        completed: false,
        registeredAt: { ms: 1717900040331, ns: '1717900040331210000' },
      },
    ]);
    expect(s.executors).toEqual([
      {
        id: example.runningExecutor,
        frameworkId: example.frameworkId,
        agentId: example.agents[0].id,
        name: 'AuroraExecutor',
        type: 'CUSTOM',
        // Thermos' own overhead (ExecutorInfo.resources), counted in the agent's used resources.
        resources: { cpus: 0.25, memMb: 128, diskMb: 0, gpus: 0, ports: '' },
      },
    ]);
  });

  it('puts a command-executor task (no executor id) in the executor named after it', () => {
    const value = getStateValue() as { get_state: { get_tasks: { tasks: Record<string, MesosValue>[] } } };
    delete value.get_state.get_tasks.tasks[0]!.executor_id;
    const task = parseGetState(writeMesosJson(value), url).tasks[0]!;
    expect(task.executorId).toBeNull();
    expect(task.sandbox.executorId).toBe(task.id);
    expect(task.sandbox.latestPath).toBe(`/frameworks/${example.frameworkId}/executors/${task.id}/runs/latest`);
  });
});

describe('/master/state (v0) into the same shapes', () => {
  it('gives the same agents as GET_STATE, to the precision v0 has', () => {
    const a = v0();
    const b = v1();
    expect(a.source).toBe('v0');
    expect(a.agents[0]).toEqual(b.agents[0]);
    expect({ ...a.agents[1], registeredAt: null }).toEqual({ ...b.agents[1], registeredAt: null });
    expect(a.agents[1]!.registeredAt).toEqual({ ms: 1717900031100, ns: '1717900031100380000' });
  });

  it('gives the same tasks, frameworks and executors; statuses without message or reason (v0 has none)', () => {
    const strip = (s: MesosState) => s.tasks.map((t) => ({ ...t, statuses: t.statuses.map((x) => ({ state: x.state, at: x.at })) }));
    expect(strip(v0())).toEqual(strip(v1()));
    expect(
      v0()
        .tasks.flatMap((t) => t.statuses)
        .every((x) => x.reason === null && x.message === null),
    ).toBe(true);
    expect(v0().frameworks).toEqual(v1().frameworks);
    expect(v0().executors).toEqual([{ ...v1().executors[0], type: null }]);
  });
});

describe('an answer that is not a state is MESOS_BAD_RESPONSE, naming the URL and what is wrong', () => {
  it.each([
    ['truncated JSON', getStateText().subarray(0, 5000), /not valid JSON/],
    ['an empty body', Buffer.alloc(0), /body is empty/],
    ['another call', Buffer.from('{"type":"GET_AGENTS","get_agents":{"agents":[]}}'), /type is "GET_AGENTS", not "GET_STATE"/],
    ['no get_state', Buffer.from('{"type":"GET_STATE"}'), /get_state is missing/],
    [
      'agents that are not a list',
      Buffer.from('{"type":"GET_STATE","get_state":{"get_agents":{"agents":{}}}}'),
      /get_state.get_agents.agents is not a list/,
    ],
    [
      'an agent without id',
      Buffer.from('{"type":"GET_STATE","get_state":{"get_agents":{"agents":[{"agent_info":{"hostname":"h"}}]}}}'),
      /get_state.get_agents.agents\[0\].agent_info.id is missing/,
    ],
    [
      'a task without agent',
      Buffer.from('{"type":"GET_STATE","get_state":{"get_tasks":{"tasks":[{"task_id":{"value":"t"},"framework_id":{"value":"f"}}]}}}'),
      /tasks\[0\].agent_id is missing/,
    ],
  ])('%s', (_, body, why) => {
    let error: unknown;
    try {
      parseGetState(body, url);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'MESOS_BAD_RESPONSE', message: expect.stringContaining(url) });
    expect((error as Error).message).toMatch(why);
  });

  it('for /master/state too', () => {
    expect(() => parseMasterState(Buffer.from('{"slaves":[{"hostname":"x"}],"frameworks":[]}'), 'http://m/master/state')).toThrow(
      /slaves\[0\].id is missing/,
    );
  });
});

describe('agent records for the store and the screens', () => {
  it('maps a Mesos agent to the console Agent fields', () => {
    expect(agentRecordOf(v1().agents[0]!, '/var/lib/mesos')).toEqual({
      id: example.agents[0].id,
      hostname: 'ip-10-20-1-11.ec2.internal',
      ip: '10.20.1.11',
      slaveType: 'mesos-fixed',
      instanceType: '',
      resources: { cpus: 16, memMb: 63000, diskMb: 480000, ports: '[31000-32000]' },
      attributes: { rack: 'us-east-1a', host: 'ip-10-20-1-11.ec2.internal', 'slave-type': 'mesos-fixed' },
      sandboxRoot: '/var/lib/mesos',
      state: 'registered',
      registeredAt: 1717900030772,
    });
  });
});

/** Keys and value kinds, recursively (lists by their first item): the shape of a JSON value. */
function shapeOf(v: unknown): unknown {
  if (Array.isArray(v)) return v.length === 0 ? [] : [shapeOf(v[0])];
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, x]) => [k, shapeOf(x)]),
    );
  return typeof v;
}

describe('the generated state of the benchmark', () => {
  const generated = () => generateGetState({ agents: 7, tasks: 40 });
  const fixture = JSON.parse(quoteNanoseconds(getStateText().toString())) as V1Root;
  type V1Root = {
    get_state: {
      get_tasks: { tasks: unknown[]; completed_tasks: unknown[] };
      get_agents: { agents: unknown[] };
      get_executors: { executors: unknown[] };
      get_frameworks: { frameworks: unknown[] };
    };
  };

  it('has the shapes of the example cluster in v1', () => {
    const g = JSON.parse(quoteNanoseconds(generated().toString())) as V1Root;
    const gs = g.get_state;
    const fs = fixture.get_state;
    expect(shapeOf(gs.get_tasks.tasks[0])).toEqual(shapeOf(fs.get_tasks.tasks[0]));
    expect(shapeOf(gs.get_agents.agents[0])).toEqual(shapeOf(fs.get_agents.agents[0]));
    expect(shapeOf(gs.get_executors.executors[0])).toEqual(shapeOf(fs.get_executors.executors[0]));
    expect(shapeOf(gs.get_frameworks.frameworks[0])).toEqual(shapeOf(fs.get_frameworks.frameworks[0]));
  });

  it('parses into as many agents and tasks as asked, on agents that exist', () => {
    const s = parseGetState(generated(), url);
    expect(s.agents).toHaveLength(7);
    expect(s.tasks).toHaveLength(40);
    expect(s.tasks.filter((t) => t.list === 'completed')).toHaveLength(6);
    const ids = new Set(s.agents.map((a) => a.id));
    expect(s.tasks.every((t) => ids.has(t.agentId))).toBe(true);
    expect(s.agents.every((a) => /^\d{19}$/.test(a.registeredAt!.ns))).toBe(true);
  });
});

describe('the generated v0 state of the benchmark', () => {
  const leader = { ip: '127.0.0.1', port: 5050, hostname: 'ip-127-0-0-1.ec2.internal' };
  const generated = () => bigMasterState({ agents: 7, tasks: 40 }, 'slave(1)@127.0.0.1:5051', leader);
  type V0Root = { slaves: Record<string, unknown>[]; frameworks: Record<string, Record<string, unknown>[]>[] };
  const keys = (v: unknown) => Object.keys(v as object).sort();

  it('has the fields of the example /master/state (reference/mesos-examples/master-state.json)', () => {
    const g = JSON.parse(generated().state.toString('latin1')) as V0Root;
    const ex = JSON.parse(masterStateJson) as V0Root;
    expect(keys(g.slaves[0])).toEqual(expect.arrayContaining(keys(ex.slaves[0])));
    expect(keys(g.frameworks[0]!.tasks![0])).toEqual(expect.arrayContaining(keys(ex.frameworks[0]!.tasks![0])));
    expect(keys(g.frameworks[0]!.executors![0])).toEqual(expect.arrayContaining(keys(ex.frameworks[0]!.executors![0])));
  });

  it('parses into as many agents and tasks as asked, its /master/slaves into the same agents', () => {
    const { state, slaves } = generated();
    const s = parseMasterState(state, 'x');
    expect(s).toMatchObject({ source: 'v0' });
    expect(s.agents).toHaveLength(7);
    expect(s.tasks).toHaveLength(40);
    expect(s.tasks[0]).toMatchObject({ id: example.runningTask, agentId: example.agents[0].id, executorId: example.runningExecutor });
    const ids = new Set(s.agents.map((a) => a.id));
    expect(s.tasks.every((t) => ids.has(t.agentId))).toBe(true);
    const fromSlaves = stateOfMasterSlaves(JSON.parse(slaves.toString('latin1')), 'y', 0);
    expect(fromSlaves.agents).toEqual(s.agents);
  });
});

describe('/master/slaves into agents', () => {
  it('gives the agents of /master/state, and no tasks', () => {
    const root = JSON.parse(masterStateJson) as { slaves: unknown[]; recovered_slaves?: unknown[] };
    const s = stateOfMasterSlaves(
      { slaves: root.slaves, recovered_slaves: root.recovered_slaves ?? [] },
      'http://10.20.0.5:5050/master/slaves',
      1,
    );
    expect(s).toMatchObject({ source: 'v0', url: 'http://10.20.0.5:5050/master/slaves', tasks: [], frameworks: [], executors: [] });
    expect(s.agents).toEqual(v0().agents);
  });
});
