/**
 * L1–L4 and L6 of reference/performance.md §6, each against its reference in the same run:
 *   L1  open → last page: logs.lines {at: -1} through the LogSource ÷ `tail -c 65536 file`, per
 *       size, and t(largest) ÷ t(1 MB) for size-invariance. Goal ratio ≤ 15, ≤ 50 ms, invariance ≤ 1.5.
 *   L2  line index of 1 GB in worker threads ÷ `wc -l`. Goal ≤ 2.
 *   L3  literal search of 1 GB ÷ `grep -F -c`. Goal ≤ 1.2. (-i: ÷ `grep -i -c`, goal ≤ 1.5.)
 *   L4  regex search of 1 GB ÷ `grep -E -c`. Goal ≤ 1.2. Once with a literal the search finds
 *       first (as grep and ripgrep do), once without one.
 *   L6  follow a file growing at 100 MB/s: display lag p99 ≤ 250 ms and CPU ≤ 25% of a core,
 *       with `tail -F` measured on the same writer for reference.
 * RSS is sampled while indexing and searching 1 GB: it should stay flat.
 *
 * Files are generated in a temp dir and removed after. LOGS_BENCH_SIZES picks the L1 sizes
 * (default 1m,1g; the full run is LOGS_BENCH_SIZES=1m,1g,10g); L2–L4 use the 1 GB file.
 * Figures over their goal are printed as MISSED, not failed (timings on shared machines flap).
 *
 * Run: npm run bench -- logs
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FollowItem, SearchItem } from '../../core/contract/logs.js';
import { createLogs, type Logs } from '../../core/logs/service.js';
import type { FollowOptions } from '../../core/logs/follow.js';
import type { SearchQuery } from '../../core/logs/source.js';
import {
  fmt,
  freeBytes,
  generate,
  median,
  needle,
  percentile,
  rareRegex,
  stampOf,
  timeCommand,
  verdict,
  writerScript,
} from './logs-data.js';

const runs = 5;
const GB = 1024 ** 3;
const parseSize = (s: string) => {
  const m = /^(\d+(?:\.\d+)?)([kmg]?)$/i.exec(s.trim());
  if (!m) throw new Error(`LOGS_BENCH_SIZES: cannot read "${s}" (e.g. 1m,1g,10g)`);
  return Math.round(Number(m[1]) * { '': 1, k: 1024, m: 1024 ** 2, g: GB }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g']);
};
const sizes = (process.env.LOGS_BENCH_SIZES ?? '1m,1g')
  .split(',')
  .map(parseSize)
  .sort((a, b) => a - b);
const label = (n: number) => (n >= GB ? `${n / GB} GB` : `${n / 1024 ** 2} MB`);

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cantareira-bench-logs-'));
const runDir = (name: string) => {
  const dir = path.join(root, name);
  fs.mkdirSync(path.join(dir, 'sandbox'), { recursive: true });
  return dir;
};

/** RSS peak over a piece of work, sampled every 20 ms. */
async function rssDuring<T>(work: () => Promise<T>): Promise<{ result: T; before: number; peak: number }> {
  const before = process.memoryUsage.rss();
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  try {
    return { result: await work(), before, peak: Math.max(peak, process.memoryUsage.rss()) };
  } finally {
    clearInterval(timer);
  }
}
const mb = (n: number) => `${(n / 1024 ** 2).toFixed(0)} MB`;

async function searchOnce(logs: Logs, dir: string, q: Partial<SearchQuery> & { query: string }): Promise<{ ms: number; matches: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    let matches = 0;
    void logs
      .local(dir)
      .search(
        'stdout',
        { mode: 'literal', caseInsensitive: false, from: 0, maxMatches: 100_000, maxLineChars: 2000, ...q },
        {
          push(items: SearchItem[]) {
            for (const i of items) {
              if (i.kind === 'match') matches++;
              else if (i.done) resolve({ ms: performance.now() - t0, matches });
            }
          },
          fail: reject,
        },
      )
      .catch(reject);
  });
}

