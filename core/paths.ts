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
