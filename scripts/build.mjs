// Builds everything `npm start` runs: the renderer (Vite) into out/renderer, and the hosts
// (esbuild) into out/electron: main.cjs + preload.cjs for Electron, headless.mjs for Node.
import { build as esbuild } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { build as viteBuild } from 'vite';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const quiet = process.argv.includes('--quiet');
// For packaging: nothing left over from an older build (a renamed bundle) goes into the app.
if (process.argv.includes('--clean')) rmSync(new URL('../out', import.meta.url), { recursive: true, force: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  packages: 'external',
  sourcemap: true,
  logLevel: quiet ? 'warning' : 'info',
  define: { 'process.env.CANTAREIRA_VERSION': JSON.stringify(pkg.version) },
};

await viteBuild({ configFile: new URL('../vite.config.ts', import.meta.url).pathname, logLevel: quiet ? 'warn' : 'info' });
await Promise.all([
  esbuild({ ...common, entryPoints: ['electron/main.ts'], outfile: 'out/electron/main.cjs', format: 'cjs' }),
  // The sandboxed preload may require only 'electron': everything else is bundled in.
  esbuild({
    ...common,
    packages: undefined,
    external: ['electron'],
    entryPoints: ['electron/preload.ts'],
    outfile: 'out/electron/preload.cjs',
    format: 'cjs',
  }),
  esbuild({ ...common, entryPoints: ['electron/headless-main.ts'], outfile: 'out/electron/headless.mjs', format: 'esm' }),
  // Log search and line indexing, and the Mesos state parser, run in worker threads; both hosts
  // find these beside them (core/worker-module.ts). A packaged app runs them from outside
  // app.asar (electron-builder.yml unpacks them), where neither package.json nor node_modules
  // are: so .mjs, and every dependency bundled in.
  esbuild({
    ...common,
    packages: undefined,
    entryPoints: ['core/logs/scan-worker.ts'],
    outfile: 'out/electron/scan-worker.mjs',
    format: 'esm',
  }),
  esbuild({
    ...common,
    packages: undefined,
    entryPoints: ['core/mesos/state-thread.ts'],
    outfile: 'out/electron/state-thread.mjs',
    format: 'esm',
  }),
]);
