import { pathSegments } from './confine.js';
import { followFile, type FollowOptions } from './follow.js';
import { LineIndexes } from './line-index.js';
import { readLinePart, readLines } from './lines.js';
import { localSandboxFiles } from './local.js';
import { createScanPool, type ScanPool, type ScanPoolOptions } from './scan-pool.js';
import { searchFile, type SearchOptions } from './search.js';
import { sniff } from './sniff.js';
import type { ByteFile, LogSource, SandboxFiles } from './source.js';

/** Listing entries at most per directory: bounded like every other answer. */
const maxEntries = 10_000;
/**
 * How old a file's size may be for the calls of a viewer (stat, a page of lines, a raw range):
 * the renderer opens a file with a stat and then the last page, and on an agent each fresh size
 * is a request. Lines appended since are what a follow sends next; a follow asks fresh sizes.
 */
const viewerAgeMs = 2000;
/** What `logs.stat` looks at to tell a binary (as Nomad and `file` do): see sniff.ts. */
const sniffBytes = 8 * 1024;

export interface LogsOptions {
  pool?: ScanPoolOptions;
  follow?: FollowOptions;
  search?: SearchOptions;
}

/** The log services of one console: the scanning threads and line indexes, shared by every source. */
export interface Logs {
  /** A run directory on this machine (the embedded cluster). */
  local(runDir: string): LogSource;
  /** Any other backend (e.g. an agent's files API) gets the same source over its files. */
  over(files: SandboxFiles): LogSource;
  /** Starts the scanning threads ahead of a search (they start on first use otherwise); resolves with how many are up. */
  warm(): Promise<number>;
  close(): Promise<void>;
}

export function createLogs(options: LogsOptions = {}): Logs {
  // Created on first use: most consoles never search, and threads cost memory and start-up.
  let pool: ScanPool | null = null;
  let indexes: LineIndexes | null = null;
  const shared: Shared = {
    pool: () => (pool ??= createScanPool(options.pool)),
    indexes: () => (indexes ??= new LineIndexes(shared.pool())),
    hasIndexes: () => indexes !== null,
    options,
  };
  return {
    local: (runDir) => createLogSource(localSandboxFiles(runDir), shared),
    over: (files) => createLogSource(files, shared),
    warm: () => shared.pool().warm(),
    async close() {
      await pool?.close();
    },
  };
}

interface Shared {
  pool(): ScanPool;
  indexes(): LineIndexes;
  hasIndexes(): boolean;
  options: LogsOptions;
}

function createLogSource(files: SandboxFiles, shared: Shared): LogSource {
  const key = (rel: string) => `${files.origin ?? ''}\0${files.root}\0${pathSegments(rel).join('/')}`;

  /** Runs `use` on the open file (sizes up to `viewerAgeMs` old) and always closes it. */
  const withFile = async <T>(rel: string, use: (file: ByteFile) => Promise<T>): Promise<T> => {
    const file = await files.open(rel);
    try {
      return await use({ ...file, info: () => file.info(viewerAgeMs) });
    } finally {
      await file.close();
    }
  };

  return {
    root: files.root,

    list: (rel) => files.list(rel, maxEntries),

    stat: (rel) =>
      withFile(rel, async (file) => {
        const info = await file.info();
        const head = await file.read(0, Math.min(sniffBytes, info.size));
        return { size: info.size, mtime: info.mtime, ...sniff(head), absolutePath: await files.shownPath(rel) };
      }),

    read: (rel, offset, length) =>
      withFile(rel, async (file) => {
        const { size } = await file.info();
        const data = offset >= size ? Buffer.alloc(0) : await file.read(offset, Math.min(length, size - offset));
        return { offset, data, size };
      }),

    async lines(rel, q) {
      const found = q.line === undefined ? null : await shared.indexes().lineStart(files, key(rel), rel, q.line);
      const at = found === null ? q.at : found.offset;
      return withFile(rel, async (file) => {
        const r = await readLines(file, { ...q, at });
        let firstLine: number | null = null;
        const i = found === null ? -1 : r.lines.findIndex((l) => l.offset === found.offset);
        // Gone to a line: its number is known, whether or not the index covers it yet.
        if (found !== null && i >= 0) firstLine = found.line - i;
        else if (shared.hasIndexes() && r.lines.length > 0) {
          firstLine = await shared.indexes().lineNumberAt(file, key(rel), (await file.info()).id, r.lines[0]!.offset);
        }
        return { lines: r.lines, size: r.size, end: r.end, firstLine };
      });
    },

    linePart: (rel, q) => withFile(rel, (file) => readLinePart(file, q)),

    index: (rel) => shared.indexes().progress(files, key(rel), rel),

    follow: (rel, from, sink) => followFile(files, rel, from, sink, shared.options.follow),

    search: (rel, q, sink) => searchFile(files, rel, q, sink, shared.pool(), shared.options.search),
  };
}
