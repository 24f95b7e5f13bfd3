import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../core/store/database.js';
import { executorProcessRepository } from '../../../core/store/executor-processes.js';

let dir: string;
let db: Db;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cantareira-xp-'));
  db = openDatabase(path.join(dir, 'console.db'));
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('records process groups per profile, with start ticks that round-trip exactly, and forgets them', () => {
  const repo = executorProcessRepository(db);
  const base = { taskId: 't1', runDir: '/r', launchedAt: 5 };
  repo.add({ ...base, profileId: 'a', pid: 10, startTicks: 123456789012 });
  repo.add({ ...base, profileId: 'a', pid: 11, startTicks: 2, launchedAt: 6 });
  repo.add({ ...base, profileId: 'b', pid: 10, startTicks: 3 });
  expect(repo.list('a')).toEqual([
    { ...base, profileId: 'a', pid: 10, startTicks: 123456789012 },
    { ...base, profileId: 'a', pid: 11, startTicks: 2, launchedAt: 6 },
  ]);
  expect(repo.list().map((r) => `${r.profileId}/${r.pid}`)).toEqual(['a/10', 'a/11', 'b/10']);
  repo.remove('a', 't1', 10);
  expect(repo.list().map((r) => `${r.profileId}/${r.pid}`)).toEqual(['a/11', 'b/10']);
});