async function main() {
  const largest = sizes.at(-1)!;
  const needed = sizes.reduce((a, b) => a + b, 0) + (sizes.includes(GB) ? 0 : GB) + 1024 ** 3;
  console.log(`logs bench: sizes ${sizes.map(label).join(', ')}; ${os.cpus().length} cores; ${mb(freeBytes(root))} free in ${os.tmpdir()}`);
  if (freeBytes(root) < needed) throw new Error(`not enough space in ${os.tmpdir()}: need ~${mb(needed)}`);

  const files = new Map<number, string>();
  for (const size of new Set([...sizes, GB])) {
    const dir = runDir(`size-${size}`);
    const t0 = performance.now();
    generate(path.join(dir, 'stdout'), size);
    files.set(size, dir);
    console.log(`  generated ${label(size)} in ${fmt(performance.now() - t0)} ms`);
  }
  const gbDir = files.get(GB)!;
  const gbFile = path.join(gbDir, 'stdout');
  timeCommand('sh', ['-c', 'cat "$0" > /dev/null', gbFile]); // warm the page cache: every figure here is warm-cache

  // ---- L1 -------------------------------------------------------------------------------
  console.log('\nL1 open → last page (logs.lines at:-1, 200 lines) vs tail -c 65536, median of', runs * 4);
  const logs = createLogs();
  const l1: number[] = [];
  for (const size of sizes) {
    const dir = files.get(size)!;
    const ours: number[] = [];
    const ref: number[] = [];
    for (let i = 0; i < runs * 4; i++) {
      const t0 = performance.now();
      const page = await logs.local(dir).lines('stdout', { at: -1, before: 200, after: 0, maxLineChars: 10_000 });
      ours.push(performance.now() - t0);
      if (!page.lines.at(-1)!.text.includes(needle)) throw new Error('L1: the last line is not the last line');
      ref.push(timeCommand('tail', ['-c', '65536', path.join(dir, 'stdout')]).ms);
    }
    const ratio = median(ours) / median(ref);
    l1.push(median(ours));
    console.log(
      `  ${label(size).padStart(6)}: ours ${fmt(median(ours))} ms | tail ${fmt(median(ref))} ms | ratio ${ratio.toFixed(2)} (goal ≤ 15) ${verdict(ratio <= 15 && median(ours) <= 50)}`,
    );
  }
  if (sizes.length > 1) {
    const inv = l1.at(-1)! / l1[0]!;
    console.log(`  size-invariance t(${label(largest)}) / t(${label(sizes[0]!)}) = ${inv.toFixed(2)} (goal ≤ 1.5) ${verdict(inv <= 1.5)}`);
  }
  await logs.close();

  // ---- L2 -------------------------------------------------------------------------------
  console.log('\nL2 line index of 1 GB in worker threads vs wc -l, median of', runs);
  const l2: number[] = [];
  const wc: number[] = [];
  let lines = 0;
  let l2Rss = { before: 0, peak: 0 };
  for (let i = 0; i < runs; i++) {
    const fresh = createLogs(); // a fresh index each run, threads up before the clock starts
    await fresh.warm();
    const { result, before, peak } = await rssDuring(async () => {
      const t0 = performance.now();
      let p = await fresh.local(gbDir).index('stdout');
      while (!p.done) {
        await new Promise((r) => setTimeout(r, 2));
        p = await fresh.local(gbDir).index('stdout');
      }
      return { ms: performance.now() - t0, lines: p.lines };
    });
    l2.push(result.ms);
    lines = result.lines;
    l2Rss = { before, peak: Math.max(peak, l2Rss.peak) };
    await fresh.close();
    wc.push(timeCommand('wc', ['-l', gbFile]).ms);
  }
  const wcLines = Number(timeCommand('wc', ['-l', gbFile]).stdout.trim().split(/\s+/)[0]);
  const l2Ratio = median(l2) / median(wc);
  console.log(
    `  ours ${fmt(median(l2))} ms (${lines} lines) | wc -l ${fmt(median(wc))} ms (${wcLines}) | ratio ${l2Ratio.toFixed(2)} (goal ≤ 2) ${verdict(l2Ratio <= 2 && lines === wcLines)}`,
  );
  console.log(`  RSS ${mb(l2Rss.before)} → peak ${mb(l2Rss.peak)} while indexing 1 GB`);

  // ---- L3 / L4 --------------------------------------------------------------------------
  const searcher = createLogs();
  console.log(`\nsearch threads up: ${await searcher.warm()}`);
  const cases: { name: string; q: Partial<SearchQuery> & { query: string }; grep: string[]; goal: number }[] = [
    { name: 'L3 literal', q: { query: needle }, grep: ['-F', '-c', needle], goal: 1.2 },
    {
      name: 'L3 literal -i',
      q: { query: needle.toLowerCase(), caseInsensitive: true },
      grep: ['-F', '-i', '-c', needle.toLowerCase()],
      goal: 1.5,
    },
    { name: 'L4 regex', q: { query: rareRegex, mode: 'regex' }, grep: ['-E', '-c', rareRegex], goal: 1.2 },
    // No literal of two bytes or more to find first: every line goes through the regex.
    { name: 'L4 regex, no literal', q: { query: '[0-9a-f]{6}ff$', mode: 'regex' }, grep: ['-E', '-c', '[0-9a-f]{6}ff$'], goal: 1.5 },
  ];
  for (const c of cases) {
    const ours: number[] = [];
    const ref: number[] = [];
    let found = 0;
    let peak = 0;
    let before = 0;
    for (let i = 0; i < runs; i++) {
      const r = await rssDuring(() => searchOnce(searcher, gbDir, c.q));
      ours.push(r.result.ms);
      found = r.result.matches;
      before = r.before;
      peak = Math.max(peak, r.peak);
      ref.push(timeCommand('grep', [...c.grep, gbFile]).ms);
    }
    const grepCount = Number(timeCommand('grep', [...c.grep, gbFile]).stdout.trim());
    const ratio = median(ours) / median(ref);
    console.log(`\n${c.name} "${c.q.query}" on 1 GB, median of ${runs}`);
    console.log(
      `  ours ${fmt(median(ours))} ms (${found} lines) | grep ${c.grep.slice(0, -1).join(' ')} ${fmt(median(ref))} ms (${grepCount}) | ratio ${ratio.toFixed(2)} (goal ≤ ${c.goal}) ${verdict(ratio <= c.goal && found === grepCount)}`,
    );
    console.log(`  RSS ${mb(before)} → peak ${mb(peak)} while searching`);
  }
  await searcher.close();

  // ---- L6 -------------------------------------------------------------------------------
  await follow(100, 4);
}

