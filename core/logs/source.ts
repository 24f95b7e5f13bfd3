import type { FollowItem, LogFileStat, LogLine, SandboxEntry, SearchItem } from '../contract/logs.js';
import type { ConsoleError } from '../errors.js';

/**
 * The two layers of log access.
 *
 * `SandboxFiles` is what differs between a local run directory and an agent's files API:
 * confined paths, an open file read in ranges, a listing. Everything is async and every read
 * is a range, so an implementation over Mesos `/files/read` (64 KiB per request, `offset=-1`
 * for the size) and `/files/browse` fits without changing anything above it.
 *
 * `LogSource` is what callers use: lines around an offset, follow, search, the line index. It
 * is written once, over `SandboxFiles` (see `createLogSource`).
 */

export interface FileInfo {
  size: number;
  /** Milliseconds since the epoch. */
  mtime: number;
  /**
   * Identifies the file behind a path, so a follow notices a rotation (same name, new file).
   * Local: device, inode and birth time. Null where the backend cannot tell (Mesos files API).
   */
  id: string | null;
}

/** An open file. Reads past the end return fewer bytes (none at or after the end). */
export interface ByteFile {
  /**
   * The size and identity of the open file (not of whatever the path names now). A remote
   * backend may answer with a size it learned up to `maxAgeMs` ago (default 0: ask now), so the
   * calls a viewer makes one after the other do not each cost a request.
   */
  info(maxAgeMs?: number): Promise<FileInfo>;
  /**
   * When `into` is given (a caller's reused buffer, at least `length` long: fresh 4 MiB buffers
   * cost more in page faults and GC than the read itself), the bytes go into it from its start
   * and the result is a view of it; otherwise the result is a new buffer.
   */
  read(offset: number, length: number, into?: Buffer): Promise<Buffer>;
  /** A local descriptor, so scanning workers can read the file themselves. */
  readonly fd: number | null;
  /**
   * The whole file from byte 0 in one request, where the backend can (an agent's
   * `/files/download`): its bytes to `onChunk` in order, as they arrive; resolves with how many
   * came (the size when asked: bytes appended meanwhile are not sent). Resolves null, before any
   * byte, when the backend refuses: read ranges instead. Absent where ranges cost nothing (local).
   */
  stream?(onChunk: (chunk: Buffer) => void, signal: AbortSignal): Promise<number | null>;
  close(): Promise<void>;
}

/** A task's run directory. Every path is relative to it and never resolves outside it. */
export interface SandboxFiles {
  /** The run directory as the agent names it (shown to the user, used as a cache key). */
  readonly root: string;
  /**
   * Who serves the files, where `root` alone may not tell (an agent's address: two agents can
   * name the same virtual run path); part of the line indexes' key.
   */
  readonly origin?: string;
  /** The run directory joined with `path`, for copying. */
  shownPath(path: string): Promise<string>;
  open(path: string): Promise<ByteFile>;
  /** What the path names now; null when it is gone. For rotation checks. */
  infoOf(path: string): Promise<FileInfo | null>;
  list(path: string, limit: number): Promise<{ path: string; entries: SandboxEntry[]; truncated: boolean }>;
  /**
   * Calls `onChange` soon after the file may have changed (`renamed`: it may be another file
   * now). Returns the stop function, or null where there is nothing to watch (poll instead).
   */
  watch(path: string, onChange: (renamed: boolean) => void): (() => void) | null;
}

export interface LinesQuery {
  /** A byte offset; -1 (or past the end) for the end. */
  at: number;
  /** A 1-based line number instead of `at`. */
  line?: number;
  before: number;
  after: number;
  maxLineChars: number;
}

export interface LinePartQuery {
  offset: number;
  length: number;
  from: number;
  maxLineChars: number;
}

export interface LinesResult {
  lines: LogLine[];
  size: number;
  end: number;
  firstLine: number | null;
}

export interface SearchQuery {
  query: string;
  mode: 'literal' | 'regex';
  caseInsensitive: boolean;
  from: number;
  maxMatches: number;
  maxLineChars: number;
}

export interface IndexProgress {
  size: number;
  indexed: number;
  lines: number;
  done: boolean;
}

/**
 * Where a long-running read (follow, search) delivers. `cursor` is where a new one resumes
 * with nothing missed and nothing repeated; `fail` ends it with an error the user can act on.
 */
export interface Sink<T> {
  push(items: T[], cursor: string): void;
  fail(error: ConsoleError): void;
}

export interface FollowFrom {
  offset: number;
  /** The file the offset belongs to (`FileInfo.id`); a different file now means start over. */
  file?: string | undefined;
}

export interface LogSource {
  readonly root: string;
  list(path: string): Promise<{ path: string; entries: SandboxEntry[]; truncated: boolean }>;
  stat(path: string): Promise<LogFileStat>;
  read(path: string, offset: number, length: number): Promise<{ offset: number; data: Buffer; size: number }>;
  lines(path: string, query: LinesQuery): Promise<LinesResult>;
  /** Bytes [from, …) of the line at `offset`, decoded as its lines are, as far as `maxLineChars`. */
  linePart(path: string, query: LinePartQuery): Promise<{ line: LogLine; next: number; size: number }>;
  index(path: string): Promise<IndexProgress>;
  /** Resolves once the file is open (rejects if it cannot be); the function stops it. */
  follow(path: string, from: FollowFrom, sink: Sink<FollowItem>): Promise<() => void>;
  search(path: string, query: SearchQuery, sink: Sink<SearchItem>): Promise<() => void>;
}
