// `npm start`: the desktop app where the Electron binary exists; otherwise the headless host,
// which serves the same console to a browser on 127.0.0.1 and prints the URL to open.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const args = process.argv.slice(2);
const root = path.resolve(new URL('..', import.meta.url).pathname);

function run(cmd, argv, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, argv, { stdio: 'inherit', cwd: root, ...opts });
    const forward = (sig) => child.kill(sig);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/**
 * Finds the Electron executable without triggering its lazy download (electron >= 42 fetches
 * the binary the first time its path is resolved, which fails offline).
 */
function electronExecutable() {
  let pkgDir;
  try {
    pkgDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
  const pathFile = path.join(pkgDir, 'path.txt');
  const rel = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const candidate = override ? path.join(override, rel ?? 'electron') : rel ? path.join(pkgDir, 'dist', rel) : null;
  return candidate && existsSync(candidate) ? candidate : null;
}

const buildCode = await run(process.execPath, ['scripts/build.mjs', '--quiet']);
if (buildCode !== 0) process.exit(buildCode);

const electron = process.env.CANTAREIRA_HEADLESS ? null : electronExecutable();
if (electron) {
  process.exit(await run(electron, ['.', ...args]));
}
console.log(
  'Electron binary not available here (it is downloaded on first launch, and this machine is offline): ' +
    'starting the headless host instead.',
);
process.exit(await run(process.execPath, ['out/electron/headless.mjs', ...args]));
