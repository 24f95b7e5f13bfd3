/** Command-line flags both hosts understand. */
export interface HostArgs {
  dataDir?: string;
  port?: number;
  profile?: string;
}

export type ParsedArgs = { ok: true; args: HostArgs } | { ok: false; message: string };

const valueFlags = ['--data-dir', '--port', '--profile'] as const;
type ValueFlag = (typeof valueFlags)[number];

export const usage =
  'usage: npm start -- [--data-dir DIR] [--port N] [--profile NAME]\n' +
  '  --data-dir DIR   where the database and embedded sandboxes live (also CANTAREIRA_DATA_DIR)\n' +
  '  --port N         headless host port on 127.0.0.1 (default: a free port)\n' +
  '  --profile NAME   cluster profile to open (default: the last one used)';

/**
 * Parses `--flag value` and `--flag=value`. Electron passes flags of its own (and Chromium's),
 * so the desktop host ignores unknown ones; the headless host refuses them.
 */
export function parseHostArgs(argv: readonly string[], options: { allowUnknown: boolean }): ParsedArgs {
  const args: HostArgs = {};
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    const eq = raw.indexOf('=');
    const flag = eq > 0 ? raw.slice(0, eq) : raw;
    if (!(valueFlags as readonly string[]).includes(flag)) {
      if (options.allowUnknown) continue;
      return { ok: false, message: `Unknown option ${raw}.\n${usage}` };
    }
    const value = eq > 0 ? raw.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '' || (eq < 0 && value.startsWith('--'))) {
      return { ok: false, message: `${flag} needs a value.\n${usage}` };
    }
    switch (flag as ValueFlag) {
      case '--data-dir':
        args.dataDir = value;
        break;
      case '--profile':
        args.profile = value;
        break;
      case '--port': {
        const port = Number(value);
        if (!Number.isInteger(port) || port < 0 || port > 65535) {
          return { ok: false, message: `--port must be a whole number from 0 to 65535 (got ${value}).` };
        }
        args.port = port;
        break;
      }
    }
  }
  return { ok: true, args };
}
