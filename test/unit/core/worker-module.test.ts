import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { outsideAsar, workerModule, workerStarter } from '../../../core/worker-module.js';

// The layout of a packaged app: the bundle runs from inside resources/app.asar, and
// electron-builder.yml unpacks the worker bundles to resources/app.asar.unpacked. Under plain
// Node an "app.asar" is just a folder, which is enough to check where the workers are looked for.

let dir: string;
let asarDir: string;
let unpackedDir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cantareira-packaged-'));
  asarDir = path.join(dir, 'resources', 'app.asar', 'out', 'electron');
  unpackedDir = path.join(dir, 'resources', 'app.asar.unpacked', 'out', 'electron');
  fs.mkdirSync(asarDir, { recursive: true });
  fs.mkdirSync(unpackedDir, { recursive: true });
  fs.writeFileSync(path.join(asarDir, 'main.cjs'), '');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const mainUrl = () => pathToFileURL(path.join(asarDir, 'main.cjs')).href;

/** The worker bundle as scripts/build.mjs emits it: ESM, .mjs, every dependency inside. */
async function bundleWorker(entry: string, outfile: string) {
  await build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', target: 'node22', format: 'esm', logLevel: 'error' });
}

describe('worker threads in a packaged app', () => {
  it('are started from app.asar.unpacked when the code runs from inside app.asar', () => {
    for (const name of ['scan-worker', 'state-thread']) {
      fs.writeFileSync(path.join(asarDir, `${name}.mjs`), '');
      fs.writeFileSync(path.join(unpackedDir, `${name}.mjs`), '');
      expect(workerModule(name, mainUrl())).toEqual({ url: pathToFileURL(path.join(unpackedDir, `${name}.mjs`)), source: false });
    }
  });

  it('are started from beside the bundle when nothing is unpacked (out/electron in development)', () => {
    fs.writeFileSync(path.join(asarDir, 'scan-worker.mjs'), '');
    expect(workerModule('scan-worker', mainUrl())?.url.href).toBe(pathToFileURL(path.join(asarDir, 'scan-worker.mjs')).href);
  });

  it('are the TypeScript source under tsx in the source tree, and none where there is neither', () => {
    const here = pathToFileURL(path.resolve(import.meta.dirname, '../../../core/logs/scan-pool.ts')).href;
    expect(workerModule('scan-worker', here)).toMatchObject({ source: true });
    expect(workerModule('no-such-worker', here)).toBeNull();
    expect(workerModule('scan-worker', undefined)).toBeNull();
  });

  it('only the app.asar segment of a path is swapped', () => {
    expect(outsideAsar(path.join('/opt', 'Cantareira Console', 'resources', 'app.asar', 'out', 'x.mjs'))).toBe(
      path.join('/opt', 'Cantareira Console', 'resources', 'app.asar.unpacked', 'out', 'x.mjs'),
    );
    expect(outsideAsar(path.join('/opt', 'my-app.asar-things', 'x.mjs'))).toBeNull();
  });

  // What the packaged app really does: the unpacked folder has no package.json (so no
  // "type": "module") and no node_modules; both bundles must still load and answer.
  it.each([
    ['scan-worker', 'core/logs/scan-worker.ts'],
    ['state-thread', 'core/mesos/state-thread.ts'],
  ])('the %s bundle loads and answers from an unpacked folder with no package.json or node_modules', async (name, entry) => {
    await bundleWorker(path.resolve(import.meta.dirname, '../../..', entry), path.join(unpackedDir, `${name}.mjs`));
    const worker = workerStarter(workerModule(name, mainUrl())!, mainUrl())();
    try {
      const answer = new Promise<unknown>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`the thread exited (${code}) without answering`)));
      });
      // The scanner says it is ready by itself; the state parser answers a request (here with an error).
      if (name === 'state-thread')
        worker.postMessage({ id: 1, kind: 'v1', url: 'http://m:5050/api/v1', fetchedAt: 0, body: new TextEncoder().encode('[]') });
      expect(await answer).toEqual(name === 'scan-worker' ? { ready: true } : expect.objectContaining({ id: 1 }));
    } finally {
      await worker.terminate();
    }
  });
});

describe('a worker thread that cannot start', () => {
  it('is reported as a failed thread, so the Mesos state is parsed on the main thread instead', async () => {
    vi.resetModules();
    vi.doMock('node:worker_threads', async (importOriginal) => ({
      ...(await importOriginal<typeof import('node:worker_threads')>()),
      Worker: class {
        constructor() {
          throw new Error('Cannot find module inside app.asar');
        }
      },
    }));
    try {
      const { createStateWorker, StateWorkerCrashed } = await import('../../../core/mesos/state-worker.js');
      const worker = createStateWorker();
      expect(worker.available).toBe(true);
      const parsing = worker.parse('v1', Buffer.from('{}'), 'http://master:5050/api/v1', 0);
      await expect(parsing).rejects.toBeInstanceOf(StateWorkerCrashed);
      await expect(parsing).rejects.toThrow(/could not start: Cannot find module inside app\.asar/);
      await worker.close();
    } finally {
      vi.doUnmock('node:worker_threads');
      vi.resetModules();
    }
  });
});
