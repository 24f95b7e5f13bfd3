/**
 * A task's sandbox on a real agent, through the agent's files API, as the log viewer uses it:
 * a loopback agent serves /state, /files/browse and /files/read over a real run directory,
 * encoding file bytes in JSON strings as Mesos does (raw, unvalidated).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FollowItem, LogLine, SearchItem } from '../../core/contract/logs.js';
import { createLogs, type Logs } from '../../core/logs/service.js';
import type { LogSource, SandboxFiles } from '../../core/logs/source.js';
import type { AgentAddress } from '../../core/mesos/agent.js';
import { agentSandboxFiles } from '../../core/mesos/files.js';
import { createTransport, type Transport } from '../../core/mesos/http.js';
import { sandboxOf } from '../../core/mesos/sandbox.js';
import { fetchState } from '../../core/mesos/state.js';
import { example } from './fixtures/mesos-payloads.js';
import {
  readCap,
  refusedPort,
  startAgent,
  startLeader,
  startSilent,
  type AgentRunning,
  type LeaderRunning,
  type Running,
} from './fixtures/mesos-servers.js';

/** ~3 MB of executor log lines, with a '€' straddling the first 64 KiB boundary. */
function bigLog(): Buffer {
  const parts: Buffer[] = [];
  let size = 0;
  for (let i = 1; size < 3 * 1024 * 1024; i++) {
    const line = Buffer.from(`I0610 07:10:04.${String(i).padStart(6, '0')} 31337 thermos_task_runner.py:267] line ${i}: task is RUNNING\n`);
    parts.push(line);
    size += line.length;
  }
  const log = Buffer.concat(parts);
  Buffer.from('€').copy(log, readCap - 1);
  return log;
}

const big = bigLog();
/** Lines on which (a+)+$ backtracks 2^30 ways in V8, and one last line that matches. */
const catastrophic = Buffer.from(`${'a'.repeat(30)}!\n`.repeat(64_000) + `${'a'.repeat(30)}\n`);
const unicode = Buffer.from('café ☕ — 日本語 — 😀\nsecond line: naïve\n', 'utf8');
/** Every byte value, invalid UTF-8 sequences, a lone continuation byte and a NUL. */
const binary = Buffer.concat([
  Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
  Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x90, 0x28, 0xbc, 0x80, 0x00, 0x22, 0x5c]),
]);

let agent: AgentRunning;
let shortAgent: AgentRunning;
let silent: Running;
let leader: LeaderRunning;
let outside: string;
let transport: Transport;
let logs: Logs;
let address: AgentAddress;
let files: SandboxFiles;
let source: LogSource;

beforeAll(async () => {
  agent = await startAgent({
    files: {
      stdout: 'Running task\n',
      stderr: big,
      'sandbox/.logs/main/0/stdout': unicode,
      'sandbox/.logs/main/0/stderr': '',
      'binary.bin': binary,
      'sandbox/catastrophic.log': catastrophic,
    },
  });
  shortAgent = await startAgent({ files: { stderr: big }, shortReadBytes: 1000 });
  silent = await startSilent();
  leader = await startLeader({ agentPids: [agent.pid] });
  outside = fs.mkdtempSync(path.join(os.tmpdir(), 'cantareira-outside-'));
  fs.writeFileSync(path.join(outside, 'secret'), 'secret\n');
  fs.symlinkSync(outside, path.join(agent.runDir, 'escape'));
  fs.symlinkSync(path.join(outside, 'secret'), path.join(agent.runDir, 'leak'));
  transport = createTransport({ timeoutMs: 2000 });
  logs = createLogs({ follow: { pollMs: 50, idleFlushMs: 100 } });
  address = { id: agent.id, hostname: 'ip-10-20-1-11.ec2.internal', ip: '127.0.0.1', port: agent.port };
  files = agentSandboxFiles(address, agent.virtualPath, transport);
  source = logs.over(files);
});

afterAll(async () => {
  transport.close();
  await logs.close();
  await Promise.all([agent, shortAgent, silent, leader].map((s) => s.close()));
  fs.rmSync(outside, { recursive: true, force: true });
});

