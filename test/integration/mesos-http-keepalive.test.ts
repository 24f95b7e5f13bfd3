/**
 * A kept-alive connection the server closes as it is reused: a master (or a loopback stand-in
 * under load) closes idle connections after its keep-alive timeout, and a request sent at that
 * moment meets a reset before any answer. This once failed a test on a busy machine ("the
 * connection was closed before an answer"). The request goes again on a fresh connection; a
 * reset of a fresh connection is still reported.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createTransport, TransportError } from '../../core/mesos/http.js';

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** Answers the first request of each connection, then closes the connection when the next request arrives on it. */
async function closesIdleConnections(options: { alsoFresh?: boolean } = {}) {
  const served = new WeakMap<Socket, number>();
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests++;
    const n = (served.get(req.socket) ?? 0) + 1;
    served.set(req.socket, n);
    if (n > 1 || options.alsoFresh) return req.socket.destroy();
    res.writeHead(200, { 'content-type': 'application/json', connection: 'keep-alive' });
    res.end('{"ok":true}');
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/master/state`, requests: () => requests };
}

describe('a kept-alive connection closed by the server as it is reused', () => {
  it('the request is sent again on a fresh connection and answered', async () => {
    const server = await closesIdleConnections();
    const transport = createTransport({ timeoutMs: 5_000 });
    try {
      for (let i = 0; i < 3; i++) {
        const a = await transport.send({ url: server.url });
        expect(a.status).toBe(200);
        expect(a.body.toString()).toBe('{"ok":true}');
      }
      // 3 answers; 2 of the 3 requests first met a closed connection.
      expect(server.requests()).toBe(5);
    } finally {
      transport.close();
    }
  });

  it('a reset on a fresh connection is a failure, reported once, not retried forever', async () => {
    const server = await closesIdleConnections({ alsoFresh: true });
    const transport = createTransport({ timeoutMs: 5_000 });
    try {
      const err = await transport.send({ url: server.url }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TransportError);
      expect((err as TransportError).kind).toBe('reset');
      expect(server.requests()).toBe(1);
    } finally {
      transport.close();
    }
  });
});
