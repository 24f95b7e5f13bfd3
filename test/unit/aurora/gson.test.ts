/**
 * The /apibeta JSON (Gson over the Thrift classes): names for fields and enums, unions as
 * `{"<member>": value}`. Payloads written as ApiBeta.java serializes a Response.
 */
import { describe, expect, it } from 'vitest';
import { structFromGson, toGson } from '../../../core/aurora/gson.js';
import { ShapeError } from '../../../core/aurora/schema.js';
import { Response, TaskQuery, methods } from '../../../core/aurora/structs.js';

const gsonTasks = {
  responseCode: 'OK',
  serverInfo: { clusterName: 'devcluster', statsUrlPrefix: '' },
  result: {
    scheduleStatusResult: {
      tasks: [
        {
          assignedTask: {
            taskId: 'www-data-prod-web-1-0f3a',
            task: {
              job: { role: 'www-data', environment: 'prod', name: 'web' },
              isService: true,
              resources: [{ numCpus: 0.5 }, { ramMb: 256 }, { diskMb: 512 }, { namedPort: 'http' }],
              constraints: [{ name: 'host', constraint: { limit: { limit: 1 } } }],
              container: { mesos: {} },
            },
            assignedPorts: {},
            instanceId: 1,
          },
          status: 'PENDING',
          failureCount: 0,
          timesPartitioned: 0,
          taskEvents: [{ timestamp: 1580515200000, status: 'PENDING', scheduler: 'scheduler-1' }],
        },
      ],
    },
  },
  details: [],
};

describe('the /apibeta JSON', () => {
  it('reads a Gson Response: names as they are, unknown members (container) dropped', () => {
    const r = structFromGson(Response.struct, gsonTasks);
    const task = (r.result as { scheduleStatusResult: { tasks: Record<string, unknown>[] } }).scheduleStatusResult.tasks[0]!;
    expect(task.status).toBe('PENDING');
    expect((task.assignedTask as { task: Record<string, unknown> }).task).toEqual({
      job: { role: 'www-data', environment: 'prod', name: 'web' },
      isService: true,
      resources: [{ numCpus: 0.5 }, { ramMb: 256 }, { diskMb: 512 }, { namedPort: 'http' }],
      constraints: [{ name: 'host', constraint: { limit: { limit: 1 } } }],
    });
  });

  it('treats null as unset, as Gson writes nothing for it', () => {
    expect(structFromGson(Response.struct, { responseCode: 'WARNING', result: null, details: [{ message: 'deprecated' }] })).toEqual({
      responseCode: 'WARNING',
      details: [{ message: 'deprecated' }],
    });
  });

  it('names the place of a wrong type, an unknown enum name, a union with two members', () => {
    expect(() => structFromGson(Response.struct, { responseCode: 1 })).toThrow(/Response\.responseCode: 1 is not a ResponseCode/);
    expect(() => structFromGson(Response.struct, { responseCode: 'OK', result: { scheduleStatusResult: { tasks: 'many' } } })).toThrow(
      /Response\.result\.scheduleStatusResult\.tasks: expected a list<ScheduledTask>/,
    );
    const twoMembers = structuredClone(gsonTasks);
    (twoMembers.result.scheduleStatusResult.tasks[0]!.assignedTask.task.resources as unknown[])[0] = { numCpus: 1, ramMb: 2 };
    expect(() => structFromGson(Response.struct, twoMembers)).toThrow(ShapeError);
    expect(() => structFromGson(Response.struct, { responseCode: 'OK', details: [{ message: 7 }] })).toThrow(/details\[0\]\.message/);
  });

  it('writes arguments by their IDL names and refuses others', () => {
    expect(
      JSON.stringify(
        toGson(
          { name: 'a', fields: methods.killTasks.args },
          { job: { role: 'r', environment: 'e', name: 'n' }, instances: [0, 1], message: 'm' },
        ),
      ),
    ).toBe('{"job":{"role":"r","environment":"e","name":"n"},"instances":[0,1],"message":"m"}');
    expect(toGson(TaskQuery.struct, { statuses: ['RUNNING'], role: undefined })).toEqual({ statuses: ['RUNNING'] });
    expect(() => toGson(TaskQuery.struct, { owner: 'x' })).toThrow(/no field "owner"/);
  });
});
