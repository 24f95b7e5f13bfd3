/**
 * The TJSON codec against payloads written to TJSONProtocol's documented format
 * (reference/aurora.md §4.1): structs `{"<id>":{"<tag>":v}}`, sets `["i32",n,...]`, maps
 * `["str","i32",n,{...}]`, bools 1/0, enums as i32.
 */
import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../../core/aurora/schema.js';
import { Response, ScheduledTask, TaskQuery, methods } from '../../../core/aurora/structs.js';
import { ThriftException, decodeReply, decodeValue, encodeCall, encodeStruct } from '../../../core/aurora/tjson.js';

const reply = (method: string, seqid: number, response: unknown) => JSON.stringify([1, method, 2, seqid, { 0: { rec: response } }]);

describe('encoding calls', () => {
  it('writes getJobSummary("www-data") as the reference shows it', () => {
    expect(encodeCall('getJobSummary', 0, methods.getJobSummary.args, { role: 'www-data' })).toBe(
      '[1,"getJobSummary",1,0,{"1":{"str":"www-data"}}]',
    );
  });

  it('writes a TaskQuery by field id, with enum sets as i32', () => {
    const call = JSON.parse(
      encodeCall('getTasksWithoutConfigs', 7, methods.getTasksWithoutConfigs.args, {
        query: { role: 'www-data', environment: 'prod', jobName: 'web', statuses: ['RUNNING', 'PENDING'], instanceIds: [0, 3], limit: 25 },
      }),
    );
    expect(call).toEqual([
      1,
      'getTasksWithoutConfigs',
      1,
      7,
      {
        1: {
          rec: {
            14: { str: 'www-data' },
            9: { str: 'prod' },
            2: { str: 'web' },
            5: { set: ['i32', 2, 2, 0] },
            7: { set: ['i32', 2, 0, 3] },
            13: { i32: 25 },
          },
        },
      },
    ]);
  });

  it('numbers killTasks and restartShards arguments as the IDL does (job 4/instances 5/message 6; job 5/shardIds 3)', () => {
    const job = { role: 'analytics', environment: 'test', name: 'crunch' };
    const kill = JSON.parse(encodeCall('killTasks', 1, methods.killTasks.args, { job, instances: [1, 2], message: 'bad deploy' }));
    expect(kill[4]).toEqual({
      4: { rec: { 1: { str: 'analytics' }, 2: { str: 'test' }, 3: { str: 'crunch' } } },
      5: { set: ['i32', 2, 1, 2] },
      6: { str: 'bad deploy' },
    });
    const restart = JSON.parse(encodeCall('restartShards', 2, methods.restartShards.args, { job, shardIds: [0] }));
    expect(restart[4]).toEqual({
      5: { rec: { 1: { str: 'analytics' }, 2: { str: 'test' }, 3: { str: 'crunch' } } },
      3: { set: ['i32', 1, 0] },
    });
  });

  it('leaves unset fields out and refuses names the struct does not have', () => {
    expect(encodeStruct(TaskQuery.struct, { role: 'r', jobName: undefined })).toEqual({ 14: { str: 'r' } });
    expect(() => encodeStruct(TaskQuery.struct, { job: 'web' })).toThrow(/TaskQuery has no field "job"/);
    expect(() => encodeStruct(TaskQuery.struct, { statuses: ['SLEEPING'] })).toThrow(ShapeError);
    expect(() => encodeStruct(TaskQuery.struct, { limit: 2.5 })).toThrow(/integer/);
  });
});

