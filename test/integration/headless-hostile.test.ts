/**
 * The headless host as an attacker or a careless script meets it: malformed frames, domain
 * errors as HTTP statuses, a second host on the same data folder, a port in use, and the
 * modes of the files it writes. Each of these once crashed the host, leaked, or lied.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startHeadlessHost, type HeadlessHost } from '../../electron/headless.js';
import { embeddedTimings, job, jobFile, keyOf, killLeftovers, processesOf } from './fixtures/embedded-helpers.js';

let dir: string;
let dataDir: string;
let rendererDir: string;
let host: HeadlessHost;

function post(body: string, headers: Record<string, string> = {}, method = 'POST', urlPath = '/api/call') {
  return new Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: host.port,
        method,
        path: urlPath,
        headers: { host: `127.0.0.1:${host.port}`, authorization: `Bearer ${host.token}`, 'content-type': 'application/json', ...headers },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
const call = (name: string, input: unknown) => post(JSON.stringify({ name, input }));

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cantareira-hostile-'));
  dataDir = path.join(dir, 'data');
  rendererDir = path.join(dir, 'renderer');
  fs.mkdirSync(rendererDir);
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>console</title>');
  host = await startHeadlessHost({ dataDir, rendererDir, embedded: embeddedTimings, log: () => {} });
});

afterAll(async () => {
  try {
    await host.close();
    expect(processesOf(dataDir)).toEqual([]);
  } finally {
    killLeftovers(dataDir);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

type Frame = { t: string; id: number | null; result?: { ok: boolean; error?: { code: string } }; error?: { code: string } };

async function socket() {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws`, ['cantareira.v1', `cantareira.token.${host.token}`], {
    headers: { host: `127.0.0.1:${host.port}`, origin: host.origin },
  });
  const frames: Frame[] = [];
  ws.on('message', (d) => frames.push(JSON.parse(d.toString()) as Frame));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const next = async (pred: (f: Frame) => boolean): Promise<Frame> => {
    for (;;) {
      const i = frames.findIndex(pred);
      if (i >= 0) return frames.splice(i, 1)[0]!;
      await new Promise((r) => ws.once('message', r));
    }
  };
  return { ws, next };
}

describe('a frame that is not a message of the contract', () => {
  const malformed: [string, string | Buffer, number | null][] = [
    ['null', 'null', null],
    ['an array', '[]', null],
    ['a number', '42', null],
    ['a string', '"hello"', null],
    ['true', 'true', null],
    ['not JSON', 'not json{', null],
    ['an empty object', '{}', null],
    ['an unknown kind', '{"t":"nope","id":3}', 3],
    ['a subscription with a string id', '{"t":"sub","id":"x","name":"cluster.events"}', null],
    ['__proto__ keys', '{"__proto__":{"t":"call"},"constructor":{"prototype":{}}}', null],
    ['a binary frame', Buffer.from([0xff, 0xfe, 0x00, 0x01]), null],
  ];

  it.each(malformed)('%s gets an error frame, and the host answers the next call on the same socket', async (_label, frame, id) => {
    const { ws, next } = await socket();
    ws.send(frame, { binary: Buffer.isBuffer(frame) && frame[0] === 0xff });
    const err = await next((f) => f.t === 'error');
    expect(err).toMatchObject({ id, error: { code: 'CONTRACT_INVALID_INPUT' } });
    ws.send(JSON.stringify({ t: 'call', id: 99, name: 'app.status', input: {} }));
    expect(await next((f) => f.t === 'result' && f.id === 99)).toMatchObject({ result: { ok: true } });
    ws.close();
  });

  it('a call without a name, or with a name that is not a string, is answered under its id', async () => {
    const { ws, next } = await socket();
    ws.send('{"t":"call","id":1}');
    ws.send('{"t":"call","id":2,"name":5,"input":{}}');
    expect(await next((f) => f.id === 1)).toMatchObject({ t: 'result', result: { ok: false, error: { code: 'CONTRACT_INVALID_INPUT' } } });
    expect(await next((f) => f.id === 2)).toMatchObject({ t: 'result', result: { ok: false, error: { code: 'CONTRACT_INVALID_INPUT' } } });
    ws.close();
  });

  it('invalid UTF-8 in a text frame closes that socket as RFC 6455 says (1007); the host serves the next one', async () => {
    const { ws } = await socket();
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.send(Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]), { binary: false });
    expect(await closed).toBe(1007);
    const again = await socket();
    again.ws.send(JSON.stringify({ t: 'call', id: 5, name: 'app.status', input: {} }));
    expect(await again.next((f) => f.id === 5)).toMatchObject({ result: { ok: true } });
    again.ws.close();
  });

  it('a frame over the 1 MiB limit closes that socket only; the host serves the next one', async () => {
    const { ws } = await socket();
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.send(JSON.stringify({ t: 'call', id: 1, name: 'app.status', input: { pad: 'x'.repeat(2 * 1024 * 1024) } }));
    expect(await closed).toBe(1009);
    const again = await socket();
    again.ws.send(JSON.stringify({ t: 'call', id: 5, name: 'app.status', input: {} }));
    expect(await again.next((f) => f.id === 5)).toMatchObject({ result: { ok: true } });
    again.ws.close();
  });
});

describe('errors over HTTP: the status says what the code means, and every refusal has the envelope', () => {
  it('domain errors are 400, 403, 404 or 409, not 500', async () => {
    const cases: [string, unknown, number, string][] = [
      ['jobs.get', { key: 'nobody/prod/nothing' }, 404, 'JOB_NOT_FOUND'],
      ['jobs.create', { text: '{"jobs": [{"name": 5}]}' }, 400, 'JOB_SPEC_INVALID'],
      ['profiles.open', { id: 'no-such-profile' }, 404, 'PROFILE_NOT_FOUND'],
      ['no.such.call', {}, 404, 'CONTRACT_UNKNOWN_CALL'],
      ['agents.list', { slaveType: 5 }, 400, 'CONTRACT_INVALID_INPUT'],
    ];
    for (const [name, input, status, code] of cases) {
      const r = await call(name, input);
      expect([name, r.status, JSON.parse(r.body).error?.code]).toEqual([name, status, code]);
    }
  });

  it("a task's sandbox: a path out of it is 403, a 300-character name is SANDBOX_NOT_FOUND without the absolute path", async () => {
    const created = await call('jobs.create', { text: jobFile(job({ name: 'quiet', cmdline: 'echo hi; sleep 30' })) });
    expect(created.status).toBe(200);
    let taskId = '';
    await expect
      .poll(async () => {
        const r = JSON.parse((await call('jobs.get', { key: keyOf({ name: 'quiet' }) })).body);
        taskId = r.data?.instances?.[0]?.current?.taskId ?? '';
        return r.data?.instances?.[0]?.current?.state;
      })
      .toBe('RUNNING');
    const out = await call('logs.stat', { taskId, path: '../../../../etc/passwd' });
    expect([out.status, JSON.parse(out.body).error.code]).toEqual([403, 'SANDBOX_OUTSIDE_ROOT']);
    const long = await call('logs.stat', { taskId, path: `sandbox/${'a'.repeat(300)}` });
    const body = JSON.parse(long.body);
    expect([long.status, body.error.code]).toEqual([404, 'SANDBOX_NOT_FOUND']);
    expect(body.error.message).not.toContain(dataDir);
  });

  it('405, 413 and 415 answer {ok: false, error} with their own codes', async () => {
    const wrongMethod = await post('', {}, 'PUT', '/api/call');
    expect([wrongMethod.status, JSON.parse(wrongMethod.body).error.code]).toEqual([405, 'HTTP_METHOD_NOT_ALLOWED']);
    const wrongPage = await post('', {}, 'DELETE', '/');
    expect([wrongPage.status, JSON.parse(wrongPage.body).error.code]).toEqual([405, 'HTTP_METHOD_NOT_ALLOWED']);
    const text = await post('{}', { 'content-type': 'text/plain' });
    expect([text.status, JSON.parse(text.body).error.code]).toEqual([415, 'HTTP_UNSUPPORTED_MEDIA_TYPE']);
    const big = await post(JSON.stringify({ name: 'app.status', input: { pad: 'x'.repeat(1024 * 1024 + 10) } })).catch(() => null);
    // The host may close the connection before the client has sent everything; if an answer came, it is the envelope.
    if (big) expect([big.status, JSON.parse(big.body).error.code]).toEqual([413, 'HTTP_BODY_TOO_LARGE']);
    const missing = await post('', {}, 'GET', '/assets/none.js');
    expect([missing.status, JSON.parse(missing.body).error.code]).toEqual([404, 'HTTP_NOT_FOUND']);
  });
});

describe('one console per data folder', () => {
  it('a second host on the same folder is refused, names the first, and touches nothing of it', async () => {
    const before = processesOf(dataDir).map((p) => p.pid);
    const dbBefore = fs.statSync(path.join(dataDir, 'cantareira.db')).mtimeMs;
    await expect(startHeadlessHost({ dataDir, rendererDir, embedded: embeddedTimings, log: () => {} })).rejects.toMatchObject({
      code: 'DATA_DIR_LOCKED',
      message: expect.stringContaining(`pid ${process.pid}`),
    });
    // The first host's tasks run on, and it still answers.
    expect(processesOf(dataDir).map((p) => p.pid)).toEqual(expect.arrayContaining(before));
    expect(fs.statSync(path.join(dataDir, 'cantareira.db')).mtimeMs).toBe(dbBefore);
    expect((await call('app.status', {})).status).toBe(200);
  });
});

describe('a start that cannot finish leaves nothing behind', () => {
  it('a port in use fails before any task starts, and frees the folder for the next start', async () => {
    const blocker = http.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as import('node:net').AddressInfo).port;
    const other = path.join(dir, 'other');
    const demoJobsDir = path.resolve(import.meta.dirname, '../../jobs/demo');
    try {
      await expect(startHeadlessHost({ dataDir: other, rendererDir, port, demoJobsDir, log: () => {} })).rejects.toThrow(/in use/);
      expect(fs.existsSync(path.join(other, 'cantareira.db'))).toBe(false);
      expect(processesOf(other)).toEqual([]);
      // The lock went with the failed start.
      const next = await startHeadlessHost({ dataDir: other, rendererDir, log: () => {} });
      await next.close();
    } finally {
      blocker.close();
      killLeftovers(other);
    }
  });
});

describe('files meant to be private', () => {
  it('the data folder is 0700, the database, its WAL and the lock 0600, sandboxes 0700 and logs 0600', () => {
    const mode = (p: string) => fs.statSync(p).mode & 0o777;
    expect(mode(dataDir)).toBe(0o700);
    for (const f of ['cantareira.db', 'cantareira.db-wal', 'cantareira.lock', 'cantareira.lock.json']) {
      expect([f, mode(path.join(dataDir, f))]).toEqual([f, 0o600]);
    }
    const logs = fs
      .readdirSync(dataDir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && (e.name === 'stdout' || e.name === 'stderr'))
      .map((e) => path.join(e.parentPath, e.name));
    expect(logs.length).toBeGreaterThan(0);
    for (const f of logs) {
      expect([f, mode(f)]).toEqual([f, 0o600]);
      expect([path.dirname(f), mode(path.dirname(f))]).toEqual([path.dirname(f), 0o700]);
    }
  });

  it('an existing folder and database of an older console are tightened', async () => {
    const old = path.join(dir, 'old');
    fs.mkdirSync(old, { mode: 0o755 });
    fs.chmodSync(old, 0o755);
    const first = await startHeadlessHost({ dataDir: old, rendererDir, log: () => {} });
    await first.close();
    fs.chmodSync(old, 0o755);
    fs.chmodSync(path.join(old, 'cantareira.db'), 0o644);
    const second = await startHeadlessHost({ dataDir: old, rendererDir, log: () => {} });
    await second.close();
    expect(fs.statSync(old).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(old, 'cantareira.db')).mode & 0o777).toBe(0o600);
  });
});
