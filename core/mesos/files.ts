import type { SandboxEntry } from '../contract/logs.js';
import { pathSegments } from '../logs/confine.js';
import type { ByteFile, FileInfo, SandboxFiles } from '../logs/source.js';
import { ConsoleError } from '../errors.js';
import { agentBase, agentGet, agentName, type AgentAddress, type AgentOptions } from './agent.js';
import { agentUnreachable, badResponse, excerpt } from './failures.js';
import { TransportError, type HttpAnswer, type Transport } from './http.js';
import { ByteJsonError, parseByteJson } from './json-bytes.js';

/**
 * A task's run directory on a real agent, through its files API (reference/mesos.md §3):
 * `/files/browse?path=` lists, `/files/read?path=&offset=&length=` reads at most 64 KiB (16
 * pages) per request, `offset=-1` gives the size. Implements the same SandboxFiles as a local
 * run directory, so the log viewer, follow and search work unchanged on top of it.
 *
 * Paths are confined by the same text rules as locally (no `..`, no absolute paths, nothing
 * percent-encoded: confine.ts), and the agent refuses symlinks that lead out of the directory
 * it attached ("... is inaccessible" → SANDBOX_OUTSIDE_ROOT).
 */

export interface AgentFilesOptions extends AgentOptions {
  /** Bytes asked per `/files/read`; the agent serves at most 16 pages (64 KiB on 4 KiB pages). */
  readBytes?: number;
  /** Requests in flight for one long read. */
  parallelReads?: number;
}

const defaultReadBytes = 64 * 1024;
/** How long a size or a small read answered by the agent is reused by the calls of a viewer that follow it. */
const recentMs = 2000;

