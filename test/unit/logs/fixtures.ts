import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FollowItem, SearchItem } from '../../../core/contract/logs.js';
import { createLogs, type Logs, type LogsOptions } from '../../../core/logs/service.js';
import type { ByteFile, LogSource, Sink } from '../../../core/logs/source.js';
import type { ConsoleError } from '../../../core/errors.js';

/** A run directory in a temp folder, laid out as the executor makes it, and a source over it. */
export interface RunDir {
  dir: string;
  logs: Logs;
  source: LogSource;
  write(rel: string, content: string | Buffer): string;
  append(rel: string, content: string | Buffer): void;
  close(): Promise<void>;
}

export function runDir(options: LogsOptions = {}): RunDir {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'cantareira-logs-'));
  const dir = path.join(base, 'runs', 'run-1');
  fs.mkdirSync(path.join(dir, 'sandbox'), { recursive: true });
  const logs = createLogs({ pool: { workers: 0 }, ...options });
  const write = (rel: string, content: string | Buffer) => {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    return file;
  };
  return {
    dir,
    logs,
    source: logs.local(dir),
    write,
    append: (rel, content) => fs.appendFileSync(path.join(dir, rel), content),
    async close() {
      await logs.close();
      fs.rmSync(base, { recursive: true, force: true });
    },
  };
}

/** A stream's output as it arrives, and a way to wait for what a test expects. */
export class Collected<T> implements Sink<T> {
  items: T[] = [];
  cursors: string[] = [];
  error: ConsoleError | null = null;
  private waiters: (() => void)[] = [];

  push(items: T[], cursor: string): void {
    this.items.push(...items);
    this.cursors.push(cursor);
    this.wake();
  }
  fail(error: ConsoleError): void {
    this.error = error;
    this.wake();
  }
  get cursor(): string | undefined {
    return this.cursors.at(-1);
  }
  private wake() {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Resolves once `done(items)` holds; fails the test after `ms`. */
  async until(done: (items: T[]) => boolean, ms = 5000): Promise<T[]> {
    const deadline = Date.now() + ms;
    while (!done(this.items)) {
      if (this.error) throw new Error(`stream failed: ${this.error.code} ${this.error.message}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; got ${JSON.stringify(this.items).slice(0, 2000)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 50));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.items;
  }
}

export const lineTexts = (items: FollowItem[]) => items.flatMap((i) => (i.kind === 'line' ? [i.line.text] : []));
export const matchesOf = (items: SearchItem[]) => items.flatMap((i) => (i.kind === 'match' ? [i] : []));
export const finished = (items: SearchItem[]) => items.some((i) => i.kind === 'progress' && i.done);

/** An in-memory file that counts its reads: what the O(1) claims are checked against. */
export function memoryFile(content: Buffer): ByteFile & { reads: { offset: number; length: number }[]; stats: number } {
  const f = {
    reads: [] as { offset: number; length: number }[],
    stats: 0,
    fd: null,
    info: async () => {
      f.stats++;
      return { size: content.length, mtime: 0, id: 'mem' };
    },
    read: async (offset: number, length: number, into?: Buffer) => {
      f.reads.push({ offset, length });
      const bytes = content.subarray(offset, Math.min(content.length, offset + length));
      if (!into) return Buffer.from(bytes);
      bytes.copy(into);
      return into.subarray(0, bytes.length);
    },
    close: async () => {},
  };
  return f;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
