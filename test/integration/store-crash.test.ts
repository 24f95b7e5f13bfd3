import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../core/store/index.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const writer = fileURLToPath(new URL('./fixtures/store-writer.ts', import.meta.url));
const batchSize = 50;

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cantareira-crash-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * Starts the writer on `file`, lets it commit at least `killAfter` batches, then kills it with
 * SIGKILL while it keeps writing. Returns the last batch it reported as committed.
 */
function runAndKill(file: string, killAfter: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, file, String(batchSize)], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let killed = false;
    const lastReported = () => {
      const lines = out.split('\n');
      lines.pop(); // an unfinished line is not a report
      return lines.length === 0 ? 0 : Number(lines[lines.length - 1]);
    };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (!killed && lastReported() >= killAfter) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited on its own (code ${code}):\n${err}`));
      else resolve(lastReported());
    });
  });
}

interface BatchState {
  tasks: number;
  running: number;
  finished: number;
}

function batchesIn(file: string): Map<number, BatchState> {
  const store = openStore(file); // throws STORE_CORRUPT if integrity_check fails
  try {
    expect(store.db.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    const rows = store.db
      .prepare<[], { job_key: string; tasks: number; running: number; finished: number }>(
        `SELECT job_key, count(*) AS tasks, sum(state = 'RUNNING') AS running, sum(state = 'FINISHED') AS finished
         FROM tasks WHERE profile_id = 'crash' GROUP BY job_key`,
      )
      .all();
    return new Map(rows.map((r) => [Number(r.job_key.replace('crash/test/batch-', '')), r]));
  } finally {
    store.close();
  }
}

describe('a store written by a process killed with SIGKILL', () => {
  it.each([15, 60, 140])(
    'reopens intact with every reported batch whole and no partial one (killed after %i batches)',
    async (killAfter) => {
      const file = path.join(dir, `killed-after-${killAfter}`, 'cantareira.db');
      const reported = await runAndKill(file, killAfter);
      expect(reported).toBeGreaterThanOrEqual(killAfter);

      const batches = batchesIn(file);
      const newest = Math.max(...batches.keys());
      // The kill may land after a commit and before its report, never later than that.
      expect(newest === reported || newest === reported + 1).toBe(true);
      expect([...batches.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: newest }, (_, i) => i + 1));
      for (const [batch, state] of batches) {
        const expected =
          batch === newest ? { tasks: batchSize, running: batchSize, finished: 0 } : { tasks: batchSize, running: 0, finished: batchSize };
        expect({ batch, ...state }).toEqual({ batch, job_key: `crash/test/batch-${batch}`, ...expected });
      }
    },
  );
});
