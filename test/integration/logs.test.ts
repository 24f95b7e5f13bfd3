/**
 * Task logs through the console's public surface: a real embedded task writes its stdout into a
 * real sandbox, and the calls and streams of the contract read, follow and search it, the way
 * the renderer does (dispatch, and a stream session with batches, cursors and errors).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ContractError, FollowItem, SearchItem, ServerStreamMessage, StreamBatch, Task } from '../../core/contract/index.js';
import {
  job,
  jobFile,
  keyOf,
  killLeftovers,
  openConsole,
  processesOf,
  tempDataDir,
  waitFor,
  waitForState,
  type TestConsole,
} from './fixtures/embedded-helpers.js';

let dataDir: string;
let t: TestConsole;

beforeEach(async () => {
  dataDir = tempDataDir();
  t = openConsole(dataDir);
  await t.console.ready;
});

afterEach(async () => {
  try {
    await t.close();
    expect(processesOf(dataDir)).toEqual([]);
  } finally {
    killLeftovers(dataDir);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

const stdout = 'sandbox/.logs/main/0/stdout';
// Fifty numbered lines, a failure on stderr, then a tick every 50 ms until killed.
const writer = `for i in $(seq 1 50); do echo "line $i"; done; echo 'ERROR boom' >&2; n=0; while sleep 0.05; do n=$((n+1)); echo "tick $n"; done`;

async function runningTask(name = 'writer'): Promise<Task> {
  await t.create(jobFile(job({ name, cmdline: writer })));
  const [task] = await waitForState(t, keyOf({ name }), 'RUNNING');
  await waitFor(
    'the 50 lines',
    () =>
      fs.existsSync(path.join(task!.sandboxDir!, '.logs/main/0/stdout')) &&
      fs.readFileSync(path.join(task!.sandboxDir!, '.logs/main/0/stdout'), 'utf8').includes('line 50\n'),
  );
  return task!;
}

/** A stream session of the console, as a window has one. */
function session() {
  const posted: ServerStreamMessage[] = [];
  // Acknowledges every batch once handled, as the renderer's transports do.
  const s = t.console.openStreamSession(
    (m) => {
      posted.push(m);
      if (m.t === 'batch') queueMicrotask(() => s.handle({ t: 'ack', id: m.id }));
    },
    { flushMs: 10 },
  );
  let nextId = 1;
  return {
    posted,
    subscribe(name: string, input: unknown): number {
      const id = nextId++;
      s.handle({ t: 'sub', id, name, input });
      return id;
    },
    batches<T>(id: number): StreamBatch<T>[] {
      return posted.flatMap((m) => (m.t === 'batch' && m.id === id ? [m.batch as StreamBatch<T>] : []));
    },
    items<T>(id: number): T[] {
      return this.batches<T>(id).flatMap((b) => b.items);
    },
    error(id: number): ContractError | undefined {
      const m = posted.find((p) => p.t === 'error' && p.id === id);
      return m?.t === 'error' ? (m.error as ContractError) : undefined;
    },
    unsub: (id: number) => s.handle({ t: 'unsub', id }),
    close: () => s.closeAll(),
  };
}

