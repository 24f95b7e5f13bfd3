import { ConsoleError } from '../errors.js';

/**
 * better-sqlite3 13 ships Node-API binaries (its binding.gyp: NAPI_VERSION=10) that load
 * unchanged in Node 22.14+ and in Electron 35+ (whose Node is 22.14 or later). A runtime with an
 * older Node-API does not fail to load them cleanly: Node 20 (Node-API 9) segfaults at the first
 * `new Database()`. So the version is checked before the driver is touched.
 */
export const requiredNodeApi = 10;

type Versions = Partial<Record<'node' | 'napi' | 'electron' | 'modules', string>>;

const runtimeName = (v: Versions) => (v.electron ? `Electron ${v.electron} (Node ${v.node ?? '?'})` : `Node ${v.node ?? '?'}`);

const fix =
  'This is not a problem with the database file or its permissions. Run the console with ' +
  'Node 22.14 or later (npm start and npm test use the node@22 from devDependencies) or ' +
  'Electron 35 or later, and reinstall dependencies (rm -rf node_modules && npm ci) so that ' +
  'better-sqlite3 13 and its Node-API binaries are the ones installed.';

/** The runtime cannot load the SQLite driver: say so before trying, instead of crashing. */
export function driverRuntimeProblem(versions: Versions = process.versions): ConsoleError | null {
  const napi = Number(versions.napi ?? 0);
  if (napi >= requiredNodeApi) return null;
  return new ConsoleError(
    'STORE_DRIVER_MISMATCH',
    `The SQLite driver (better-sqlite3) needs Node-API ${requiredNodeApi}; this runtime, ` +
      `${runtimeName(versions)}, offers Node-API ${versions.napi ?? 'none'}.`,
    fix,
  );
}

/**
 * A native module built for another runtime fails to load with Node's own words, e.g. "was
 * compiled against a different Node.js version using NODE_MODULE_VERSION 115. This version of
 * Node.js requires NODE_MODULE_VERSION 150" (a Node-ABI build of better-sqlite3 12 inside
 * Electron 45). That is not an unreadable file: name what it is.
 */
export function driverLoadProblem(err: unknown, versions: Versions = process.versions): ConsoleError | null {
  const message = err instanceof Error ? err.message : String(err);
  const abi = /NODE_MODULE_VERSION\s+(\d+)\.\s+This version of Node\.js requires\s+NODE_MODULE_VERSION\s+(\d+)/.exec(message);
  if (abi) {
    return new ConsoleError(
      'STORE_DRIVER_MISMATCH',
      `The SQLite driver (better-sqlite3) installed here is a native build for another runtime: ` +
        `it was built for NODE_MODULE_VERSION ${abi[1]}, and ${runtimeName(versions)} needs ${abi[2]}.`,
      fix,
    );
  }
  if (/Node-API version|N-API version|did not self-register|invalid ELF header|wrong ELF class/i.test(message)) {
    return new ConsoleError(
      'STORE_DRIVER_MISMATCH',
      `The SQLite driver (better-sqlite3) cannot be loaded by ${runtimeName(versions)}: ${firstLine(message)}`,
      fix,
    );
  }
  return null;
}

const firstLine = (s: string) => s.split('\n')[0]!.trim();
