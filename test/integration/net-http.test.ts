/**
 * The shared transport's timeouts grow per host:port: a target that let a request time out
 * gets a longer one next time (so "Try again" on an agent that answers in 15 s succeeds), and
 * comes back down after a fast answer. The loopback server answers only when the test says so.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { agentGet } from '../../core/mesos/agent.js';
import { createTransport, TransportError } from '../../core/net/http.js';

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** Holds every request until `answer()`; `waiting` counts the ones held. */
async function heldServer() {
  const held: http.ServerResponse[] = [];
  const server = http.createServer((_req, res) => held.push(res));
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}/state`,
    waiting: () => held.filter((r) => !r.writableEnded && !r.destroyed).length,
    answer() {
      for (const res of held.splice(0)) {
        if (res.destroyed) continue;
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '2' });
        res.end('{}');
      }
    },
  };
}

const failure = (p: Promise<unknown>) => p.then(() => null).catch((e: unknown) => e as TransportError);

describe('per-target timeouts that grow on "Try again"', () => {
  it('waits 3× longer after a timeout, 6× after two, and no longer than that', async () => {
    const slow = await heldServer();
    const transport = createTransport({ timeoutMs: 300 });
    try {
      expect(transport.timeoutFor(slow.url)).toBe(300);
      const first = await failure(transport.send({ url: slow.url }));
      expect(first).toMatchObject({ kind: 'timeout', message: 'no complete answer within 300 ms', nextTimeoutMs: 900 });
      expect(transport.timeoutFor(slow.url)).toBe(900);
      const second = await failure(transport.send({ url: slow.url }));
      expect(second).toMatchObject({ kind: 'timeout', message: 'no complete answer within 900 ms', nextTimeoutMs: 1800 });
      const third = await failure(transport.send({ url: slow.url }));
      expect(third).toMatchObject({ kind: 'timeout', message: 'no complete answer within 1800 ms', nextTimeoutMs: 1800 });
      // Another port of the same host is another target: its timeout did not grow.
      expect(transport.timeoutFor(`http://127.0.0.1:${slow.port + 1}/state`)).toBe(300);
      // A request with its own timeout grows the same way.
      expect(transport.timeoutFor(slow.url, 1000)).toBe(6000);
    } finally {
      transport.close();
    }
  });

  it('reads an answer slower than the first timeout on the next try, and comes back down after a fast answer', async () => {
    const slow = await heldServer();
    const clock = await heldServer(); // never answered: its timeouts mark time for the test
    const transport = createTransport({ timeoutMs: 300 });
    try {
      const first = await failure(transport.send({ url: slow.url }));
      expect(first).toMatchObject({ kind: 'timeout', nextTimeoutMs: 900 });

      // The try again: answered only after a 300 ms request to another target has given up,
      // i.e. later than the first try would have waited.
      const again = transport.send({ url: slow.url });
      await expect.poll(() => slow.waiting()).toBe(1);
      expect(await failure(transport.send({ url: clock.url }))).toMatchObject({ kind: 'timeout' });
      slow.answer();
      expect((await again).status).toBe(200);
      // Slower than its own 300 ms: still a slow target.
      expect(transport.timeoutFor(slow.url)).toBe(900);

      // A fast answer brings it back to the request's own timeout.
      const fast = transport.send({ url: slow.url });
      await expect.poll(() => slow.waiting()).toBe(1);
      slow.answer();
      expect((await fast).status).toBe(200);
      expect(transport.timeoutFor(slow.url)).toBe(300);
    } finally {
      transport.close();
    }
  });

  it("says in an agent's AGENT_UNREACHABLE that the next try waits longer", async () => {
    const slow = await heldServer();
    const transport = createTransport({ timeoutMs: 300 });
    try {
      const agent = { id: 'S0', hostname: 'ip-10-20-1-11.ec2.internal', ip: '127.0.0.1', port: slow.port };
      await expect(agentGet(agent, transport, '/state')).rejects.toMatchObject({
        code: 'AGENT_UNREACHABLE',
        message: `The Mesos agent ip-10-20-1-11.ec2.internal (127.0.0.1:${slow.port}) did not answer: no complete answer within 300 ms.`,
        hint: expect.stringMatching(/The next try waits up to 900 ms for it\.$/),
      });
    } finally {
      transport.close();
    }
  });

  it("names the agent, not the master, when an agent's answer is cut off", async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100' });
      res.write('{"frameworks":', () => res.socket?.destroy());
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as AddressInfo).port;
    const transport = createTransport({ timeoutMs: 2000 });
    try {
      const agent = { id: 'S0', hostname: 'ip-10-20-1-11.ec2.internal', ip: '127.0.0.1', port };
      await expect(agentGet(agent, transport, '/state')).rejects.toMatchObject({
        code: 'MESOS_BAD_RESPONSE',
        message: `The answer of http://127.0.0.1:${port}/state, from the Mesos agent ip-10-20-1-11.ec2.internal (127.0.0.1:${port}), could not be read: the connection closed after 14 of the 100 bytes announced.`,
        hint: expect.stringMatching(/The master and the other agents are not affected/),
      });
    } finally {
      transport.close();
    }
  });
});
