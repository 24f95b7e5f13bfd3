import fs from 'node:fs';
import path from 'node:path';
import type { SandboxEntry } from '../contract/logs.js';
import { ConsoleError, isConsoleError } from '../errors.js';
import { checkOpened, resolveInside } from './confine.js';
import type { ByteFile, FileInfo, SandboxFiles } from './source.js';

/** The run directory of a task on this machine (the embedded cluster's agents). */
export function localSandboxFiles(runDir: string): SandboxFiles {
  let realRoot: Promise<string> | null = null;
  const root = () =>
    (realRoot ??= fs.promises.realpath(runDir).catch((e: NodeJS.ErrnoException) => {
      realRoot = null;
      if (e.code === 'ENOENT' || e.code === 'ENOTDIR') throw sandboxGone(runDir);
      throw e;
    }));
  const resolve = async (rel: string) => resolveInside(runDir, await root(), rel);

  return {
    root: runDir,
    shownPath: async (rel) => (await resolve(rel)).shown,

    async open(rel) {
      const realRoot = await root();
      const r = await resolveInside(runDir, realRoot, rel);
      assertRegular(await fs.promises.stat(r.real).catch(notFound(r.rel)), r.rel);
      // O_NOFOLLOW: the last segment cannot have become a link since realpath; O_NONBLOCK: a
      // FIFO swapped in since the stat cannot hang the console on open.
      const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK } = fs.constants;
      const handle = await fs.promises.open(r.real, O_RDONLY | O_NOFOLLOW | O_NONBLOCK).catch(notFound(r.rel));
      try {
        await checkOpened(handle.fd, realRoot, rel);
        assertRegular(await handle.stat(), r.rel);
      } catch (e) {
        await handle.close();
        throw e;
      }
      return byteFile(handle);
    },

    async infoOf(rel) {
      try {
        const r = await resolve(rel);
        return infoOf(await fs.promises.stat(r.real));
      } catch (e) {
        if (isConsoleError(e) && e.code === 'SANDBOX_NOT_FOUND') return null;
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw e;
      }
    },

    async list(rel, limit) {
      const r = await resolve(rel);
      const st = await fs.promises.stat(r.real).catch(notFound(r.rel));
      if (!st.isDirectory()) {
        throw new ConsoleError('SANDBOX_NOT_FOUND', `"${r.rel}" is a file, not a directory.`, 'Open it in the log viewer instead.');
      }
      // opendir streams the names, so a directory of a million files costs `limit` entries.
      const names: string[] = [];
      let truncated = false;
      const dir = await fs.promises.opendir(r.real, { bufferSize: 256 });
      for await (const d of dir) {
        if (names.length >= limit) {
          truncated = true;
          break;
        }
        names.push(d.name);
      }
      const entries: SandboxEntry[] = [];
      for (let i = 0; i < names.length; i += 64) {
        const batch = names.slice(i, i + 64);
        const stats = await Promise.all(batch.map((n) => fs.promises.lstat(path.join(r.real, n)).catch(() => null)));
        stats.forEach((s, k) => {
          const name = batch[k]!;
          if (s) entries.push(entryOf(name, r.rel ? `${r.rel}/${name}` : name, s));
        });
      }
      entries.sort((a, b) => Number(b.kind === 'dir') - Number(a.kind === 'dir') || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      return { path: r.rel, entries, truncated };
    },

    watch(rel, onChange) {
      // Watches the directory, not the file: inotify follows an inode, and after a rotation the
      // name belongs to a new one. The directory also reports the new file being created.
      const resolved = resolve(rel);
      let watcher: fs.FSWatcher | null = null;
      let stopped = false;
      resolved.then(
        (r) => {
          if (stopped) return;
          const name = path.basename(r.real);
          try {
            watcher = fs.watch(path.dirname(r.real), { persistent: false }, (event, file) => {
              if (file === null || file === name) onChange(event === 'rename');
            });
            watcher.on('error', () => watcher?.close());
          } catch {
            watcher = null; // e.g. out of inotify watches: the follow's poll still runs
          }
        },
        () => {},
      );
      return () => {
        stopped = true;
        watcher?.close();
      };
    },
  };
}

export function sandboxGone(runDir: string): ConsoleError {
  return new ConsoleError(
    'SANDBOX_GONE',
    `The task's sandbox ${runDir} no longer exists: sandboxes are garbage-collected some time after their task ends.`,
    "The task's state, exit code and events are still shown; run the job again to get fresh logs.",
  );
}

function notFound(rel: string) {
  return (e: NodeJS.ErrnoException): never => {
    if (e.code === 'ENOENT')
      throw new ConsoleError('SANDBOX_NOT_FOUND', `"${rel}" is no longer in the task's sandbox.`, 'List the sandbox again.');
    if (e.code === 'EACCES' || e.code === 'EPERM') {
      throw new ConsoleError(
        'SANDBOX_NOT_FOUND',
        `"${rel}" cannot be read: permission denied.`,
        'Check the permissions of the file on the agent.',
      );
    }
    if (e.code === 'ELOOP')
      throw new ConsoleError('SANDBOX_OUTSIDE_ROOT', `"${rel}" became a symlink while being opened.`, 'Open it again.');
    throw e;
  };
}

function assertRegular(st: fs.Stats, rel: string): void {
  if (st.isFile()) return;
  const what = st.isDirectory() ? 'a directory' : 'not a regular file (a FIFO, socket or device)';
  throw new ConsoleError(
    'LOG_NOT_TEXT',
    `"${rel || '.'}" is ${what}, so there are no lines to show.`,
    'Browse it in the sandbox listing instead.',
  );
}

function infoOf(st: fs.Stats): FileInfo {
  return { size: st.size, mtime: Math.floor(st.mtimeMs), id: `${st.dev}:${st.ino}:${Math.floor(st.birthtimeMs)}` };
}

function byteFile(handle: fs.promises.FileHandle): ByteFile {
  return {
    fd: handle.fd,
    info: async () => infoOf(await handle.stat()),
    async read(offset, length, into) {
      const buf = into ?? Buffer.allocUnsafe(length);
      let got = 0;
      while (got < length) {
        const { bytesRead } = await handle.read(buf, got, length - got, offset + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return got === buf.length ? buf : buf.subarray(0, got);
    },
    close: () => handle.close(),
  };
}

const typeChar = (s: fs.Stats) =>
  s.isDirectory()
    ? 'd'
    : s.isSymbolicLink()
      ? 'l'
      : s.isFile()
        ? '-'
        : s.isFIFO()
          ? 'p'
          : s.isSocket()
            ? 's'
            : s.isCharacterDevice()
              ? 'c'
              : 'b';

/** `ls -l` style, as Mesos' /files/browse reports it. */
export function modeString(s: fs.Stats): string {
  let bits = '';
  for (let shift = 6; shift >= 0; shift -= 3) {
    const m = (s.mode >> shift) & 7;
    bits += (m & 4 ? 'r' : '-') + (m & 2 ? 'w' : '-') + (m & 1 ? 'x' : '-');
  }
  return typeChar(s) + bits;
}

function entryOf(name: string, rel: string, s: fs.Stats): SandboxEntry {
  const kind = s.isDirectory() ? 'dir' : s.isSymbolicLink() ? 'symlink' : s.isFile() ? 'file' : 'other';
  return { name, path: rel, kind, size: s.size, mtime: Math.floor(s.mtimeMs), mode: modeString(s) };
}
