/**
 * L7 of reference/performance.md §6: scrolling a 10^7-line file in Chromium.
 *   ours       the console's log viewer (#/log?id=…&path=…) served by the headless host,
 *              a file written by an embedded task into its sandbox.
 *   reference  a minimal fixed-row scaled list in the same Chromium and viewport: 46 pooled
 *              absolutely positioned divs in an overlay, spacer capped at 16M px, scrollTop
 *              mapped proportionally to the line, text set in the scroll handler.
 * Both get the same "fling" driven in the page: scrollTop changed every animation frame
 * (random jumps across the whole range, steady wheel-like steps, then a jump every 8th frame).
 *
 * Frame time = main-thread work of one frame: from the frame's first scroll event (or its
 * requestAnimationFrame callback) to a MessageChannel task posted in that callback, which runs
 * after the frame's style/layout/paint and after tasks queued before it (React's render).
 * Also printed: the rAF interval p95 and the frames whose interval was > 50 ms (jank as a user
 * sees it), and long tasks from a PerformanceObserver. Goal: p95 ≤ 8 ms, 0 frames > 50 ms,
 * ours ÷ reference ≤ 1.5.
 * Memory: the renderer's JS heap (CDP Performance.getMetrics after a forced GC) and the RSS of
 * this process, which runs the headless host in-process, for a 10^6- and a 10^7-line file.
 * Misses are printed as MISSED, not failed.
 *
 * Run: npm run bench -- logs-scroll
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { startHeadlessHost, type HeadlessHost } from '../../electron/headless.js';
import { ensureRendererBuilt, launchChromium, rendererDir } from '../e2e/browser.js';

const bigLines = 10_000_000;
const smallLines = 1_000_000;
const lineFormat = '%08.0f scroll benchmark line'; // 30 bytes with its newline
const bytesPerLine = 30;
const viewport = { width: 1440, height: 900 };
const phaseFrames = 150; // ~2.5 s at 60 Hz per phase, 3 phases

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cantareira-bench-scroll-'));
const mb = (n: number) => `${(n / 1024 ** 2).toFixed(0)} MB`;

const job = {
  cluster: 'embedded',
  role: 'cantareira',
  contact: 'bench@cantareira.example',
  environment: 'devel',
  name: 'scroll-bench',
  instances: 1,
  service: false,
  constraints: { 'slave-type': 'mesos-on-demand' },
  task: {
    name: 'scroll-bench',
    processes: [
      {
        name: 'write_lines',
        cmdline:
          `seq -f '${lineFormat}' 1 ${smallLines} > lines-1e6.txt\n` +
          `seq -f '${lineFormat}' 1 ${bigLines} > lines-1e7.txt\n` +
          'touch lines-ready\nsleep 900',
      },
    ],
    resources: { cpu: 0.5, ram: 67108864, disk: 1073741824 },
  },
};

/** Finds a file by name under `dir` (the embedded agents' sandboxes). */
function findFile(dir: string, name: string): string | undefined {
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && e.name === name) return path.join(e.parentPath, e.name);
  }
  return undefined;
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * In-page: drives the fling on the element found by `selector` and measures each frame.
 * A string, because this file is type-checked without the DOM library.
 */