describe('decoding replies', () => {
  const roleSummary = {
    1: { i32: 1 },
    5: { rec: { 1: { str: 'devcluster' }, 3: { str: '' } } },
    3: {
      rec: {
        17: {
          rec: {
            1: {
              set: [
                'rec',
                2,
                { 1: { str: 'www-data' }, 2: { i32: 3 }, 3: { i32: 1 } },
                { 1: { str: 'analytics' }, 2: { i32: 1 }, 3: { i32: 0 } },
              ],
            },
          },
        },
      },
    },
    6: { lst: ['rec', 0] },
  };

  it('reads a Response: enums by name, sets as arrays, structs by field name', () => {
    expect(decodeReply(reply('getRoleSummary', 4, roleSummary), 'getRoleSummary', 4, Response)).toEqual({
      responseCode: 'OK',
      serverInfo: { clusterName: 'devcluster', statsUrlPrefix: '' },
      result: {
        roleSummaryResult: {
          summaries: [
            { role: 'www-data', jobCount: 3, cronJobCount: 1 },
            { role: 'analytics', jobCount: 1, cronJobCount: 0 },
          ],
        },
      },
      details: [],
    });
  });

  it('reads a ScheduledTask with a map, bools as 1/0, i64 timestamps, doubles, and skips fields it does not know', () => {
    const task = {
      1: {
        rec: {
          1: { str: 'www-data-prod-web-0-1b2c' },
          2: { str: 'agent-1-S3' },
          3: { str: 'ip-10-0-0-7' },
          4: {
            rec: {
              28: { rec: { 1: { str: 'www-data' }, 2: { str: 'prod' }, 3: { str: 'web' } } },
              7: { tf: 1 },
              18: { tf: 0 },
              32: { set: ['rec', 2, { 1: { dbl: 0.5 } }, { 4: { str: 'http' } }] },
              29: { rec: { 1: { rec: {} } } }, // container: not in our tables, skipped
              99: { str: 'from a newer scheduler' },
            },
          },
          5: { map: ['str', 'i32', 2, { http: 31337, health: 31338 }] },
          6: { i32: 0 },
        },
      },
      2: { i32: 2 },
      3: { i32: 1 },
      4: { lst: ['rec', 1, { 1: { i64: 1580515200123 }, 2: { i32: 2 }, 4: { str: 'scheduler-1' } }] },
    };
    const value = decodeValue(
      { struct: { name: 'T', fields: [{ id: 1, name: 't', type: { list: ScheduledTask } }] } },
      { 1: { lst: ['rec', 1, task] } },
      'T',
    );
    expect(value).toEqual({
      t: [
        {
          assignedTask: {
            taskId: 'www-data-prod-web-0-1b2c',
            slaveId: 'agent-1-S3',
            slaveHost: 'ip-10-0-0-7',
            task: {
              job: { role: 'www-data', environment: 'prod', name: 'web' },
              isService: true,
              production: false,
              resources: [{ numCpus: 0.5 }, { namedPort: 'http' }],
            },
            assignedPorts: { http: 31337, health: 31338 },
            instanceId: 0,
          },
          status: 'RUNNING',
          failureCount: 1,
          taskEvents: [{ timestamp: 1580515200123, status: 'RUNNING', scheduler: 'scheduler-1' }],
        },
      ],
    });
  });

  it('names the place of a wrong type tag, a short list, a wrong map count, an unknown enum', () => {
    const bad = (response: unknown) => () => decodeReply(reply('getRoleSummary', 0, response), 'getRoleSummary', 0, Response);
    expect(bad({ 1: { str: 'OK' } })).toThrow(/Response\.responseCode: expected type tag "i32"/);
    expect(bad({ 1: { i32: 42 } })).toThrow(/42 is not a ResponseCode/);
    expect(bad({ 1: { i32: 1 }, 6: { lst: ['rec', 3, { 1: { str: 'a' } }] } })).toThrow(/announces 3 elements but holds 1/);
    expect(bad({ 1: { i32: 1 }, 6: { lst: ['str', 0] } })).toThrow(/element type/);
    const ports = { map: ['str', 'i32', 3, { http: 1 }] };
    expect(() => decodeValue({ map: ['string', 'i32'] }, ports.map, 'ports')).toThrow(/announces 3 entries but holds 1/);
  });

  it('refuses a reply that is not JSON, not for this call, or of another sequence id', () => {
    expect(() => decodeReply('[1,"getRoleSummary",2,0,{"0":{"rec":{"1":{"i32":1}', 'getRoleSummary', 0, Response)).toThrow(/not JSON/);
    expect(() => decodeReply(reply('getJobSummary', 0, { 1: { i32: 1 } }), 'getRoleSummary', 0, Response)).toThrow(
      /answers "getJobSummary"/,
    );
    expect(() => decodeReply(reply('getRoleSummary', 3, { 1: { i32: 1 } }), 'getRoleSummary', 4, Response)).toThrow(/sequence id 3/);
    expect(() => decodeReply('[1,"getRoleSummary",2,0,{}]', 'getRoleSummary', 0, Response)).toThrow(/no result/);
  });

  it('turns a TApplicationException reply into a ThriftException', () => {
    const text = JSON.stringify([1, 'getRoleSummary', 3, 0, { 1: { str: 'Internal error processing getRoleSummary' }, 2: { i32: 6 } }]);
    let error: unknown;
    try {
      decodeReply(text, 'getRoleSummary', 0, Response);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ThriftException);
    expect((error as ThriftException).type).toBe(6);
    expect((error as ThriftException).message).toBe('Internal error processing getRoleSummary');
  });

  it('reads quoted doubles and quoted integers', () => {
    expect(decodeValue('double', 'NaN', 'x')).toBeNaN();
    expect(decodeValue('double', '-Infinity', 'x')).toBe(-Infinity);
    expect(decodeValue('i64', '1580515200123', 'x')).toBe(1580515200123);
    expect(() => decodeValue('i32', 1.5, 'x')).toThrow(/integer/);
    expect(() => decodeValue('bool', 2, 'x')).toThrow(/bool/);
  });
});