describe('browsing a sandbox', () => {
  it('lists the run directory, directories first, with sizes, mtimes and modes', async () => {
    const listing = await source.list('');
    expect(listing.path).toBe('');
    expect(listing.truncated).toBe(false);
    expect(listing.entries.map((e) => [e.name, e.kind])).toEqual([
      ['escape', 'dir'],
      ['sandbox', 'dir'],
      ['binary.bin', 'file'],
      ['leak', 'file'],
      ['stderr', 'file'],
      ['stdout', 'file'],
    ]);
    const stderr = listing.entries.find((e) => e.name === 'stderr')!;
    expect(stderr).toEqual({
      name: 'stderr',
      path: 'stderr',
      kind: 'file',
      size: big.length,
      mtime: Math.floor(fs.statSync(path.join(agent.runDir, 'stderr')).mtimeMs / 1000) * 1000,
      mode: '-rw-r--r--',
    });
    expect(agent.served.at(-1)!.url).toBe(`/files/browse?path=${encodeURIComponent(agent.virtualPath)}`);
  });

  it('lists the Thermos process logs under sandbox/.logs', async () => {
    const listing = await source.list('sandbox/.logs/main/0');
    expect(listing.entries.map((e) => e.path)).toEqual(['sandbox/.logs/main/0/stderr', 'sandbox/.logs/main/0/stdout']);
  });

  it('keeps a listing bounded', async () => {
    const listing = await files.list('', 2);
    expect(listing.entries).toHaveLength(2);
    expect(listing.truncated).toBe(true);
  });

  it('says a file is a file (the agent lists a file as [])', async () => {
    await expect(source.list('stdout')).rejects.toMatchObject({
      code: 'SANDBOX_NOT_FOUND',
      message: '"stdout" is a file, not a directory.',
    });
  });

  it('shows the path on the agent for copying', async () => {
    expect((await source.stat('stderr')).absolutePath).toBe(`${agent.virtualPath}/stderr`);
  });
});