const flingScript = (selector: string, rowSelector: string, lines: number, frames: number) => `
new Promise((resolve) => {
  const el = document.querySelector(${JSON.stringify(selector)});
  const onTarget = [[0, 0], [0, 0], [0, 0]];
  if (!el) throw new Error('no scroll container ' + ${JSON.stringify(selector)});
  let seed = 12345;
  const rand = () => { seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0; return seed / 4294967296; };
  const longTasks = [];
  const po = new PerformanceObserver((l) => { for (const e of l.getEntries()) longTasks.push(e.duration); });
  try { po.observe({ type: 'longtask', buffered: false }); } catch {}
  let firstScroll = null;
  const onScroll = () => { if (firstScroll === null) firstScroll = performance.now(); };
  window.addEventListener('scroll', onScroll, { capture: true, passive: true });
  const work = [];
  const intervals = [];
  const channel = new MessageChannel();
  let pending = null;
  channel.port1.onmessage = () => { if (pending !== null) { work.push(performance.now() - pending); pending = null; } };
  let n = 0, lastTs = null;
  const total = ${frames} * 3;
  const frame = (ts) => {
    const start = firstScroll !== null ? Math.min(firstScroll, performance.now()) : performance.now();
    firstScroll = null;
    if (lastTs !== null) intervals.push(ts - lastTs);
    lastTs = ts;
    if (n >= total) {
      po.disconnect();
      window.removeEventListener('scroll', onScroll, { capture: true });
      setTimeout(() => resolve({ work, intervals, longTasks, onTarget }), 100);
      return;
    }
    const range = el.scrollHeight - el.clientHeight;
    if (n > 0) {
      // Does the first row shown match where the scrollbar is (within 100 lines)?
      const row = document.querySelector(${JSON.stringify(rowSelector)});
      const shown = row ? parseInt(row.textContent, 10) : NaN;
      const want = (el.scrollTop / Math.max(1, range)) * ${lines};
      const phase = Math.min(2, Math.floor((n - 1) / ${frames}));
      onTarget[phase][1]++;
      if (Math.abs(shown - want) <= 100) onTarget[phase][0]++;
    }
    if (n < ${frames}) el.scrollTop = Math.floor(rand() * range);
    else if (n < 2 * ${frames}) el.scrollTop = (n - ${frames}) * 120 % Math.max(1, range);
    else if (n % 8 === 0) el.scrollTop = Math.floor(rand() * range);
    n++;
    pending = start;
    channel.port2.postMessage(0);
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})`;

/** The reference: a minimal fixed-row scaled list over `lines` lines, `height` px tall. */
function referencePage(lines: number, height: number): string {
  const html = `<!doctype html><html><head><style>
  body { margin: 0; font: 13px monospace; }
  #scroller { position: relative; height: ${height}px; overflow-y: scroll; }
  #rows { position: sticky; top: 0; height: ${height}px; overflow: hidden; }
  #rows div { position: absolute; left: 0; right: 0; height: 18px; line-height: 18px; white-space: pre; }
  </style></head><body><div id="scroller"><div id="rows"></div><div id="spacer"></div></div><script>
  const lines = ${lines}, rowH = 18, pool = 46, el = document.getElementById('scroller');
  const rows = document.getElementById('rows');
  const spacer = Math.min(16000000, lines * rowH);
  document.getElementById('spacer').style.height = (spacer - ${height}) + 'px';
  const divs = [];
  for (let i = 0; i < pool; i++) { const d = document.createElement('div'); d.style.top = (i * rowH) + 'px'; rows.appendChild(d); divs.push(d); }
  const visible = Math.floor(${height} / rowH);
  const draw = () => {
    const range = Math.max(1, el.scrollHeight - el.clientHeight);
    const first = Math.floor((el.scrollTop / range) * Math.max(0, lines - visible));
    for (let i = 0; i < pool; i++) {
      const n = first + i + 1;
      divs[i].textContent = n <= lines ? String(n).padStart(8, '0') + ' scroll benchmark line' : '';
    }
  };
  el.addEventListener('scroll', draw, { passive: true });
  draw();
  </script></body></html>`;
  return 'data:text/html;base64,' + Buffer.from(html).toString('base64');
}

interface FrameStats {
  p50: number;
  p95: number;
  max: number;
  frames: number;
  intervalP95: number;
  over50: number;
  longTasks: number;
  /** Frame-time p95 per phase. */
  phaseP95: number[];
  /** Per phase (jump every frame, steps, jump every 8th frame): % of frames showing the right lines. */
  onTarget: number[];
}

type Raw = { work: number[]; intervals: number[]; longTasks: number[]; onTarget: [number, number][] };

