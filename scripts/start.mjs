// `npm start`: the desktop app where the Electron binary exists; otherwise the headless host,
// which serves the same console to a browser on 127.0.0.1 and prints the URL to open.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { chooseElectron, electronPackageDir, progressLine } from './electron-binary.mjs';

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

const buildCode = await run(process.execPath, ['scripts/build.mjs', '--quiet']);
if (buildCode !== 0) process.exit(buildCode);

// Where the binary is missing, try its download (with progress, and a stall timeout); only
// when that fails start the headless host, saying why.
const pkgDir = electronPackageDir();
const version = pkgDir ? JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version : '';
let shown = -1;
const choice = await chooseElectron({
  pkgDir,
  stallMs: Number(process.env.CANTAREIRA_ELECTRON_DOWNLOAD_TIMEOUT_MS) || 15_000,
  onProgress: (p) => {
    // A terminal gets one line rewritten in place; a log gets a line every 10%.
    const step = process.stdout.isTTY ? Math.floor(p.percent * 100) : Math.floor(p.percent * 10);
    if (step === shown) return;
    shown = step;
    if (process.stdout.isTTY) process.stdout.write(`\r${progressLine(version, p)}`);
    else console.log(progressLine(version, p));
  },
});
if (shown >= 0 && process.stdout.isTTY) process.stdout.write('\n');
if (choice.executable) {
  process.exit(await run(choice.executable, ['.', ...args]));
}
console.log(`Electron binary not available (${choice.reason}): starting the headless host instead.`);
process.exit(await run(process.execPath, ['out/electron/headless.mjs', ...args]));