describe('reading through /files/read', () => {
  it('reads a multi-MB file exactly, looping over the 64 KiB cap', async () => {
    const before = agent.reads.count;
    agent.reads.maxLength = 0;
    const file = await files.open('stderr');
    expect((await file.info()).size).toBe(big.length);
    const all = await file.read(0, big.length);
    expect(all.equals(big)).toBe(true);
    expect(agent.reads.maxLength).toBe(readCap);
    expect(agent.reads.count - before).toBeGreaterThanOrEqual(Math.ceil(big.length / readCap));
    // Into a caller's buffer, from the middle, across the boundary inside the '€'.
    const into = Buffer.alloc(100_000);
    const part = await file.read(readCap - 10, 100_000, into);
    expect(part.buffer).toBe(into.buffer);
    expect(part.equals(big.subarray(readCap - 10, readCap - 10 + 100_000))).toBe(true);
    await file.close();
  });

  it('opens a 1 GiB one-line file at its end in a few 64 KiB reads: the tail, partial and continued', async () => {
    const sparse = path.join(agent.runDir, 'one-line');
    fs.writeFileSync(sparse, '');
    fs.truncateSync(sparse, 1024 ** 3 - 12);
    fs.appendFileSync(sparse, ' end of line');
    const before = agent.reads.count;
    const r = await source.lines('one-line', { at: -1, before: 100, after: 0, maxLineChars: 10_000 });
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toMatchObject({ offset: 1024 ** 3 - 10_000, length: 10_000, partial: true, continued: true });
    expect(r.lines[0]!.text.endsWith('\u2400 end of line')).toBe(true);
    // Size probes, then at most 256 KiB looked at from the end: a handful of requests, not 16,384.
    expect(agent.reads.count - before).toBeLessThanOrEqual(8);
  });

  it('stops at the end of the file, and reads nothing past it', async () => {
    const file = await files.open('stderr');
    expect((await file.read(big.length - 5, 1000)).equals(big.subarray(-5))).toBe(true);
    expect((await file.read(big.length + 10, 1000)).length).toBe(0);
  });

  it('keeps going when the agent answers a read short', async () => {
    const shortFiles = agentSandboxFiles(
      { id: shortAgent.id, hostname: 'h', ip: '127.0.0.1', port: shortAgent.port },
      shortAgent.virtualPath,
      transport,
    );
    const file = await shortFiles.open('stderr');
    expect((await file.read(1234, 300_000)).equals(big.subarray(1234, 1234 + 300_000))).toBe(true);
  });

  it('gives the exact bytes of a binary file: every byte value, invalid UTF-8, NUL', async () => {
    const r = await source.read('binary.bin', 0, 1024 * 1024);
    expect(r.size).toBe(binary.length);
    expect(r.data.equals(binary)).toBe(true);
    expect(await source.stat('binary.bin')).toMatchObject({ binary: true, format: null });
  });

  it('counts bytes, not characters, in non-ASCII text, and shows its lines decoded', async () => {
    expect((await source.stat('sandbox/.logs/main/0/stdout')).size).toBe(unicode.length);
    const r = await source.lines('sandbox/.logs/main/0/stdout', { at: -1, before: 10, after: 0, maxLineChars: 1000 });
    expect(r.lines.map((l) => [l.offset, l.text])).toEqual([
      [0, 'café ☕ — 日本語 — 😀'],
      [Buffer.byteLength('café ☕ — 日本語 — 😀\n'), 'second line: naïve'],
    ]);
    expect(r.size).toBe(unicode.length);
  });

  it('finds a line far into the file with search', async () => {
    const found = await new Promise<string[]>((resolve, reject) => {
      const texts: string[] = [];
      void source.search(
        'stderr',
        { query: 'line 30000:', mode: 'literal', caseInsensitive: false, from: 0, maxMatches: 10, maxLineChars: 500 },
        {
          push: (items) => {
            for (const i of items) {
              if (i.kind === 'match') texts.push(i.line.text);
              if (i.kind === 'progress' && i.done) resolve(texts);
            }
          },
          fail: reject,
        },
      );
    });
    expect(found).toEqual([expect.stringContaining('] line 30000: task is RUNNING')]);
  });

  it('searches it with a pattern V8 would backtrack on for hours, in a worker: other calls answer meanwhile', async () => {
    let done = false;
    const found = new Promise<number[]>((resolve, reject) => {
      const offsets: number[] = [];
      void source.search(
        'sandbox/catastrophic.log',
        { query: '(a+)+$', mode: 'regex', caseInsensitive: false, from: 0, maxMatches: 10, maxLineChars: 500 },
        {
          push: (items) => {
            for (const i of items) {
              if (i.kind === 'match') offsets.push(i.line.offset);
              if (i.kind === 'progress' && i.done) {
                done = true;
                resolve(offsets);
              }
            }
          },
          fail: reject,
        },
      );
    });
    // Before, the pattern ran on the main thread, and this call waited for hours.
    const tail = await source.lines('stdout', { at: -1, before: 1, after: 0, maxLineChars: 100 });
    const answeredWhileSearching = !done;
    expect(await found).toEqual([catastrophic.length - 31]);
    expect(tail.lines.at(-1)!.text).toBe('Running task');
    expect(answeredWhileSearching).toBe(true);
  });

  it('follows a file as the task appends to it', async () => {
    const stdout = path.join(agent.runDir, 'stdout');
    const got: LogLine[] = [];
    let resolveDone: () => void;
    let rejectDone: (e: unknown) => void;
    const done = new Promise<void>((resolve, reject) => {
      resolveDone = resolve;
      rejectDone = reject;
    });
    const stop = await source.follow(
      'stdout',
      { offset: fs.statSync(stdout).size },
      {
        push: (items: FollowItem[]) => {
          for (const i of items) if (i.kind === 'line' && !i.line.partial) got.push(i.line);
          if (got.length >= 2) resolveDone();
        },
        fail: (e) => rejectDone(e),
      },
    );
    try {
      fs.appendFileSync(stdout, 'first appended\n');
      fs.appendFileSync(stdout, 'second appended — ü\n');
      await done;
      expect(got.map((l) => l.text)).toEqual(['first appended', 'second appended — ü']);
      expect(got[0]!.offset).toBe(Buffer.byteLength('Running task\n'));
    } finally {
      stop();
    }
  });

  it('refuses to open a directory as a log', async () => {
    await expect(source.stat('sandbox')).rejects.toMatchObject({ code: 'LOG_NOT_TEXT' });
  });
});