function stats(r: Raw): FrameStats {
  const q = (xs: number[], p: number) => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] ?? NaN;
  };
  return {
    p50: q(r.work, 0.5),
    phaseP95: [0, 1, 2].map((ph) => q(r.work.slice(ph * phaseFrames, (ph + 1) * phaseFrames), 0.95)),
    p95: q(r.work, 0.95),
    max: Math.max(...r.work),
    frames: r.work.length,
    intervalP95: q(r.intervals, 0.95),
    over50: r.intervals.filter((x) => x > 50).length,
    longTasks: r.longTasks.length,
    onTarget: r.onTarget.map(([ok, all]) => (100 * ok) / Math.max(1, all)),
  };
}

const f1 = (n: number) => n.toFixed(1);
const describe = (s: FrameStats) =>
  `p95 ${f1(s.p95)} ms (p50 ${f1(s.p50)}, max ${f1(s.max)}, ${s.frames} frames, p95 by phase ${s.phaseP95.map(f1).join(' / ')}, rAF interval p95 ${f1(s.intervalP95)} ms, >50ms: ${s.over50}, long tasks: ${s.longTasks}; ` +
  `frames showing the scrolled-to lines: ${s.onTarget.map((p) => `${p.toFixed(0)}%`).join(' / ')} for jumps every frame / steps / jumps every 8th frame)`;

async function fling(page: Page, selector: string, rowSelector: string, lines: number): Promise<FrameStats> {
  const r = (await page.evaluate(flingScript(selector, rowSelector, lines, phaseFrames))) as Raw;
  return stats(r);
}

async function jsHeap(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN;
}

function hostRss(): number {
  global.gc?.();
  return process.memoryUsage.rss();
}

