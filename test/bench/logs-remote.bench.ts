/**
 * Remote reads of reference/performance.md §6 (L5, and the request counts of issue 12), against
 * a loopback agent (test/integration/fixtures/mesos-servers.ts) that counts what it serves:
 *   - requests for stat, opening at the end, a page around an offset, an idle follow per second;
 *   - L5: line index and literal search of the whole file through one `/files/download`
 *     ÷ `curl …/files/download > /dev/null` of the same file in the same run (goal ≤ 1.1);
 *   - the same index through 64 KiB `/files/read` requests (an agent that refuses downloads),
 *     with its request count, for reference.
 * LOGS_REMOTE_SIZE picks the file size (default 256m; the issue's figure is 1g).
 *
 * Run: npm run bench -- logs-remote
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createLogs } from '../../core/logs/service.js';
import type { LogSource } from '../../core/logs/source.js';
import { agentSandboxFiles } from '../../core/mesos/files.js';
import { createTransport } from '../../core/mesos/http.js';
import { startAgent, type AgentRunning } from '../integration/fixtures/mesos-servers.js';
import { fmt, generate, median, needle, verdict } from './logs-data.js';

/** curl in a child process, awaited: the agent answering it runs on this process's event loop. */
function curlMs(url: string): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const c = spawn('curl', ['-s', '-f', '-o', '/dev/null', url], { stdio: 'ignore' });
    c.on('error', reject);
    c.on('exit', (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new Error(`curl exited with ${code}`))));
  });
}

const size = (() => {
  const m = /^(\d+)([mg])$/i.exec(process.env.LOGS_REMOTE_SIZE ?? '256m');
  if (!m) throw new Error('LOGS_REMOTE_SIZE: e.g. 256m or 1g');
  return Number(m[1]) * (m[2]!.toLowerCase() === 'g' ? 1024 ** 3 : 1024 ** 2);
})();
const runs = 3;
const mb = (n: number) => `${(n / 1024 ** 2).toFixed(0)} MiB`;

const agent = await startAgent({ files: { stdout: '' } });
const refusing = await startAgent({ files: {}, refuseDownload: 404 });
const file = path.join(agent.runDir, 'stdout');
generate(file, size);
fs.linkSync(file, path.join(refusing.runDir, 'stdout'));
const transport = createTransport({ timeoutMs: 10_000 });
const sourceOf = (a: AgentRunning, logs = createLogs()) => ({
  logs,
  source: logs.over(agentSandboxFiles({ id: a.id, hostname: 'h', ip: '127.0.0.1', port: a.port }, a.virtualPath, transport)),
});
const counted = (a: AgentRunning) => Object.fromEntries([...a.requests].map(([p, n]) => [p.replace('/files/', ''), n]));

async function indexed(s: LogSource): Promise<number> {
  const t0 = performance.now();
  for (let p = await s.index('stdout'); !p.done; p = await s.index('stdout')) await new Promise((r) => setTimeout(r, 5));
  return performance.now() - t0;
}

function searched(s: LogSource): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    void s.search(
      'stdout',
      { query: needle, mode: 'literal', caseInsensitive: false, from: 0, maxMatches: 10, maxLineChars: 500 },
      { push: (items) => items.some((i) => i.kind === 'progress' && i.done) && resolve(performance.now() - t0), fail: reject },
    );
  });
}

try {
  console.log(`logs-remote: a ${mb(size)} log on a loopback agent`);

  // Request counts: what each call of a viewer costs the agent.
  {
    const { logs, source } = sourceOf(agent);
    agent.requests.clear();
    await source.stat('stdout');
    const stat = agent.requestCount();
    await source.lines('stdout', { at: -1, before: 150, after: 0, maxLineChars: 10_000 });
    const open = agent.requestCount();
    await new Promise((r) => setTimeout(r, 2100));
    agent.requests.clear();
    await source.lines('stdout', { at: Math.floor(size / 2), before: 150, after: 150, maxLineChars: 10_000 });
    const page = agent.requestCount();
    const stop = await source.follow('stdout', { offset: fs.statSync(file).size }, { push: () => {}, fail: () => {} });
    await new Promise((r) => setTimeout(r, 500));
    agent.requests.clear();
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, 5000));
    const perSecond = agent.requestCount() / ((performance.now() - t0) / 1000);
    stop();
    await logs.close();
    console.log(
      `  requests: stat ${stat} (goal 1–2, before 4); stat + last page ${open} (goal 2); page around an offset ${page} (before 4–6)`,
    );
    console.log(`  idle follow: ${perSecond.toFixed(2)} requests/s (goal ≤ 1, before ~9) ${verdict(perSecond <= 1.05)}`);
  }

  // Reference: the raw transfer.
  const url = `${agent.url}/files/download?path=${encodeURIComponent(`${agent.virtualPath}/stdout`)}`;
  const curls: number[] = [];
  for (let k = 0; k < runs; k++) curls.push(await curlMs(url));
  const curl = median(curls);
  console.log(`  reference: curl /files/download > /dev/null ${fmt(curl)} ms (${((size / 1024 ** 2 / curl) * 1000).toFixed(0)} MiB/s)`);

  const index: number[] = [];
  const search: number[] = [];
  let indexRequests = {};
  let searchRequests = {};
  for (let k = 0; k < runs; k++) {
    const a = sourceOf(agent);
    agent.requests.clear();
    index.push(await indexed(a.source));
    indexRequests = counted(agent);
    await a.logs.close();
    const b = sourceOf(agent);
    await b.logs.warm();
    agent.requests.clear();
    search.push(await searched(b.source));
    searchRequests = counted(agent);
    await b.logs.close();
  }
  const ri = median(index) / curl;
  const rs = median(search) / curl;
  console.log(
    `  L5 line index (download): ${fmt(median(index))} ms, ÷ curl = ${ri.toFixed(2)} (goal ≤ 1.1) ${verdict(ri <= 1.1)}; requests ${JSON.stringify(indexRequests)}`,
  );
  console.log(
    `  L5 literal search (download): ${fmt(median(search))} ms, ÷ curl = ${rs.toFixed(2)} (goal ≤ 1.1) ${verdict(rs <= 1.1)}; requests ${JSON.stringify(searchRequests)}`,
  );

  {
    const { logs, source } = sourceOf(refusing);
    refusing.requests.clear();
    const ms = await indexed(source);
    await logs.close();
    console.log(
      `  line index through 64 KiB /files/read (agent refuses downloads): ${fmt(ms)} ms, ÷ curl = ${(ms / curl).toFixed(2)}; requests ${JSON.stringify(counted(refusing))}`,
    );
  }
} finally {
  transport.close();
  await Promise.all([agent.close(), refusing.close()]);
}