describe("a task's logs through the console", () => {
  it('lists the run directory and the Thermos log folder, and reads the last lines, a stat and a raw range', async () => {
    const task = await runningTask();
    const top = await t.call<{ runDir: string; path: string; entries: { name: string; kind: string }[] }>('sandbox.list', {
      taskId: task.taskId,
      path: '',
    });
    expect(top.runDir).toBe(path.dirname(task.sandboxDir!));
    expect(top.entries.map((e) => [e.name, e.kind])).toEqual(
      expect.arrayContaining([
        ['sandbox', 'dir'],
        ['stdout', 'file'],
        ['stderr', 'file'],
      ]),
    );
    const logDir = await t.call<{ entries: { name: string }[] }>('sandbox.list', { taskId: task.taskId, path: 'sandbox/.logs/main/0' });
    expect(logDir.entries.map((e) => e.name)).toEqual(['stderr', 'stdout']);

    const stderr = await t.call<{ lines: { text: string }[] }>('logs.lines', {
      taskId: task.taskId,
      path: 'sandbox/.logs/main/0/stderr',
      at: -1,
      before: 5,
    });
    expect(stderr.lines.map((l) => l.text)).toEqual(['ERROR boom']);
    const head = await t.call<{ lines: { offset: number; text: string }[]; end: number }>('logs.lines', {
      taskId: task.taskId,
      path: stdout,
      at: 0,
      after: 3,
    });
    expect(head.lines).toEqual([
      { offset: 0, length: 6, text: 'line 1', truncated: false },
      { offset: 7, length: 6, text: 'line 2', truncated: false },
      { offset: 14, length: 6, text: 'line 3', truncated: false },
    ]);
    expect(head.end).toBe(21);

    const stat = await t.call<{ size: number; binary: boolean; absolutePath: string }>('logs.stat', { taskId: task.taskId, path: stdout });
    expect(stat).toMatchObject({ binary: false, absolutePath: path.join(task.sandboxDir!, '.logs/main/0/stdout') });
    expect(stat.size).toBeGreaterThan(300);
    const raw = await t.call<{ offset: number; data: string }>('logs.read', { taskId: task.taskId, path: stdout, offset: 7, length: 6 });
    expect(Buffer.from(raw.data, 'base64').toString()).toBe('line 2');
  });

  it('says what is binary through the API: an executable gets its kind and its bytes, a log with NULs stays text', async () => {
    const task = await runningTask('binaries');
    fs.copyFileSync(process.execPath, path.join(task.sandboxDir!, 'node-copy'));
    fs.writeFileSync(path.join(task.sandboxDir!, 'records.log'), 'id=1\0ok\nid=2\0ok\n');
    const ref = (p: string) => ({ taskId: task.taskId, path: `sandbox/${p}` });
    expect(await t.call('logs.stat', ref('node-copy'))).toMatchObject({ binary: true, format: 'ELF' });
    const page = await t.call<{ offset: number; data: string }>('logs.read', { ...ref('node-copy'), offset: 0, length: 4096 });
    expect(Buffer.from(page.data, 'base64')).toEqual(fs.readFileSync(process.execPath).subarray(0, 4096));
    expect(await t.call('logs.stat', ref('records.log'))).toMatchObject({ binary: false, format: null });
    const lines = await t.call<{ lines: { text: string }[] }>('logs.lines', { ...ref('records.log'), at: 0, after: 5 });
    expect(lines.lines.map((l) => l.text)).toEqual(['id=1\u2400ok', 'id=2\u2400ok']);
  });

  it('follows the stdout as the task writes it, in batches whose cursors resume without gap or repeat', async () => {
    const task = await runningTask();
    const s = session();
    const id = s.subscribe('logs.follow', { taskId: task.taskId, path: stdout, from: 0 });
    await waitFor('ticks', () => s.items<FollowItem>(id).filter((i) => i.kind === 'line').length > 55);
    const first = s.items<FollowItem>(id).flatMap((i) => (i.kind === 'line' ? [i.line] : []));
    expect(first.slice(0, 50).map((l) => l.text)).toEqual(Array.from({ length: 50 }, (_, i) => `line ${i + 1}`));
    expect(first.slice(50, 53).map((l) => l.text)).toEqual(['tick 1', 'tick 2', 'tick 3']);
    for (let i = 1; i < first.length; i++) expect(first[i]!.offset).toBe(first[i - 1]!.offset + first[i - 1]!.length + 1);

    const cursor = s.batches(id).at(-1)!.cursor!;
    expect(cursor).toMatch(/^\d+@/);
    s.unsub(id);
    const seen = s.items<FollowItem>(id).length;
    const [from, file] = cursor.split('@');
    const again = s.subscribe('logs.follow', { taskId: task.taskId, path: stdout, from: Number(from), file });
    await waitFor('more ticks', () => s.items<FollowItem>(again).length >= 3);
    expect(s.items<FollowItem>(id)).toHaveLength(seen); // nothing after unsubscribing
    const resumed = s.items<FollowItem>(again).flatMap((i) => (i.kind === 'line' ? [i.line] : []));
    const lastTick = Number(first.at(-1)!.text.split(' ')[1]);
    expect(resumed[0]).toMatchObject({ offset: Number(from), text: `tick ${lastTick + 1}` });
    s.close();
  });

  it('searches the stdout progressively and says when it is done', async () => {
    const task = await runningTask();
    const s = session();
    const id = s.subscribe('logs.search', { taskId: task.taskId, path: stdout, query: 'LINE 4', mode: 'literal', caseInsensitive: true });
    await waitFor('the search to end', () => s.items<SearchItem>(id).some((i) => i.kind === 'progress' && i.done));
    const matches = s.items<SearchItem>(id).flatMap((i) => (i.kind === 'match' ? [i] : []));
    expect(matches.map((m) => m.line.text)).toEqual(['line 4', ...Array.from({ length: 10 }, (_, i) => `line ${40 + i}`)]);
    expect(matches[0]!.ranges).toEqual([[0, 6]]);
    const regex = s.subscribe('logs.search', { taskId: task.taskId, path: stdout, query: '^line [0-9]$', mode: 'regex' });
    await waitFor('the regex search to end', () => s.items<SearchItem>(regex).some((i) => i.kind === 'progress' && i.done));
    expect(s.items<SearchItem>(regex).filter((i) => i.kind === 'match')).toHaveLength(9);
    s.close();
  });

  it('finishes the first regex search after start, one V8 would backtrack on for hours, and answers other calls meanwhile', async () => {
    const task = await runningTask();
    // 30 a's and a "!" per line: (a+)+$ tries 2^30 ways on each line in a backtracking engine.
    fs.writeFileSync(path.join(task.sandboxDir!, 'catastrophic.log'), `${'a'.repeat(30)}!\n`.repeat(40_000) + `${'a'.repeat(30)}\n`);
    const s = session();
    const id = s.subscribe('logs.search', { taskId: task.taskId, path: 'sandbox/catastrophic.log', query: '(a+)+$', mode: 'regex' });
    const done = () => s.items<SearchItem>(id).some((i) => i.kind === 'progress' && i.done);
    const stat = await t.call<{ size: number }>('logs.stat', { taskId: task.taskId, path: 'sandbox/catastrophic.log' });
    const answeredWhileSearching = !done();
    await waitFor('the search to end', done);
    expect(stat.size).toBe(31 + 32 * 40_000);
    expect(answeredWhileSearching).toBe(true);
    expect(s.items<SearchItem>(id).flatMap((i) => (i.kind === 'match' ? [i.line.offset] : []))).toEqual([32 * 40_000]);
    s.close();
  });

  it('answers with stable error codes: unknown task, escaping path, bad regex, a file that is not there', async () => {
    const task = await runningTask();
    expect(await t.fail('logs.lines', { taskId: 'nope', path: 'stdout' })).toMatchObject({ code: 'TASK_NOT_FOUND' });
    expect(await t.fail('logs.lines', { taskId: task.taskId, path: '../../../../etc/passwd' })).toMatchObject({
      code: 'SANDBOX_OUTSIDE_ROOT',
    });
    expect(await t.fail('sandbox.list', { taskId: task.taskId, path: '/etc' })).toMatchObject({ code: 'SANDBOX_OUTSIDE_ROOT' });
    expect(await t.fail('logs.stat', { taskId: task.taskId, path: 'sandbox/missing.log' })).toMatchObject({ code: 'SANDBOX_NOT_FOUND' });

    const s = session();
    const escape = s.subscribe('logs.follow', { taskId: task.taskId, path: '%2e%2e/%2e%2e/x', from: 0 });
    const regex = s.subscribe('logs.search', { taskId: task.taskId, path: stdout, query: '(unclosed', mode: 'regex' });
    const missing = s.subscribe('logs.follow', { taskId: task.taskId, path: 'sandbox/missing.log', from: 0 });
    const badInput = s.subscribe('logs.follow', { taskId: task.taskId, path: stdout, from: -5 });
    await waitFor('four errors', () => [escape, regex, missing, badInput].every((id) => s.error(id)));
    expect(s.error(escape)).toMatchObject({ code: 'SANDBOX_OUTSIDE_ROOT' });
    expect(s.error(regex)).toMatchObject({ code: 'SEARCH_INVALID', message: expect.stringContaining('Unterminated group') });
    expect(s.error(missing)).toMatchObject({ code: 'SANDBOX_NOT_FOUND' });
    expect(s.error(badInput)).toMatchObject({ code: 'CONTRACT_INVALID_INPUT' });
    s.close();
  });

  it('says a pending task has no sandbox yet, and why', async () => {
    const name = 'unplaceable';
    await t.create(jobFile(job({ name, cpu: 1000 })));
    const [task] = await waitForState(t, keyOf({ name }), 'PENDING');
    const error = await t.fail('sandbox.list', { taskId: task!.taskId, path: '' });
    expect(error).toMatchObject({ code: 'SANDBOX_GONE', message: expect.stringContaining('no sandbox yet'), hint: expect.any(String) });
    expect(error.message).toContain('PENDING');
  });

  it('says a task whose sandbox was garbage-collected has none any more', async () => {
    const task = await runningTask();
    await t.call('jobs.kill', { key: keyOf({ name: 'writer' }) });
    await waitForState(t, keyOf({ name: 'writer' }), 'KILLED');
    fs.rmSync(path.dirname(task.sandboxDir!), { recursive: true });
    expect(await t.fail('logs.lines', { taskId: task.taskId, path: 'stdout' })).toMatchObject({
      code: 'SANDBOX_GONE',
      message: expect.stringContaining('garbage-collected'),
    });
  });
});
