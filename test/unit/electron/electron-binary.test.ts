import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chooseElectron, downloadElectron, installedElectron, platformPath, progressLine } from '../../../scripts/electron-binary.mjs';

// `npm start` downloads the Electron binary the way the electron package would, from a loopback
// server standing in for the download mirror. The fake package is a folder with the electron
// package's package.json; @electron/get and the unzipper are found through a node_modules link.

const version = '45.6.0';
const zipName = `electron-v${version}-${process.platform}-${process.arch}.zip`;
const zipPath = `/v${version}/${zipName}`;
/** A desktop session: Electron only starts where there is a display. */
const desktop = { DISPLAY: ':0' };
const repoModules = path.resolve(import.meta.dirname, '../../../node_modules');

/** A zip archive with stored (uncompressed) entries, as a release zip holds `electron` and `version`. */
function zip(entries: Record<string, { data: string; mode: number }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, { data, mode }] of Object.entries(entries)) {
    const body = Buffer.from(data);
    const fileName = Buffer.from(name);
    const crc = zlib.crc32(body);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x21, 12); // 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(body.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made on Unix: the mode is in the external attributes
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(body.length, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(((0o100000 | mode) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, body);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const release = zip({
  [platformPath()]: { data: '#!/bin/sh\necho "fake electron $@"\n', mode: 0o755 },
  version: { data: `v${version}`, mode: 0o644 },
});
const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
const rightChecksums = { [zipName]: sha256(release) };

let dir: string;
let pkgDir: string;
let cacheRoot: string;
let server: http.Server;
let mirror: string;
let requests: string[];
let answer: (req: http.IncomingMessage, res: http.ServerResponse) => void;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cantareira-electron-'));
  pkgDir = path.join(dir, 'electron');
  cacheRoot = path.join(dir, 'cache');
  fs.mkdirSync(pkgDir);
  fs.writeFileSync(path.join(pkgDir, 'package.json'), JSON.stringify({ name: 'electron', version }));
  fs.writeFileSync(path.join(pkgDir, 'checksums.json'), JSON.stringify({ [zipName]: '0'.repeat(64) }));
  fs.symlinkSync(repoModules, path.join(dir, 'node_modules'));
  requests = [];
  answer = (_req, res) => res.writeHead(500).end();
  server = http.createServer((req, res) => {
    requests.push(req.url!);
    answer(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  mirror = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  fs.rmSync(dir, { recursive: true, force: true });
});

const serveRelease = (req: http.IncomingMessage, res: http.ServerResponse) => {
  if (req.url !== zipPath) return void res.writeHead(404, 'Not Found').end();
  res.writeHead(200, { 'content-type': 'application/zip', 'content-length': release.length }).end(release);
};

describe('npm start gets the Electron binary', () => {
  it('downloads the release zip from the mirror, unpacks it where the electron package looks, and reports progress', async () => {
    answer = serveRelease;
    const progress: { transferred: number; total: number | null }[] = [];
    const got = await downloadElectron(pkgDir, { mirror, cacheRoot, checksums: rightChecksums, onProgress: (p) => progress.push(p) });

    expect(got).toEqual({ ok: true, executable: path.join(pkgDir, 'dist', platformPath()) });
    expect(requests).toEqual([zipPath]);
    expect(fs.readFileSync(path.join(pkgDir, 'path.txt'), 'utf8')).toBe(platformPath());
    expect(fs.readFileSync(path.join(pkgDir, 'dist', 'version'), 'utf8')).toBe(`v${version}`);
    expect(progress.at(-1)).toMatchObject({ transferred: release.length, total: release.length });
    expect(installedElectron(pkgDir)).toBe(got.ok && got.executable);
  });

  it('once the binary is there, starts it without asking the network again', async () => {
    answer = serveRelease;
    const first = await chooseElectron({ pkgDir, mirror, cacheRoot, checksums: rightChecksums, env: desktop });
    expect(first.executable).toBe(path.join(pkgDir, 'dist', platformPath()));
    const again = await chooseElectron({ pkgDir, mirror, cacheRoot, env: desktop });
    expect(again.executable).toBe(first.executable);
    expect(requests).toEqual([zipPath]);
  });

  it('a mirror without the release (HTTP 404): the headless host, and the reason names the status and the URL', async () => {
    answer = (_req, res) => res.writeHead(404, 'Not Found').end();
    const got = await chooseElectron({ pkgDir, mirror, cacheRoot, env: desktop });
    expect(got.executable).toBeUndefined();
    expect(got.reason).toBe(`the Electron download failed: ${mirror}v${version}/${zipName} answered HTTP 404 Not Found`);
    expect(fs.existsSync(path.join(pkgDir, 'path.txt'))).toBe(false);
  });

  it('a server that never answers: gives up after the stall timeout, and says so', async () => {
    answer = () => {}; // the request hangs: no status, no bytes
    const got = await chooseElectron({ pkgDir, mirror, cacheRoot, stallMs: 200, env: desktop });
    expect(got.reason).toBe(`the Electron download failed: no data from ${new URL(mirror).host} for 200 ms (timed out)`);
  });

  it('a download that stops halfway: the stall timeout ends it too', async () => {
    answer = (_req, res) => {
      res.writeHead(200, { 'content-length': release.length });
      res.write(release.subarray(0, 100)); // and nothing more
    };
    const got = await downloadElectron(pkgDir, { mirror, cacheRoot, checksums: rightChecksums, stallMs: 200 });
    expect(got).toEqual({ ok: false, reason: `no data from ${new URL(mirror).host} for 200 ms (timed out)` });
  });

  it('offline (the mirror host does not resolve): the reason says DNS failed', async () => {
    const got = await chooseElectron({ pkgDir, mirror: 'http://electron-mirror.invalid/', cacheRoot, env: desktop });
    expect(got.reason).toMatch(
      /^the Electron download failed: cannot resolve electron-mirror\.invalid \(DNS lookup failed, E[A-Z_]+\): this machine looks offline/,
    );
  });

  it('nothing listening: the reason says the connection was refused', async () => {
    const closed = new URL(mirror);
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    server = http.createServer(); // for afterEach
    const got = await downloadElectron(pkgDir, { mirror, cacheRoot });
    expect(got).toEqual({ ok: false, reason: `${closed.host} refused the connection (ECONNREFUSED)` });
  });

  it('a file that is not the published release (checksum mismatch) is not unpacked', async () => {
    answer = serveRelease; // checked against the package's checksums.json, which this zip does not match
    const got = await downloadElectron(pkgDir, { mirror, cacheRoot });
    expect(got).toEqual({ ok: false, reason: "the downloaded file does not match Electron's published checksum" });
    expect(fs.existsSync(path.join(pkgDir, 'dist'))).toBe(false);
  });

  it('CANTAREIRA_HEADLESS or a missing electron package: the headless host without any download', async () => {
    expect(await chooseElectron({ pkgDir, mirror, env: { CANTAREIRA_HEADLESS: '1' } })).toEqual({ reason: 'CANTAREIRA_HEADLESS is set' });
    expect((await chooseElectron({ pkgDir: null, mirror, env: desktop })).reason).toMatch(/electron package is not installed/);
    expect(requests).toEqual([]);
  });

  it('a Linux machine without a display (a server, a container): the headless host, without downloading Electron', async () => {
    answer = serveRelease;
    expect(await chooseElectron({ pkgDir, mirror, cacheRoot, env: {}, platform: 'linux' })).toEqual({
      reason: 'no display here (neither DISPLAY nor WAYLAND_DISPLAY is set)',
    });
    expect(requests).toEqual([]);
    // Elsewhere (no DISPLAY there) the download goes ahead.
    expect(
      (await chooseElectron({ pkgDir, mirror, cacheRoot, checksums: rightChecksums, env: {}, platform: 'darwin' })).executable,
    ).toBeDefined();
  });

  it('the progress line says how much of how much', () => {
    expect(progressLine(version, { transferred: 12_300_000, total: 110_200_000 })).toBe(
      `Downloading Electron ${version}: 12.3 of 110.2 MB (11%)`,
    );
    expect(progressLine(version, { transferred: 5_000_000, total: null })).toBe(`Downloading Electron ${version}: 5.0 MB`);
  });
});