describe('paths stay inside the sandbox', () => {
  it.each([
    ['a parent reference', '../x'],
    ['a parent reference deeper down', 'sandbox/../../x'],
    ['an absolute path', '/etc/passwd'],
    ['percent-encoded dots', '%2e%2e/x'],
    ['a NUL byte', 'stdout\0'],
  ])('refuses %s before asking the agent', async (_, p) => {
    const before = agent.served.length;
    await expect(source.read(p, 0, 10)).rejects.toMatchObject({ code: 'SANDBOX_OUTSIDE_ROOT' });
    await expect(source.list(p)).rejects.toMatchObject({ code: 'SANDBOX_OUTSIDE_ROOT' });
    expect(agent.served.length).toBe(before);
  });

  it('refuses symlinks out of the run directory, as the agent reports them', async () => {
    await expect(source.read('leak', 0, 10)).rejects.toMatchObject({ code: 'SANDBOX_OUTSIDE_ROOT' });
    await expect(source.list('escape')).rejects.toMatchObject({ code: 'SANDBOX_OUTSIDE_ROOT' });
    await expect(source.read('escape/secret', 0, 10)).rejects.toMatchObject({ code: 'SANDBOX_OUTSIDE_ROOT' });
  });

  it('says what is not there, and when the whole sandbox is gone', async () => {
    await expect(source.stat('nope')).rejects.toMatchObject({
      code: 'SANDBOX_NOT_FOUND',
      message: 'There is no "nope" in the task\'s sandbox.',
    });
    const gone = logs.over(agentSandboxFiles(address, `/frameworks/${example.frameworkId}/executors/gone/runs/latest`, transport));
    await expect(gone.list('')).rejects.toMatchObject({ code: 'SANDBOX_GONE' });
  });
});

describe('an agent that does not answer', () => {
  it('is AGENT_UNREACHABLE within the timeout, naming the agent', async () => {
    const quick = createTransport({ timeoutMs: 300, timeoutGrowth: [1] });
    try {
      const dead = logs.over(
        agentSandboxFiles(
          { id: 'S9', hostname: 'ip-10-20-9-9.ec2.internal', ip: '127.0.0.1', port: silent.port },
          agent.virtualPath,
          quick,
        ),
      );
      // Each call ends on the transport's 300 ms timer (the message names it), not on anything slower.
      await expect(dead.list('')).rejects.toMatchObject({
        code: 'AGENT_UNREACHABLE',
        message: `The Mesos agent ip-10-20-9-9.ec2.internal (127.0.0.1:${silent.port}) did not answer: no complete answer within 300 ms.`,
      });
      await expect(dead.stat('stderr')).rejects.toMatchObject({
        code: 'AGENT_UNREACHABLE',
        message: expect.stringContaining('no complete answer within 300 ms'),
      });
    } finally {
      quick.close();
    }
  });

  it('is AGENT_UNREACHABLE when it refuses the connection', async () => {
    const port = await refusedPort();
    const dead = agentSandboxFiles(
      { id: 'S9', hostname: 'ip-10-20-9-9.ec2.internal', ip: '127.0.0.1', port },
      agent.virtualPath,
      transport,
    );
    await expect(dead.list('', 100)).rejects.toMatchObject({
      code: 'AGENT_UNREACHABLE',
      message: expect.stringContaining('connection refused'),
    });
  });
});

describe("finding a task's sandbox", () => {
  it("reads the run directory from the agent's /state, and the latest run's virtual path", async () => {
    const s = await sandboxOf(address, example.frameworkId, example.runningExecutor, transport);
    expect(s).toEqual({
      agentId: agent.id,
      frameworkId: example.frameworkId,
      executorId: example.runningExecutor,
      directory: agent.runDir,
      latest: agent.virtualPath,
      root: agent.runDir,
      containerId: example.runningContainer,
      type: null,
      running: true,
    });
    expect(agent.served.at(-1)!.url).toBe('/state');
    // The agent serves the run directory under its real path too.
    const byDirectory = logs.over(agentSandboxFiles(address, s.root, transport));
    expect((await byDirectory.read('stdout', 0, 12)).data.toString()).toBe('Running task');
  });

  it('falls back to the latest run when the agent no longer lists the executor', async () => {
    const s = await sandboxOf(address, example.frameworkId, 'thermos-long-gone', transport);
    expect(s).toMatchObject({
      directory: null,
      root: `/frameworks/${example.frameworkId}/executors/thermos-long-gone/runs/latest`,
      running: false,
    });
  });

  it('reaches the agent of a task by the IP in its pid, from the master state to its stderr', async () => {
    const state = await fetchState(leader.url, transport);
    const task = state.tasks.find((t) => t.id === example.runningTask)!;
    const host = state.agents.find((a) => a.id === task.agentId)!;
    expect(host).toMatchObject({ hostname: 'ip-10-20-1-11.ec2.internal', ip: '127.0.0.1', port: agent.port });
    const viewer = logs.over(agentSandboxFiles(host, task.sandbox.latestPath, transport));
    const tail = await viewer.lines('stderr', { at: -1, before: 1, after: 0, maxLineChars: 1000 });
    expect(tail.lines[0]!.text).toBe(big.subarray(big.lastIndexOf(10, big.length - 2) + 1, big.length - 1).toString());
  });
});

