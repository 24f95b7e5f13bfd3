import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startHeadlessHost, type HeadlessHost } from '../../electron/headless.js';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function request(port: number, opts: { method?: string; path?: string; headers?: Record<string, string>; body?: string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path ?? '/', headers: opts.headers ?? {} },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

function openSocket(port: number, headers: Record<string, string>): Promise<{ ws: WebSocket } | { status: number; body: string }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers });
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.once('error', () => {});
  });
}

let dir: string;
let host: HeadlessHost;
let own: Record<string, string>;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cantareira-headless-'));
  const rendererDir = path.join(dir, 'renderer');
  fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>console</title>');
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  fs.writeFileSync(path.join(dir, 'secret.txt'), 'outside the renderer');
  fs.symlinkSync(path.join(dir, 'secret.txt'), path.join(rendererDir, 'assets', 'escape.txt'));
  host = await startHeadlessHost({ dataDir: path.join(dir, 'data'), rendererDir, log: () => {} });
  own = { host: `127.0.0.1:${host.port}` };
});

afterAll(async () => {
  await host.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const bearer = () => ({ ...own, authorization: `Bearer ${host.token}` });
const call = (name: string, input: unknown, headers: Record<string, string> = bearer()) =>
  request(host.port, {
    method: 'POST',
    path: '/api/call',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ name, input }),
  });