/**
 * L6: a writer grows a file at `rate` MB/s for `seconds`; ours follows it as the console does
 * (at most 200k lines/s become stream items, older bytes are passed over and reported), then
 * sending every line (maxLinesPerSecond: Infinity), then `tail -F` follows the same writer.
 */
async function follow(rate: number, seconds: number) {
  console.log(`\nL6 follow a file growing at ${rate} MB/s for ${seconds} s`);
  const dir = runDir('follow');
  const file = path.join(dir, 'stdout');
  const bounded = await followOurs(dir, file, rate, seconds, {});
  const every = await followOurs(dir, file, rate, seconds, { maxLinesPerSecond: Infinity });
  for (const [name, r] of [
    ['ours', bounded],
    ['ours, every line', every],
  ] as const) {
    console.log(
      `  ${name}: ${r.lines} lines sent of ${mb(r.size)} (${mb(r.skipped)} passed over); lag p50 ${fmt(r.p50)} ms, p99 ${fmt(r.p99)} ms ` +
        `(goal ≤ 250) ${verdict(r.p99 <= 250)}; CPU ${(r.cpu * 100).toFixed(1)}% of a core (goal ≤ 25%) ${verdict(r.cpu <= 0.25)}`,
    );
  }

  // The reference: tail -F on the same writer; its lag is read from its output here.
  fs.writeFileSync(file, '');
  const tail = spawn('tail', ['-F', '-n', '+1', file], { stdio: ['ignore', 'pipe', 'ignore'] });
  const tailLags: number[] = [];
  let carry = '';
  tail.stdout.setEncoding('latin1');
  tail.stdout.on('data', (chunk: string) => {
    // The first and the last whole line of each read: the oldest and the newest it delivers.
    const now = performance.timeOrigin + performance.now();
    const text = carry + chunk;
    const end = text.lastIndexOf('\n');
    carry = text.slice(end + 1);
    if (end < 0) return;
    for (const start of [0, text.lastIndexOf('\n', end - 1) + 1]) {
      const stamp = stampOf(text.slice(start, text.indexOf('\n', start)));
      if (Number.isFinite(stamp)) tailLags.push(now - stamp);
    }
  });
  const tailCpu0 = cpuOf(tail.pid!);
  const w0 = performance.now();
  await runWriter(file, rate, seconds);
  await new Promise((r) => setTimeout(r, 300));
  const tailCpu = (cpuOf(tail.pid!) - tailCpu0) / (performance.now() - w0);
  tail.kill();
  const tailP99 = percentile(tailLags, 99);
  console.log(
    `  tail -F: lag p50 ${fmt(percentile(tailLags, 50))} ms, p99 ${fmt(tailP99)} ms; CPU ${(tailCpu * 100).toFixed(1)}% of a core` +
      ` | ours − tail lag p99 ${fmt(bounded.p99 - tailP99)} ms (every line: ${fmt(every.p99 - tailP99)} ms);` +
      ` CPU ours ÷ tail ${(bounded.cpu / tailCpu).toFixed(1)} (every line: ${(every.cpu / tailCpu).toFixed(1)})`,
  );
}

