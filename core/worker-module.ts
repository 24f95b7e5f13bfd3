import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * The URL of the module that calls this: `import.meta.url`, or in a CommonJS bundle (Electron's
 * main.cjs), which has no import.meta.url, `__filename`.
 */
export function callerUrl(metaUrl: string | undefined): string | undefined {
  return metaUrl ?? (typeof __filename === 'string' ? pathToFileURL(__filename).href : undefined);
}

/**
 * Where a worker thread's module is, for code at `here` (its module URL):
 *  - `<name>.mjs` beside it: the bundle scripts/build.mjs emits into out/electron/, beside both
 *    hosts. `.mjs`, so that it is an ES module wherever it lies (no package.json needed).
 *  - In a packaged app `here` is inside resources/app.asar, which a worker thread cannot load a
 *    module from; electron-builder.yml unpacks the workers to resources/app.asar.unpacked/, so
 *    that copy comes first.
 *  - `<name>.ts` beside it: the source, run under tsx (dev, tests, benches).
 * Null when there is none: the caller then does the work on its own thread.
 */
export function workerModule(
  name: string,
  here: string | undefined,
  exists: (file: string) => boolean = fs.existsSync,
): { url: URL; source: boolean } | null {
  if (!here) return null;
  const beside = new URL(`./${name}.mjs`, here);
  const unpacked = outsideAsar(fileURLToPath(beside));
  if (unpacked && exists(unpacked)) return { url: pathToFileURL(unpacked), source: false };
  if (exists(fileURLToPath(beside))) return { url: beside, source: false };
  const ts = new URL(`./${name}.ts`, here);
  if (exists(fileURLToPath(ts))) return { url: ts, source: true };
  return null;
}

/** `.../resources/app.asar/out/x` → `.../resources/app.asar.unpacked/out/x`; null when not in an asar. */
export function outsideAsar(file: string): string | null {
  const parts = file.split(path.sep);
  const i = parts.indexOf('app.asar');
  if (i < 0) return null;
  parts[i] = 'app.asar.unpacked';
  return parts.join(path.sep);
}

/** Starts the worker thread of `workerModule`'s answer (the TypeScript source through tsx). */
export function workerStarter(found: { url: URL; source: boolean }, here: string): () => Worker {
  if (!found.source) return () => new Worker(found.url);
  const api = createRequire(here)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs');
  const boot = `import(${JSON.stringify(pathToFileURL(api).href)}).then((m) => { m.register(); return import(${JSON.stringify(found.url.href)}); })`;
  return () => new Worker(boot, { eval: true });
}
