import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkOpened, pathSegments } from '../../../core/logs/confine.js';
import { Collected, runDir, type RunDir } from './fixtures.js';

let run: RunDir;
let outsideDir: string;
beforeEach(() => {
  run = runDir();
  run.write('stdout', 'inside\n');
  // A secret next to the run directory: what an escape would reach.
  outsideDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cantareira-outside-'));
  fs.writeFileSync(path.join(outsideDir, 'secret'), 'secret\n');
  fs.writeFileSync(path.join(run.dir, '..', 'x'), 'next door\n');
});
afterEach(async () => {
  await run.close();
  fs.rmSync(outsideDir, { recursive: true, force: true });
});

const lines = (p: string) => run.source.lines(p, { at: -1, before: 10, after: 0, maxLineChars: 100 });

describe('every sandbox path stays inside the run directory', () => {
  it.each([
    ['a parent reference', '../x'],
    ['an absolute path', '/etc/passwd'],
    ['a parent reference deeper down', 'sandbox/../../x'],
    ['even a parent reference that would come back inside', 'sandbox/../stdout'],
    ['a NUL byte', 'stdout\0.txt'],
    ['percent-encoded dots, which are never decoded', '%2e%2e/x'],
    ['a percent-encoded slash', 'sandbox%2f..%2fx'],
    ['upper-case percent encoding', '%2E%2E/x'],
  ])('refuses %s (%j) with SANDBOX_OUTSIDE_ROOT, for every call', async (_, p) => {
    const refused = { code: 'SANDBOX_OUTSIDE_ROOT', message: expect.stringContaining('outside') };
    await expect(lines(p)).rejects.toMatchObject(refused);
    await expect(run.source.stat(p)).rejects.toMatchObject(refused);
    await expect(run.source.read(p, 0, 10)).rejects.toMatchObject(refused);
    await expect(run.source.list(p)).rejects.toMatchObject(refused);
    await expect(run.source.follow(p, { offset: 0 }, new Collected())).rejects.toMatchObject(refused);
    await expect(
      run.source.search(
        p,
        { query: 'x', mode: 'literal', caseInsensitive: false, from: 0, maxMatches: 10, maxLineChars: 100 },
        new Collected(),
      ),
    ).rejects.toMatchObject(refused);
  });

  it('refuses a symlink to /etc', async () => {
    fs.symlinkSync('/etc', path.join(run.dir, 'sandbox', 'etc'));
    await expect(lines('sandbox/etc/passwd')).rejects.toMatchObject({ code: 'SANDBOX_OUTSIDE_ROOT' });
    await expect(run.source.list('sandbox/etc')).rejects.toMatchObject({ code: 'SANDBOX_OUTSIDE_ROOT' });
  });

  it('refuses a symlinked directory pointing outside, at any depth, even for a file that does not exist', async () => {
    fs.mkdirSync(path.join(run.dir, 'sandbox', 'deep'));
    fs.symlinkSync(outsideDir, path.join(run.dir, 'sandbox', 'deep', 'out'));
    await expect(lines('sandbox/deep/out/secret')).rejects.toMatchObject({ code: 'SANDBOX_OUTSIDE_ROOT' });
    await expect(lines('sandbox/deep/out/missing')).rejects.toMatchObject({ code: 'SANDBOX_OUTSIDE_ROOT' });
  });

  it('refuses a symlinked file pointing outside', async () => {
    fs.symlinkSync(path.join(outsideDir, 'secret'), path.join(run.dir, 'sandbox', 'leak.log'));
    await expect(lines('sandbox/leak.log')).rejects.toMatchObject({ code: 'SANDBOX_OUTSIDE_ROOT' });
  });

  it('allows a symlink inside the root that points inside, and lists it as a symlink', async () => {
    run.write('sandbox/.logs/main/0/stdout', 'from the process\n');
    fs.symlinkSync('.logs/main/0/stdout', path.join(run.dir, 'sandbox', 'main.log'));
    expect((await lines('sandbox/main.log')).lines.map((l) => l.text)).toEqual(['from the process']);
    const listed = await run.source.list('sandbox');
    expect(listed.entries.find((e) => e.name === 'main.log')).toMatchObject({ kind: 'symlink', mode: expect.stringMatching(/^l/) });
  });

  it('allows the Mesos runs/latest link above the run directory: the root is resolved first', async () => {
    const latest = path.join(run.dir, '..', 'latest');
    fs.symlinkSync('run-1', latest);
    const viaLatest = run.logs.local(latest);
    expect((await viaLatest.lines('stdout', { at: 0, before: 0, after: 1, maxLineChars: 100 })).lines[0]!.text).toBe('inside');
    await expect(viaLatest.lines('../x', { at: 0, before: 0, after: 1, maxLineChars: 100 })).rejects.toMatchObject({
      code: 'SANDBOX_OUTSIDE_ROOT',
    });
  });

  it('checks where an opened descriptor really points, which closes the realpath-then-open race', async () => {
    // As if a directory on the way had been swapped for a link between the check and the open.
    const fd = fs.openSync(path.join(outsideDir, 'secret'), 'r');
    try {
      await expect(checkOpened(fd, fs.realpathSync(run.dir), 'sandbox/app.log')).rejects.toMatchObject({ code: 'SANDBOX_OUTSIDE_ROOT' });
      await expect(checkOpened(fd, fs.realpathSync(outsideDir), 'secret')).resolves.toBeUndefined();
    } finally {
      fs.closeSync(fd);
    }
  });

  it('accepts the run directory itself and harmless spellings of paths inside it', () => {
    expect(pathSegments('')).toEqual([]);
    expect(pathSegments('.')).toEqual([]);
    expect(pathSegments('./sandbox//.logs/')).toEqual(['sandbox', '.logs']);
    expect(pathSegments('50%done.log')).toEqual(['50%done.log']);
    expect(pathSegments('..hidden')).toEqual(['..hidden']);
  });

  it('quotes a hostile path in the message without its control characters', async () => {
    await expect(lines('/\x1b[2Jevil\n')).rejects.toMatchObject({ message: expect.not.stringMatching(/[\x00-\x1f]/) });
  });
});

describe('missing files and sandboxes', () => {
  it('a file that is not there is SANDBOX_NOT_FOUND', async () => {
    await expect(lines('sandbox/nope.log')).rejects.toMatchObject({ code: 'SANDBOX_NOT_FOUND', hint: expect.any(String) });
  });

  it('a run directory that was garbage-collected is SANDBOX_GONE, with a hint', async () => {
    fs.rmSync(run.dir, { recursive: true });
    await expect(lines('stdout')).rejects.toMatchObject({
      code: 'SANDBOX_GONE',
      message: expect.stringContaining('garbage-collected'),
      hint: expect.any(String),
    });
    await expect(run.source.list('')).rejects.toMatchObject({ code: 'SANDBOX_GONE' });
  });
});