export function agentSandboxFiles(agent: AgentAddress, root: string, transport: Transport, options: AgentFilesOptions = {}): SandboxFiles {
  const readBytes = Math.max(1, options.readBytes ?? defaultReadBytes);
  const parallel = Math.max(1, options.parallelReads ?? 4);
  const base = root.replace(/\/+$/, '') || '/';
  /** Agent paths by sandbox path: mtimes seen in listings (the read API has none). */
  const mtimes = new Map<string, number>();

  const agentPath = (segments: string[]) => (segments.length === 0 ? base : `${base === '/' ? '' : base}/${segments.join('/')}`);
  const files = (endpoint: string, path: string, query = '') =>
    agentGet(agent, transport, `/files/${endpoint}?path=${encodeURIComponent(path)}${query}`, options);

  /** `/files/read` → the bytes at `offset` (empty at or past the end), or the size for offset -1. */
  const read = async (rel: string, path: string, offset: number, length: number | null): Promise<{ offset: number; data: Buffer }> => {
    const a = await files('read', path, `&offset=${offset}${length === null ? '' : `&length=${length}`}`);
    if (a.status !== 200) throw refusal(a, rel, base);
    let v: unknown;
    try {
      v = parseByteJson(a.body);
    } catch (e) {
      throw badResponse(a.url, e instanceof ByteJsonError ? `it is not valid JSON (${e.message})` : String(e));
    }
    const o = v as { offset?: unknown; data?: unknown } | null;
    if (o === null || typeof o !== 'object' || typeof o.offset !== 'number' || !Buffer.isBuffer(o.data)) {
      throw badResponse(a.url, 'it is not a /files/read answer ({"offset": N, "data": "..."})');
    }
    if (offset >= 0 && o.offset !== offset) throw badResponse(a.url, `it answers for offset ${o.offset}, not ${offset}`);
    if (length !== null && o.data.length > length) throw badResponse(a.url, `it sent ${o.data.length} bytes for ${length} asked`);
    return { offset: o.offset, data: o.data };
  };

  /**
   * Sizes by agent path, as last probed: stat, lines and the line index ask within a moment of
   * each other, and each probe is a request the agent serves. A caller that must see the file
   * as it is now (a follow's tick) asks with maxAgeMs 0; probes in flight are shared.
   */
  const sizes = new Map<string, { size: number; at: number } | Promise<number>>();
  const sizeOf = async (rel: string, path: string, maxAgeMs = 0): Promise<number> => {
    const known = sizes.get(path);
    if (known instanceof Promise) return known;
    if (known && maxAgeMs > 0 && Date.now() - known.at <= maxAgeMs) return known.size;
    const asked = read(rel, path, -1, null).then(
      (r) => {
        sizes.set(path, { size: r.offset, at: Date.now() });
        return r.offset;
      },
      (e: unknown) => {
        sizes.delete(path);
        throw e;
      },
    );
    sizes.set(path, asked);
    return asked;
  };
  /**
   * The last answer of a small read per path, for a moment: a read shorter than a request's cap
   * asks for the whole 64 KiB (one request either way), so what stat sniffs and what the
   * viewer's first page shows of a small file is one request, not two. Bytes a file already
   * holds do not change (logs are appended to); a short answer is only used up to where it ends.
   */
  const recent = new Map<string, { offset: number; data: Buffer; at: number }>();
  const fromRecent = (path: string, offset: number, length: number): Buffer | null => {
    const r = recent.get(path);
    if (!r || Date.now() - r.at > recentMs || offset < r.offset || offset + length > r.offset + r.data.length) return null;
    return r.data.subarray(offset - r.offset, offset - r.offset + length);
  };

  const browse = async (rel: string, path: string): Promise<BrowseEntry[] | null> => {
    const a = await files('browse', path);
    if (a.status === 404) return null;
    if (a.status !== 200) throw refusal(a, rel, base);
    let v: unknown;
    try {
      v = JSON.parse(a.body.toString('utf8'));
    } catch (e) {
      throw badResponse(a.url, `it is not valid JSON (${(e as Error).message})`);
    }
    if (!Array.isArray(v)) throw badResponse(a.url, 'it is not a /files/browse answer (a list of files)');
    const prefix = path === '/' ? '/' : `${path}/`;
    const entries: BrowseEntry[] = [];
    for (const e of v as unknown[]) {
      const entry = browseEntry(e, prefix);
      if (entry) entries.push(entry);
    }
    return entries;
  };

  /**
   * `/files/download`: the whole file in one request, its bytes to `onChunk` in order as they
   * arrive (libprocess sends the size at the request as Content-Length, then exactly that many
   * bytes). Null when the agent does not serve it (403, 404, 405, 501: an ACL or proxy that
   * allows reads only, an agent without the endpoint): the caller reads ranges instead, and
   * a file that is really missing is reported by those reads.
   */
  const download = async (rel: string, path: string, onChunk: (chunk: Buffer) => void, signal: AbortSignal): Promise<number | null> => {
    const url = `${agentBase(agent, options)}/files/download?path=${encodeURIComponent(path)}`;
    let got = 0;
    const s = transport.stream({ url, signal, headers: { Accept: 'application/octet-stream' } }, (chunk) => {
      got += chunk.length;
      onChunk(chunk);
    });
    try {
      const head = await s.response;
      if (head.status !== 200) {
        if (head.status === 403 || head.status === 404 || head.status === 405 || head.status === 501) return null;
        throw refusal(head, rel, base);
      }
      const announced = Number(head.headers['content-length']);
      if ((await s.done) === 'closed') return got;
      if (Number.isFinite(announced) && got !== announced) throw badResponse(url, `it sent ${got} of the ${announced} bytes announced`);
      return got;
    } catch (e) {
      if (e instanceof TransportError) {
        if (signal.aborted) return got;
        throw agentUnreachable(agentName(agent), e);
      }
      throw e;
    } finally {
      s.close();
    }
  };

  /** The listing entry of a path (by its parent's listing), null when not there. */
  const entryOf = async (segments: string[]): Promise<BrowseEntry | null> => {
    if (segments.length === 0) return null;
    const parent = segments.slice(0, -1);
    const listing = await browse(parent.join('/'), agentPath(parent));
    const name = segments[segments.length - 1];
    const entry = listing?.find((e) => e.name === name) ?? null;
    if (entry) mtimes.set(segments.join('/'), entry.mtime);
    return entry;
  };

  return {
    root: base,
    origin: agentBase(agent, options),

    shownPath: async (rel) => agentPath(pathSegments(rel)),

    async open(rel) {
      const segments = pathSegments(rel);
      const path = agentPath(segments);
      const shown = segments.join('/');
      // The size probe fails for what cannot be read (missing: 404, a directory: 400). The mtime
      // is the listing's, when the sandbox was listed: the read API has none, and a browse of the
      // parent on every open was one request more for a field the viewer does not show.
      await sizeOf(shown, path, recentMs);
      const file: ByteFile = {
        fd: null,
        async info(maxAgeMs = 0): Promise<FileInfo> {
          return { size: await sizeOf(shown, path, maxAgeMs), mtime: mtimes.get(shown) ?? 0, id: null };
        },
        async read(offset, length, into) {
          const out = into ?? Buffer.allocUnsafe(length);
          const held = length <= readBytes ? fromRecent(path, offset, length) : null;
          if (held) {
            held.copy(out);
            return out.subarray(0, held.length);
          }
          let got = 0;
          if (length < readBytes) {
            const a = await read(shown, path, offset, readBytes);
            recent.set(path, { offset, data: a.data, at: Date.now() });
            got = Math.min(length, a.data.length);
            a.data.copy(out, 0, 0, got);
            if (got === length || a.data.length === 0) return out.subarray(0, got);
          }
          while (got < length) {
            // A window of requests in parallel; a short answer ends the window (end of file, or a
            // short read of the agent), and what came after it is asked again from there.
            const asks: { at: number; length: number }[] = [];
            for (let at = got; at < length && asks.length < parallel; at += readBytes)
              asks.push({ at, length: Math.min(readBytes, length - at) });
            const answers = await Promise.all(asks.map((q) => read(shown, path, offset + q.at, q.length)));
            let short = false;
            let eof = false;
            for (let k = 0; k < asks.length && !short; k++) {
              const data = answers[k]!.data;
              data.copy(out, got);
              got += data.length;
              if (data.length < asks[k]!.length) {
                short = true;
                eof = data.length === 0;
              }
            }
            if (eof) break;
          }
          return got === out.length ? out : out.subarray(0, got);
        },
        stream: (onChunk, signal) => download(shown, path, onChunk, signal),
        close: async () => {},
      };
      return file;
    },

    async infoOf(rel) {
      const segments = pathSegments(rel);
      const shown = segments.join('/');
      try {
        const size = await sizeOf(shown, agentPath(segments), 0);
        return { size, mtime: mtimes.get(shown) ?? 0, id: null };
      } catch (e) {
        if (e instanceof ConsoleError && (e.code === 'SANDBOX_NOT_FOUND' || e.code === 'SANDBOX_GONE')) return null;
        throw e;
      }
    },

    async list(rel, limit) {
      const segments = pathSegments(rel);
      const shown = segments.join('/');
      const listing = await browse(shown, agentPath(segments));
      if (listing === null) throw missing(shown, base);
      // Browsing a file answers [] (the agent's ls fails quietly): tell it from an empty directory.
      if (listing.length === 0 && segments.length > 0) {
        const self = await entryOf(segments);
        if (self && self.kind !== 'dir') {
          throw new ConsoleError('SANDBOX_NOT_FOUND', `"${shown}" is a file, not a directory.`, 'Open it in the log viewer instead.');
        }
      }
      listing.sort((a, b) => Number(b.kind === 'dir') - Number(a.kind === 'dir') || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const kept = listing.slice(0, limit);
      const entries: SandboxEntry[] = kept.map((e) => {
        const path = shown ? `${shown}/${e.name}` : e.name;
        mtimes.set(path, e.mtime);
        return { name: e.name, path, kind: e.kind, size: e.size, mtime: e.mtime, mode: e.mode };
      });
      return { path: shown, entries, truncated: listing.length > limit };
    },

    // The files API has no change notification: follow polls.
    watch: () => null,
  };
}

interface BrowseEntry {
  name: string;
  kind: SandboxEntry['kind'];
  size: number;
  mtime: number;
  mode: string;
}

/** One `/files/browse` entry (`{path, nlink, size, mtime, mode, uid, gid}`) directly under `prefix`, or null. */
function browseEntry(v: unknown, prefix: string): BrowseEntry | null {
  if (v === null || typeof v !== 'object') return null;
  const e = v as { path?: unknown; size?: unknown; mtime?: unknown; mode?: unknown };
  if (typeof e.path !== 'string' || !e.path.startsWith(prefix)) return null;
  const name = e.path.slice(prefix.length);
  if (name === '' || name.includes('/') || name === '.' || name === '..') return null;
  const mode = typeof e.mode === 'string' ? e.mode : '----------';
  const kind = mode[0] === 'd' ? 'dir' : mode[0] === '-' ? 'file' : mode[0] === 'l' ? 'symlink' : 'other';
  const size = typeof e.size === 'number' && Number.isFinite(e.size) ? Math.max(0, Math.floor(e.size)) : 0;
  const mtime = typeof e.mtime === 'number' && Number.isFinite(e.mtime) ? Math.floor(e.mtime * 1000) : 0;
  return { name, kind, size, mtime, mode };
}

function notText(rel: string, what: string): ConsoleError {
  return new ConsoleError(
    'LOG_NOT_TEXT',
    `"${rel || '.'}" is ${what}, so there are no lines to show.`,
    'Browse it in the sandbox listing instead.',
  );
}

function missing(rel: string, root: string): ConsoleError {
  if (rel === '') {
    return new ConsoleError(
      'SANDBOX_GONE',
      `The agent no longer serves the task's sandbox ${root}: sandboxes are garbage-collected some time after their task ends.`,
      "The task's state and statuses are still shown; run the job again to get fresh logs.",
    );
  }
  return new ConsoleError(
    'SANDBOX_NOT_FOUND',
    `There is no "${rel}" in the task's sandbox.`,
    'The file may not be written yet; list the sandbox to see what is there.',
  );
}

/** A non-200 answer of the files API, in the console's terms. */
function refusal(a: HttpAnswer, rel: string, root: string): ConsoleError {
  // The whole body: the agent quotes the real path first, which can be longer than an excerpt.
  const text = a.body.subarray(0, 64 * 1024).toString('utf8');
  const body = excerpt(a.body);
  if (a.status === 404) return missing(rel, root);
  if (a.status === 400 && /Cannot (read|download) a directory/i.test(text)) return notText(rel, 'a directory');
  if (a.status === 400 && /is inaccessible/i.test(text)) {
    return new ConsoleError(
      'SANDBOX_OUTSIDE_ROOT',
      `"${rel}" is outside the task's sandbox: the agent says a symlink leads out of it.`,
      'Pick a file from the sandbox listing; paths are relative to the run directory.',
    );
  }
  return badResponse(a.url, `it is ${a.status}${body ? ` "${body}"` : ''}`);
}