describe('the headless host refuses what is not its own page', () => {
  it('listens on loopback only', () => {
    expect(host.origin).toBe(`http://127.0.0.1:${host.port}`);
  });

  it('refuses a call without a token with 401 and the error envelope', async () => {
    const r = await call('app.status', {}, own);
    expect(r.status).toBe(401);
    expect(r.headers['content-type']).toMatch(/application\/json/);
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'AUTH_REQUIRED', message: expect.stringMatching(/no token/) } });
  });

  it('refuses a wrong token with 401, on a call and on the page load that carries one', async () => {
    const r = await call('app.status', {}, { ...own, authorization: 'Bearer not-the-token' });
    expect(r.status).toBe(401);
    expect(JSON.parse(r.body).error.message).toMatch(/wrong token/);
    const q = await request(host.port, { path: '/?token=' + 'x'.repeat(host.token.length), headers: own });
    expect(q.status).toBe(401);
    expect(JSON.parse(q.body).error.code).toBe('AUTH_REQUIRED');
  });

  it('takes the token from ?token= on a page load only, never on /api/call, and never from a cookie', async () => {
    const inQuery = await request(host.port, {
      method: 'POST',
      path: `/api/call?token=${host.token}`,
      headers: { ...own, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'app.status', input: {} }),
    });
    expect(inQuery.status).toBe(401);
    for (const cookie of [`cantareira_token_${host.port}=${host.token}`, `token=${host.token}`]) {
      const r = await call('app.status', {}, { ...own, cookie });
      expect(r.status, cookie).toBe(401);
    }
  });

  it('refuses a non-loopback Host header (DNS rebinding) even with the right token', async () => {
    for (const h of ['evil.example', `evil.example:${host.port}`, `127.0.0.1.nip.io:${host.port}`, `127.0.0.1:${host.port + 1}`]) {
      const r = await request(host.port, { headers: { host: h, authorization: `Bearer ${host.token}` } });
      expect(r.status, h).toBe(403);
      expect(r.body).toMatch(/not this console's loopback address/);
    }
  });

  it('accepts localhost and [::1] spellings of its own address', async () => {
    for (const h of [`localhost:${host.port}`, `[::1]:${host.port}`]) {
      const r = await request(host.port, { headers: { host: h, authorization: `Bearer ${host.token}` } });
      expect(r.status, h).toBe(200);
    }
  });

  it('refuses a call from a foreign Origin even with the right token', async () => {
    const r = await call('app.status', {}, { ...bearer(), origin: 'https://evil.example' });
    expect(r.status).toBe(403);
    expect(r.body).toMatch(/Origin/);
  });

  it('refuses a WebSocket without an Origin or with a foreign Origin at the handshake', async () => {
    const token = { authorization: `Bearer ${host.token}` };
    const noOrigin = await openSocket(host.port, { ...own, ...token });
    expect(noOrigin).toMatchObject({ status: 403 });
    const foreign = await openSocket(host.port, { ...own, ...token, origin: 'http://evil.example' });
    expect(foreign).toMatchObject({ status: 403 });
    expect(JSON.parse((foreign as { body: string }).body).error.code).toBe('HOST_FORBIDDEN');
  });

  it('closes a WebSocket without the token, or with a wrong one, with 4401 and the reason, and serves it nothing', async () => {
    for (const protocols of [['cantareira.v1'], ['cantareira.v1', 'cantareira.token.wrong']]) {
      const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws`, protocols, { headers: { ...own, origin: host.origin } });
      const got: string[] = [];
      ws.on('message', (d) => got.push(d.toString()));
      ws.on('open', () => ws.send(JSON.stringify({ t: 'call', id: 1, name: 'app.status', input: {} })));
      const [code, reason] = await new Promise<[number, string]>((resolve) => ws.on('close', (c, r) => resolve([c, r.toString()])));
      expect(code, protocols.join()).toBe(4401);
      expect(reason).toMatch(/token/);
      expect(got).toEqual([]);
    }
  });
});

describe('the page and scripts get the console', () => {
  it('serves the page for the token URL without setting any cookie, under a strict CSP', async () => {
    const r = await request(host.port, { path: `/?token=${host.token}`, headers: own });
    expect(r.status).toBe(200);
    expect(r.headers['set-cookie']).toBeUndefined();
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    expect(r.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(r.headers['content-security-policy']).not.toMatch(/unsafe-inline/);
    // The built page holds no secret: a reload (no token in the address) gets it too.
    expect((await request(host.port, { headers: own })).status).toBe(200);
  });

  it('carries calls over a WebSocket that offers the token as a subprotocol, and never echoes the token', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws`, ['cantareira.v1', `cantareira.token.${host.token}`], {
      headers: { ...own, origin: host.origin },
    });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    expect(ws.protocol).toBe('cantareira.v1');
    ws.send(JSON.stringify({ t: 'call', id: 7, name: 'app.status', input: {} }));
    const reply = await new Promise<{ id: number; result: { ok: boolean } }>((resolve) =>
      ws.once('message', (d) => resolve(JSON.parse(d.toString()))),
    );
    expect(reply).toMatchObject({ id: 7, result: { ok: true } });
    ws.close();
  });

  it('serves files of the renderer folder only: traversal and symlinks out are refused', async () => {
    expect((await request(host.port, { path: '/assets/app.js', headers: bearer() })).status).toBe(200);
    for (const p of ['/../secret.txt', '/assets/..%2f..%2fsecret.txt', '/%2e%2e/secret.txt', '/assets/escape.txt']) {
      const r = await request(host.port, { path: p, headers: bearer() });
      expect([400, 403], p).toContain(r.status);
      expect(r.body).not.toMatch(/outside the renderer/);
    }
  });

  it('answers POST /api/call with the contract result', async () => {
    const r = await call('agents.list', {});
    expect(r.status).toBe(200);
    const result = JSON.parse(r.body);
    expect(result.ok).toBe(true);
    expect(result.data.agents.map((a: { slaveType: string }) => a.slaveType).sort()).toEqual([
      'mesos-fixed',
      'mesos-on-demand',
      'mesos-on-demand',
    ]);
  });

  it('names the unknown call and the invalid field', async () => {
    const unknown = JSON.parse((await call('agents.destroyAll', {})).body);
    expect(unknown.error.code).toBe('CONTRACT_UNKNOWN_CALL');
    const bad = await call('agents.list', { slaveType: 5 });
    expect(bad.status).toBe(400);
    const body = JSON.parse(bad.body);
    expect(body.error.code).toBe('CONTRACT_INVALID_INPUT');
    expect(body.error.message).toMatch(/input\.slaveType/);
  });

  it('wants JSON: another content type is 415, a broken body is CONTRACT_INVALID_INPUT', async () => {
    const text = await request(host.port, {
      method: 'POST',
      path: '/api/call',
      headers: { ...bearer(), 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(text.status).toBe(415);
    const broken = await request(host.port, {
      method: 'POST',
      path: '/api/call',
      headers: { ...bearer(), 'content-type': 'application/json' },
      body: '{"name":',
    });
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.body).error.code).toBe('CONTRACT_INVALID_INPUT');
  });

  it('carries calls and batched stream items over an authorised WebSocket', async () => {
    const opened = await openSocket(host.port, { ...own, origin: host.origin, authorization: `Bearer ${host.token}` });
    if (!('ws' in opened)) throw new Error(`socket refused: ${opened.status} ${opened.body}`);
    const { ws } = opened;
    const messages: { t: string; id: number; [k: string]: unknown }[] = [];
    const next = (pred: (m: (typeof messages)[number]) => boolean) =>
      new Promise<(typeof messages)[number]>((resolve) => {
        const hit = messages.find(pred);
        if (hit) return resolve(hit);
        const on = (data: WebSocket.RawData) => {
          const m = JSON.parse(data.toString());
          if (pred(m)) {
            ws.off('message', on);
            resolve(m);
          }
        };
        ws.on('message', on);
      });
    ws.send(JSON.stringify({ t: 'call', id: 1, name: 'app.status', input: {} }));
    const status = (await next((m) => m.t === 'result' && m.id === 1)) as unknown as { result: { ok: boolean; data: { host: string } } };
    expect(status.result.ok).toBe(true);
    expect(status.result.data.host).toBe('headless');

    ws.send(JSON.stringify({ t: 'sub', id: 2, name: 'cluster.events', input: {} }));
    const batch = (await next((m) => m.t === 'batch' && m.id === 2)) as unknown as {
      batch: { items: { kind: string }[]; cursor: string; dropped: number };
    };
    expect(batch.batch.items.map((e) => e.kind)).toContain('agent.registered');
    expect(Number(batch.batch.cursor)).toBeGreaterThan(0);
    expect(batch.batch.dropped).toBe(0);

    ws.send(JSON.stringify({ t: 'sub', id: 3, name: 'no.such.stream', input: {} }));
    const err = (await next((m) => m.t === 'error' && m.id === 3)) as unknown as { error: { code: string } };
    expect(err.error.code).toBe('CONTRACT_UNKNOWN_STREAM');
    ws.close();
  });
});