async function followOurs(dir: string, file: string, rate: number, seconds: number, options: FollowOptions) {
  fs.writeFileSync(file, '');
  const logs = createLogs({ follow: options });
  const lags: number[] = [];
  let lines = 0;
  let skipped = 0;
  const stop = await logs.local(dir).follow(
    'stdout',
    { offset: 0 },
    {
      push(items: FollowItem[]) {
        const now = performance.timeOrigin + performance.now();
        for (let i = 0; i < items.length; i++) {
          const item = items[i]!;
          if (item.kind === 'skipped') skipped += item.length;
          if (item.kind !== 'line') continue;
          lines++;
          // Every line's lag is "now − its stamp"; sampling keeps the measuring out of the CPU figure.
          if (i === 0 || i % 64 === 0) {
            const stamp = stampOf(item.line.text);
            if (Number.isFinite(stamp)) lags.push(now - stamp);
          }
        }
      },
      fail: (e) => console.error('follow failed', e),
    },
  );
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await runWriter(file, rate, seconds);
  await new Promise((r) => setTimeout(r, 300)); // the last lines
  const used = process.cpuUsage(cpu0);
  const wall = performance.now() - t0;
  stop();
  await logs.close();
  const cpu = (used.user + used.system) / 1000 / wall;
  return { lines, skipped, size: fs.statSync(file).size, p50: percentile(lags, 50), p99: percentile(lags, 99), cpu };
}

function runWriter(file: string, rate: number, seconds: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const w = spawn(process.execPath, ['-e', writerScript(file, rate, seconds)], { stdio: 'inherit' });
    w.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer exited with ${code}`))));
  });
}

/** CPU ms a process has used (utime + stime from /proc, in clock ticks of 10 ms). */
function cpuOf(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

try {
  await main();
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}
