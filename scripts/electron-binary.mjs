// Finding, and if need be downloading, the Electron binary that `npm start` runs.
//
// electron >= 42 has no postinstall: its package downloads the binary the first time anything
// resolves its path (node_modules/electron/index.js runs install.js, which calls @electron/get
// with the package's checksums.json and unzips into node_modules/electron/dist). That download
// has no timeout and no progress, and its failure throws "Electron failed to install
// correctly" without the reason. So we drive the same download ourselves: the same
// @electron/get, mirror settings, checksums, cache and dist folder, with a stall timeout, a
// progress callback, and a one-line reason when it fails.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** The electron package's folder, or null when it is not installed. */
export function electronPackageDir(from = import.meta.url) {
  try {
    return path.dirname(createRequire(from).resolve('electron/package.json'));
  } catch {
    return null;
  }
}

/** The executable's path inside dist/, as install.js writes it to path.txt. */
export function platformPath(platform = process.platform) {
  switch (platform) {
    case 'darwin':
    case 'mas':
      return 'Electron.app/Contents/MacOS/Electron';
    case 'win32':
      return 'electron.exe';
    default:
      return 'electron';
  }
}

/**
 * The Electron executable if it is already on disk, without triggering the package's own
 * download (which resolving `require('electron')` would do).
 */
export function installedElectron(pkgDir, env = process.env) {
  const pathFile = path.join(pkgDir, 'path.txt');
  const rel = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  const candidate = override ? path.join(override, rel ?? platformPath()) : rel ? path.join(pkgDir, 'dist', rel) : null;
  return candidate && existsSync(candidate) ? candidate : null;
}

class Stalled extends Error {
  constructor(ms, url) {
    super(`no data from ${hostOf(url)} for ${ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`} (timed out)`);
    this.name = 'Stalled';
  }
}

const hostOf = (url) => {
  try {
    return new URL(url).host;
  } catch {
    return url ?? 'the download server';
  }
};

/** One line that says why a download failed: DNS, refused, timeout, HTTP status, checksum... */
export function describeDownloadError(err, url) {
  if (err instanceof Stalled) return err.message;
  const host = hostOf(url);
  if (err?.name === 'HTTPError' && err.response) {
    return `${url} answered HTTP ${err.response.status}${err.response.statusText ? ` ${err.response.statusText}` : ''}`;
  }
  const cause = err?.cause ?? err;
  const code = cause?.code;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') {
    return `cannot resolve ${hostOf(url).replace(/:\d+$/, '')} (DNS lookup failed, ${code}): this machine looks offline, or DNS is blocked`;
  }
  if (code === 'ECONNREFUSED') return `${host} refused the connection (ECONNREFUSED)`;
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return `${host} closed the connection (${code})`;
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return `connecting to ${host} timed out (${code})`;
  if (code === 'ENETUNREACH' || code === 'EHOSTUNREACH') return `no route to ${host} (${code}): this machine looks offline`;
  if (/checksum/i.test(err?.message ?? '')) return `the downloaded file does not match Electron's published checksum`;
  const message = String(cause?.message ?? err?.message ?? err).split('\n')[0];
  return code ? `${message} (${code})` : message;
}

/** "Downloading Electron 45.6.0: 12.3 of 110.2 MB (11%)" */
export function progressLine(version, { transferred, total }) {
  const mb = (n) => (n / 1e6).toFixed(1);
  return total
    ? `Downloading Electron ${version}: ${mb(transferred)} of ${mb(total)} MB (${Math.floor((transferred / total) * 100)}%)`
    : `Downloading Electron ${version}: ${mb(transferred)} MB`;
}

/**
 * Downloads and unpacks the Electron binary into the package's dist/ folder, as its install.js
 * would. Gives up when no byte arrives for `stallMs` (a blocked network often never answers).
 *
 * Resolves to {ok: true, executable} or {ok: false, reason} (one line); never throws.
 *   mirror     overrides the download base (else ELECTRON_MIRROR / npm config, as @electron/get reads them)
 *   checksums  {fileName: sha256}; default: the package's checksums.json, unless
 *              electron_use_remote_checksums is set (then SHASUMS256.txt from the mirror)
 *   cacheRoot  default: @electron/get's (~/.cache/electron), shared with electron-builder
 */
export async function downloadElectron(pkgDir, options = {}) {
  const { stallMs = 15_000, onProgress = () => {}, mirror, cacheRoot, env = process.env } = options;
  const req = createRequire(path.join(pkgDir, 'package.json'));
  const { version } = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  const remoteChecksums = env.electron_use_remote_checksums || env.npm_config_electron_use_remote_checksums;
  const checksums =
    options.checksums ?? (remoteChecksums ? undefined : JSON.parse(readFileSync(path.join(pkgDir, 'checksums.json'), 'utf8')));

  let url;
  const abort = new AbortController();
  let timer;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => abort.abort(new Stalled(stallMs, url)), stallMs);
  };
  try {
    const get = await import(pathToFileURL(req.resolve('@electron/get')).href);
    const fetcher = new get.FetchDownloader();
    const downloader = {
      download: (from, to, opts) => {
        url = from;
        arm();
        return fetcher.download(from, to, opts);
      },
    };
    const zip = await get.downloadArtifact({
      version,
      artifactName: 'electron',
      platform: env.ELECTRON_INSTALL_PLATFORM || process.platform,
      arch: env.ELECTRON_INSTALL_ARCH || process.arch,
      checksums,
      cacheRoot,
      mirrorOptions: mirror ? { mirror } : undefined,
      downloader,
      downloadOptions: {
        quiet: true,
        signal: abort.signal,
        getProgressCallback: (p) => {
          arm();
          onProgress(p);
        },
      },
    });
    clearTimeout(timer);
    const { extract } = await import(pathToFileURL(req.resolve('@electron-internal/extract-zip')).href);
    await extract(zip, { dir: path.join(pkgDir, 'dist') });
    writeFileSync(path.join(pkgDir, 'path.txt'), platformPath(env.ELECTRON_INSTALL_PLATFORM || process.platform));
    const executable = installedElectron(pkgDir, env);
    if (!executable) return { ok: false, reason: `the downloaded archive has no ${platformPath()} in it` };
    return { ok: true, executable };
  } catch (err) {
    return { ok: false, reason: describeDownloadError(abort.signal.aborted ? abort.signal.reason : err, url) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * What `npm start` runs: {executable} for the desktop app, or {reason} (one line) for the
 * headless host.
 */
export async function chooseElectron({ pkgDir = electronPackageDir(), env = process.env, platform = process.platform, ...download } = {}) {
  if (env.CANTAREIRA_HEADLESS) return { reason: 'CANTAREIRA_HEADLESS is set' };
  // A Linux server or container without a display: Electron could not open a window, so there
  // is no point in downloading it.
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY)
    return { reason: 'no display here (neither DISPLAY nor WAYLAND_DISPLAY is set)' };
  if (!pkgDir) return { reason: 'the electron package is not installed (npm ci installs it)' };
  const present = installedElectron(pkgDir, env);
  if (present) return { executable: present };
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    return { reason: `ELECTRON_OVERRIDE_DIST_PATH is set, and ${env.ELECTRON_OVERRIDE_DIST_PATH} has no Electron in it` };
  }
  const got = await downloadElectron(pkgDir, { env, ...download });
  return got.ok ? { executable: got.executable } : { reason: `the Electron download failed: ${got.reason}` };
}