/**
 * What a viewer costs the agent, counted by the agent itself: each request is a call its files
 * process serves, for every viewer of every on-call engineer.
 */
describe('what reading a log costs the agent', () => {
  /** 12 MB of numbered lines: past the size where an index downloads instead of reading ranges. */
  const rows = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `row ${from + i} of the log\n`).join('');
  const large = Buffer.from(rows(1, 500_000));
  let costly: AgentRunning;
  let refusing: AgentRunning[];
  const sourceOf = (a: AgentRunning, t = transport) =>
    logs.over(agentSandboxFiles({ id: a.id, hostname: 'h', ip: '127.0.0.1', port: a.port }, a.virtualPath, t));
  const indexed = async (s: LogSource, rel: string) => {
    let p = await s.index(rel);
    while (!p.done) {
      await new Promise((r) => setTimeout(r, 20));
      p = await s.index(rel);
    }
    return p;
  };

  beforeAll(async () => {
    costly = await startAgent({ files: { stdout: 'one\ntwo\n', stderr: big, 'large.log': large } });
    refusing = await Promise.all(
      ([403, 404, 405] as const).map((status) => startAgent({ files: { 'large.log': large }, refuseDownload: status })),
    );
  });
  afterAll(async () => {
    await Promise.all([costly, ...refusing].map((a) => a.close()));
  });

  it('stat costs 2 requests; opening a small file at its end (stat, then the last page) 2 in all', async () => {
    const s = sourceOf(costly);
    costly.requests.clear();
    expect(await s.stat('stdout')).toMatchObject({ size: 8, binary: false });
    expect(costly.requestCount()).toBe(2);
    const page = await s.lines('stdout', { at: -1, before: 150, after: 0, maxLineChars: 10_000 });
    expect(page.lines.map((l) => l.text)).toEqual(['one', 'two']);
    expect(Object.fromEntries(costly.requests)).toEqual({ '/files/read': 2 });
  });

  it('opening a 3 MB file at its end costs 3 requests: a size, the head to sniff, the last 64 KiB', async () => {
    const s = sourceOf(costly);
    costly.requests.clear();
    await s.stat('stderr');
    const page = await s.lines('stderr', { at: -1, before: 150, after: 0, maxLineChars: 10_000 });
    expect(page.lines).toHaveLength(150);
    expect(page.size).toBe(big.length);
    expect(Object.fromEntries(costly.requests)).toEqual({ '/files/read': 3 });
  });

  it('a page around an offset costs 2 requests (size, one read)', async () => {
    const s = sourceOf(costly);
    await new Promise((r) => setTimeout(r, 2100)); // past the reuse of sizes: a cold call
    costly.requests.clear();
    const page = await s.lines('stderr', { at: 1_000_000, before: 20, after: 20, maxLineChars: 10_000 });
    expect(page.lines).toHaveLength(40);
    expect(costly.requestCount()).toBe(2);
  });

  it('an idle follow polls at most once a second, and still delivers what is appended', async () => {
    const s = sourceOf(costly);
    const stdout = path.join(costly.runDir, 'stdout');
    const got: string[] = [];
    const stop = await s.follow(
      'stdout',
      { offset: fs.statSync(stdout).size },
      { push: (items) => got.push(...items.flatMap((i) => (i.kind === 'line' ? [i.line.text] : []))), fail: () => {} },
    );
    try {
      await new Promise((r) => setTimeout(r, 300)); // the first look and what it starts
      costly.requests.clear();
      const t0 = Date.now();
      await new Promise((r) => setTimeout(r, 3000));
      const idle = costly.requestCount();
      const seconds = (Date.now() - t0) / 1000;
      expect(idle).toBeLessThanOrEqual(Math.ceil(seconds) + 1);
      expect(idle).toBeGreaterThan(0);
      fs.appendFileSync(stdout, 'three\n');
      await expect.poll(() => got, { timeout: 10_000 }).toEqual(['three']);
    } finally {
      stop();
    }
  });

  it('indexes a 12 MB file through one /files/download, and goes to any line', async () => {
    const s = sourceOf(costly);
    costly.requests.clear();
    expect(await indexed(s, 'large.log')).toEqual({ size: large.length, indexed: large.length, lines: 500_000, done: true });
    expect(costly.requests.get('/files/download')).toBe(1);
    // Progress polls and the last block: a few reads, not the 183 a 64 KiB walk takes.
    expect(costly.requests.get('/files/read') ?? 0).toBeLessThanOrEqual(20);
    for (const n of [1, 2, 123_456, 500_000]) {
      const r = await s.lines('large.log', { at: -1, line: n, before: 0, after: 1, maxLineChars: 100 });
      expect(r.lines[0]!.text).toBe(`row ${n} of the log`);
    }
  });

  it('goes to lines a growing file gained after its index was built', async () => {
    const s = sourceOf(costly);
    const file = path.join(costly.runDir, 'large.log');
    await indexed(s, 'large.log');
    fs.appendFileSync(file, rows(500_001, 500_100));
    for (const n of [500_050, 500_100, 600_000]) {
      const r = await s.lines('large.log', { at: -1, line: n, before: 0, after: 1, maxLineChars: 100 });
      expect(r.lines[0]!.text).toBe(`row ${Math.min(n, 500_100)} of the log`);
    }
  });

  const searchAll = (s: LogSource, query: string) =>
    new Promise<{ offsets: number[]; texts: string[]; last: SearchItem | undefined }>((resolve, reject) => {
      const offsets: number[] = [];
      const texts: string[] = [];
      void s.search(
        'large.log',
        { query, mode: 'regex', caseInsensitive: false, from: 0, maxMatches: 1000, maxLineChars: 500 },
        {
          push: (items) => {
            for (const i of items) {
              if (i.kind === 'match') {
                offsets.push(i.line.offset);
                texts.push(i.line.text);
              }
              if (i.kind === 'progress' && i.done) resolve({ offsets, texts, last: i });
            }
          },
          fail: reject,
        },
      );
    });

  it('searches a 12 MB file through one /files/download, in file order, to the end', async () => {
    const s = sourceOf(costly);
    costly.requests.clear();
    const r = await searchAll(s, '^row (1|2500|49999[0-9]) of');
    expect(r.texts).toEqual([
      'row 1 of the log',
      'row 2500 of the log',
      ...Array.from({ length: 10 }, (_, i) => `row ${499_990 + i} of the log`),
    ]);
    expect(r.offsets).toEqual([...r.offsets].sort((a, b) => a - b));
    const size = fs.statSync(path.join(costly.runDir, 'large.log')).size; // grown by the test before
    expect(r.last).toEqual({ kind: 'progress', scanned: size, size, matches: 12, done: true });
    expect(costly.requests.get('/files/download')).toBe(1);
    expect(costly.requests.get('/files/read') ?? 0).toBeLessThanOrEqual(2);
  });

  it('finds the same lines when the workers fall behind the download and the rest is read in ranges', async () => {
    const behind = createLogs({ search: { maxBufferedBytes: 6 * 1024 * 1024 } });
    try {
      const s = behind.over(
        agentSandboxFiles({ id: costly.id, hostname: 'h', ip: '127.0.0.1', port: costly.port }, costly.virtualPath, transport),
      );
      costly.requests.clear();
      const r = await searchAll(s, '^row (1|2500|49999[0-9]) of');
      expect(r.texts).toEqual([
        'row 1 of the log',
        'row 2500 of the log',
        ...Array.from({ length: 10 }, (_, i) => `row ${499_990 + i} of the log`),
      ]);
      expect(costly.requests.get('/files/download')).toBe(1);
      expect(costly.requests.get('/files/read')).toBeGreaterThan(10);
    } finally {
      await behind.close();
    }
  });

  it.each([0, 1, 2])('falls back to 64 KiB reads where the agent refuses downloads (case %i: 403, 404, 405)', async (k) => {
    const a = refusing[k]!;
    const s = sourceOf(a);
    a.requests.clear();
    expect(await indexed(s, 'large.log')).toMatchObject({ lines: 500_000, done: true });
    expect(a.requests.get('/files/download')).toBe(1);
    expect(a.requests.get('/files/read')).toBeGreaterThanOrEqual(Math.floor(large.length / readCap));
    const r = await s.lines('large.log', { at: -1, line: 250_000, before: 0, after: 1, maxLineChars: 100 });
    expect(r.lines[0]!.text).toBe('row 250000 of the log');
    const found = await searchAll(s, '^row (1|2500|49999[0-9]) of');
    expect(found.texts).toHaveLength(12);
    expect(a.requests.get('/files/download')).toBe(2);
  });
});
