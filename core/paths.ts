import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const folderName = 'cantareira-console';
const productName = 'Cantareira Console';

/**
 * Where the console keeps its database and the embedded cluster's sandboxes, by OS convention:
 * XDG on Linux ($XDG_DATA_HOME, else ~/.local/share), Application Support on macOS, %APPDATA%
 * on Windows. `CANTAREIRA_DATA_DIR` overrides it (the `--data-dir` flag overrides both).
 */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  if (env.CANTAREIRA_DATA_DIR) return path.resolve(env.CANTAREIRA_DATA_DIR);
  switch (platform) {
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', productName);
    case 'win32':
      return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), productName);
    default: {
      const xdg = env.XDG_DATA_HOME;
      const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.local', 'share');
      return path.join(base, folderName);
    }
  }
}

export function databaseFile(dataDir: string): string {
  return path.join(dataDir, 'cantareira.db');
}

/**
 * Creates `dir` (and its parents) readable by this user only, and tightens it if it exists
 * and is ours: job command lines, logs and the host's token live below it.
 */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = fs.statSync(dir);
  const ours = typeof process.getuid !== 'function' || st.uid === process.getuid();
  if (ours && (st.mode & 0o077) !== 0) fs.chmodSync(dir, st.mode & 0o700);
}

/**
 * Writes `text` to `file` as 0600 whatever the file was before: into a fresh temporary file
 * (created 0600, so the text is never readable by others, even for a moment) renamed over it.
 */
export function writePrivateFile(file: string, text: string): void {
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    fs.writeFileSync(temp, text, { mode: 0o600, flag: 'wx' });
    fs.renameSync(temp, file);
  } catch (e) {
    fs.rmSync(temp, { force: true });
    throw e;
  }
}
