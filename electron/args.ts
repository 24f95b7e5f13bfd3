/** Command-line flags both hosts understand. */
export interface HostArgs {
  dataDir?: string;
  port?: number;
  profile?: string;
  /** `--mesos-master URL[,URL...]`: a real cluster to create or update, then open. */
  mesosMasters?: string[];
  aurora?: string;
  /** The name of that profile (default: from the first master's host). */
  name?: string;
}

export type ParsedArgs = { ok: true; args: HostArgs } | { ok: false; message: string };

const valueFlags = ['--data-dir', '--port', '--profile', '--mesos-master', '--aurora', '--name'] as const;
type ValueFlag = (typeof valueFlags)[number];

export const usage =
  'usage: npm start -- [--data-dir DIR] [--port N] [--profile NAME]\n' +
  '       npm start -- --mesos-master URL[,URL...] [--aurora URL] [--name NAME]\n' +
  '  --data-dir DIR        where the database and embedded sandboxes live (also CANTAREIRA_DATA_DIR)\n' +
  '  --port N              headless host port on 127.0.0.1 (default: a free port)\n' +
  '  --profile NAME        cluster profile to open (default: the last one used)\n' +
  "  --mesos-master URLS   a real cluster's Mesos masters: creates or updates its profile and opens it\n" +
  '  --aurora URL          its Aurora scheduler (with --mesos-master)\n' +
  '  --name NAME           the name of its profile (with --mesos-master; default: from the first master)';

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
      case '--mesos-master': {
        const urls = value
          .split(',')
          .map((u) => u.trim())
          .filter(Boolean);
        const bad = urls.find((u) => !isHttpUrl(u));
        if (bad !== undefined || urls.length === 0)
          return {
            ok: false,
            message: `--mesos-master takes http(s) URLs separated by commas (got ${bad ?? value}), e.g. http://10.0.0.1:5050,http://10.0.0.2:5050.\n${usage}`,
          };
        args.mesosMasters = urls;
        break;
      }
      case '--aurora':
        if (!isHttpUrl(value))
          return { ok: false, message: `--aurora takes the scheduler's http(s) URL (got ${value}), e.g. http://10.0.0.1:8081.\n${usage}` };
        args.aurora = value;
        break;
      case '--name':
        args.name = value;
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
  if (args.mesosMasters === undefined && (args.aurora !== undefined || args.name !== undefined)) {
    return { ok: false, message: `--aurora and --name describe a real cluster: give its --mesos-master URLs too.\n${usage}` };
  }
  if (args.mesosMasters !== undefined && args.profile !== undefined) {
    return { ok: false, message: `--profile opens a saved profile; --mesos-master creates one: give one of them.\n${usage}` };
  }
  return { ok: true, args };
}

function isHttpUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

/** Which profile a host opens: a saved one (`--profile`), or the cluster named by `--mesos-master …`. */
export function profileTarget(args: HostArgs): { profileId?: string; connect?: { masters: string[]; aurora?: string; name?: string } } {
  if (args.mesosMasters !== undefined) {
    return {
      connect: {
        masters: args.mesosMasters,
        ...(args.aurora === undefined ? {} : { aurora: args.aurora }),
        ...(args.name === undefined ? {} : { name: args.name }),
      },
    };
  }
  return args.profile === undefined ? {} : { profileId: args.profile };
}
