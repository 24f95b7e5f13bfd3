import { describe, expect, it, vi } from 'vitest';
import { createDispatch, type Handlers } from '../../../core/dispatch.js';
import { ConsoleError } from '../../../core/errors.js';

function handlers(agentsList: Handlers['agents.list'] = () => ({ agents: [], asOf: 1 })): Handlers {
  return {
    'app.status': () => ({
      version: '0.0.0',
      host: 'headless',
      dataDir: '/data',
      databaseFile: '/data/cantareira.db',
      startupError: null,
      activeProfile: null,
      capabilities: null,
      startedAt: 1,
    }),
    'profiles.list': () => ({ profiles: [], activeId: null }),
    'agents.list': agentsList,
    ...unused([
      'overview.get',
      'jobs.list',
      'jobs.get',
      'jobs.create',
      'jobs.kill',
      'jobs.restart',
      'tasks.get',
      'tasks.list',
      'sandbox.list',
      'logs.stat',
      'logs.lines',
      'logs.linePart',
      'logs.read',
      'logs.index',
      'pools.list',
      'scaling.plan',
      'scaling.run',
      'profiles.test',
      'operations.list',
      'operations.get',
      'operations.cancel',
      'holds.list',
      'holds.set',
      'holds.release',
      'instances.list',
      'audit.list',
      'profiles.save',
      'profiles.import',
      'profiles.open',
    ]),
  };
}

/** Handlers these tests never reach. */
function unused<N extends keyof Handlers>(names: N[]): Pick<Handlers, N> {
  const notCalled = () => {
    throw new Error('not called in these tests');
  };
  return Object.fromEntries(names.map((n) => [n, notCalled])) as unknown as Pick<Handlers, N>;
}

describe('dispatch', () => {
  it('answers an unknown call with CONTRACT_UNKNOWN_CALL and lists the known ones', async () => {
    const result = await createDispatch(handlers())({ name: 'agents.destroyAll', input: {} });
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'CONTRACT_UNKNOWN_CALL',
        message: 'There is no call named "agents.destroyAll".',
        hint: expect.stringContaining('agents.list'),
      },
    });
  });

  it('does not treat Object.prototype members as calls', async () => {
    const result = await createDispatch(handlers())({ name: 'constructor', input: {} });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONTRACT_UNKNOWN_CALL' } });
  });

  it('answers something that is not a call with CONTRACT_INVALID_INPUT', async () => {
    const dispatch = createDispatch(handlers());
    for (const raw of [null, 'agents.list', 42, { input: {} }, { name: 7 }]) {
      expect(await dispatch(raw)).toMatchObject({ ok: false, error: { code: 'CONTRACT_INVALID_INPUT' } });
    }
  });

  it.each([
    [{ attribute: { name: '' } }, 'input.attribute.name'],
    [{ attribute: { name: 'zone', value: 'a' }, slaveType: 5 }, 'input.slaveType'],
    [{ slaveType: '' }, 'input.slaveType'],
  ])('rejects agents.list input %j with CONTRACT_INVALID_INPUT naming %s, without calling the handler', async (input, field) => {
    const handler = vi.fn(() => ({ agents: [], asOf: 1 }));
    const result = await createDispatch(handlers(handler))({ name: 'agents.list', input });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('CONTRACT_INVALID_INPUT');
    expect(result.error.message).toMatch(new RegExp(`^agents\\.list: ${field.replace(/\./g, '\\.')}: `));
    expect(handler).not.toHaveBeenCalled();
  });

  it('rejects fields the contract does not know', async () => {
    const result = await createDispatch(handlers())({ name: 'agents.list', input: { slaveType: 'x', sudo: true } });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONTRACT_INVALID_INPUT', message: expect.stringContaining('sudo') } });
  });

  it('passes the parsed input to the handler and returns its answer', async () => {
    const handler = vi.fn(() => ({ agents: [], asOf: 42 }));
    const dispatch = createDispatch(handlers(handler));
    expect(await dispatch({ name: 'agents.list', input: { slaveType: 'mesos-fixed' } })).toEqual({
      ok: true,
      data: { agents: [], asOf: 42 },
    });
    expect(handler).toHaveBeenCalledWith({ slaveType: 'mesos-fixed' });
    // A call without input is a call with empty input.
    expect(await dispatch({ name: 'agents.list' })).toEqual({ ok: true, data: { agents: [], asOf: 42 } });
  });

  it('turns a ConsoleError from a handler into its code, message and hint', async () => {
    const dispatch = createDispatch(
      handlers(() => {
        throw new ConsoleError('STORE_CORRUPT', 'The database /d/c.db is damaged.', 'Move it aside.');
      }),
    );
    expect(await dispatch({ name: 'agents.list', input: {} })).toEqual({
      ok: false,
      error: { code: 'STORE_CORRUPT', message: 'The database /d/c.db is damaged.', hint: 'Move it aside.' },
    });
  });

  it('turns a rejected async handler the same way', async () => {
    const dispatch = createDispatch(
      handlers(async () => {
        throw new ConsoleError('PROFILE_NOT_FOUND', 'There is no cluster profile "x".');
      }),
    );
    expect(await dispatch({ name: 'agents.list', input: {} })).toEqual({
      ok: false,
      error: { code: 'PROFILE_NOT_FOUND', message: 'There is no cluster profile "x".' },
    });
  });

  it('turns any other failure into INTERNAL without a stack, and logs the full error', async () => {
    const boom = new TypeError("Cannot read properties of undefined (reading 'cpus')");
    const log = vi.fn();
    const dispatch = createDispatch(
      handlers(() => {
        throw boom;
      }),
      log,
    );
    const result = await dispatch({ name: 'agents.list', input: {} });
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'INTERNAL',
        message: "agents.list failed unexpectedly: Cannot read properties of undefined (reading 'cpus')",
        hint: expect.any(String),
      },
    });
    if (!result.ok) expect(JSON.stringify(result.error)).not.toMatch(/\n\s+at |dispatch\.test\.ts/);
    expect(log).toHaveBeenCalledWith('call agents.list failed', boom);
  });
});