async function main() {
  const t0 = performance.now();
  await ensureRendererBuilt();
  const jobsDir = path.join(root, 'jobs');
  const dataDir = path.join(root, 'data');
  fs.mkdirSync(jobsDir, { recursive: true });
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(path.join(jobsDir, 'scroll-bench.json'), JSON.stringify(job));
  const needed = (bigLines + smallLines) * bytesPerLine + 256 * 1024 ** 2;
  const s = fs.statfsSync(root);
  if (s.bavail * s.bsize < needed) throw new Error(`need ${mb(needed)} free in ${os.tmpdir()}, have ${mb(s.bavail * s.bsize)}`);

  let browser: Browser | undefined;
  let host: HeadlessHost | undefined;
  try {
    host = await startHeadlessHost({
      dataDir,
      rendererDir,
      version: '0.1.0',
      log: () => {},
      demoJobsDir: jobsDir,
      embedded: { tickMs: 200, graceMs: 500 },
    });
    browser = await launchChromium();
    const context = await browser.newContext({ colorScheme: 'light', viewport });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.goto(host.url);
    const base = page.url().split('#')[0]!;

    // The task writes both files into its sandbox; find its id through the jobs screen.
    const tw = performance.now();
    await page.goto(`${base}#/jobs?job=${encodeURIComponent('cantareira/devel/scroll-bench')}`);
    const link = page.getByRole('link', { name: /^stderr of / }).first();
    await link.waitFor({ timeout: 60_000 });
    const taskId = ((await link.getAttribute('aria-label')) ?? '').replace(/^stderr of /, '');
    const ready = await waitFor('the task to write its files', 180_000, () => findFile(dataDir, 'lines-ready'));
    const big = path.join(path.dirname(ready), 'lines-1e7.txt');
    console.log(
      `files written by the task in ${((performance.now() - tw) / 1000).toFixed(1)} s: 10^7 lines = ${mb(fs.statSync(big).size)}, ` +
        `10^6 lines = ${mb(fs.statSync(path.join(path.dirname(ready), 'lines-1e6.txt')).size)}`,
    );

    const blank = { heap: await jsHeap(cdp), rss: hostRss() };
    const viewer = '[role=log][aria-label="File contents"]';
    const results: Record<string, { frames: FrameStats; heap: number; rss: number; height: number }> = {};
    for (const [label, name] of [
      ['10^6', 'lines-1e6.txt'],
      ['10^7', 'lines-1e7.txt'],
    ] as const) {
      await page.goto(`${base}#/log?id=${encodeURIComponent(taskId)}&path=${encodeURIComponent(`sandbox/${name}`)}`);
      await page.locator(viewer).waitFor({ timeout: 30_000 });
      // Let the line index finish (the window is read again with line numbers), then settle.
      await page
        .locator(`${viewer} .log-gutter`)
        .first()
        .waitFor({ timeout: 60_000 })
        .catch(() => console.log(`  (${label}: no line numbers within 60 s; measuring anyway)`));
      await page.waitForTimeout(500);
      const height = (await page.evaluate(`document.querySelector(${JSON.stringify(viewer)}).clientHeight`)) as number;
      const frames = await fling(page, viewer, `${viewer} .log-row .log-text`, label === '10^7' ? bigLines : smallLines);
      await page.waitForTimeout(500);
      results[label] = { frames, heap: await jsHeap(cdp), rss: hostRss(), height };
    }

    // The reference, same Chromium, same viewport, a scroller as tall as ours.
    const ours = results['10^7']!;
    await page.goto(referencePage(bigLines, ours.height));
    await page.waitForTimeout(300);
    const ref = await fling(page, '#scroller', '#rows div', bigLines);

    const ratio = ours.frames.p95 / ref.p95;
    const okP95 = ours.frames.p95 <= 8;
    const okJank = ours.frames.over50 === 0;
    const okRatio = ratio <= 1.5;
    console.log(`\nL7 scroll 10^7-line file: ours frame ${describe(ours.frames)}`);
    console.log(`   reference scaled list (46 pooled divs, scroller ${ours.height} px like ours) frame ${describe(ref)}`);
    console.log(
      `   ratio ${ratio.toFixed(2)} (goal <= 1.5: ${okRatio ? 'met' : 'MISSED'}); p95 <= 8 ms: ${okP95 ? 'met' : 'MISSED'}; ` +
        `0 frames > 50 ms: ${okJank ? 'met' : `MISSED (${ours.frames.over50})`}`,
    );
    console.log(`L7 scroll 10^6-line file: ours frame ${describe(results['10^6']!.frames)}`);
    console.log('   (phases: jumps every frame / steady 120 px steps / a jump every 8th frame, 150 frames each)');
    console.log(`\nmemory (renderer JS heap after GC; host RSS = this process, the headless host in-process):`);
    console.log(`   console on the jobs screen: heap ${mb(blank.heap)}, host RSS ${mb(blank.rss)}`);
    for (const label of ['10^6', '10^7'] as const) {
      const r = results[label]!;
      console.log(`   viewing ${label}-line file after fling: heap ${mb(r.heap)}, host RSS ${mb(r.rss)}`);
    }
    const small = results['10^6']!;
    const heapGrowth = ours.heap - small.heap;
    const rssGrowth = ours.rss - small.rss;
    const flat = Math.max(heapGrowth, rssGrowth) <= 64 * 1024 ** 2;
    console.log(
      `   10^7 vs 10^6: heap ${heapGrowth >= 0 ? '+' : ''}${mb(heapGrowth)}, host RSS ${rssGrowth >= 0 ? '+' : ''}${mb(rssGrowth)} ` +
        `(file ${mb(bigLines * bytesPerLine)} vs ${mb(smallLines * bytesPerLine)}; flat, <= 64 MB: ${flat ? 'met' : 'MISSED'})`,
    );
    console.log(`\nbench took ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } finally {
    await browser?.close().catch(() => {});
    await host?.close().catch(() => {});
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  fs.rmSync(root, { recursive: true, force: true });
  process.exit(1);
});
