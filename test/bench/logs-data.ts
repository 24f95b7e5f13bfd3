/**
 * Inputs and references for logs.bench.ts: Mesos/Thermos-like log files of a given size, the
 * writer that grows a file at a given rate with a time stamp in every line, and timing helpers.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

export const needle = 'NEEDLE_XYZZY_42';
/** Matches about one line in 4096 of the generated log (ids are random hex). */
export const rareRegex = 'id=[0-9a-f]{5}fff\\b';

const words = (
  'task executor sandbox offer agent framework launch status update running finished failed resource cpu mem ' +
  'disk port scheduler reconcile heartbeat timeout retry kill registered container fetcher checkpoint'
).split(' ');
const sources = ['slave.cpp', 'master.cpp', 'status_update_manager.cpp', 'containerizer.cpp', 'fetcher.cpp', 'thermos_runner.py'];

/** xorshift32: the same file on every run and machine. */
function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 2 ** 32;
  };
}

/** ~8 MiB of distinct lines (~134 bytes each, glog style, a few ERROR and non-ASCII lines). */
function pool(): Buffer {
  const r = random(42);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const two = (n: number) => String(n).padStart(2, '0');
  const parts: string[] = [];
  let size = 0;
  while (size < 8 * 1024 * 1024) {
    const level = r() < 0.02 ? 'E' : r() < 0.08 ? 'W' : 'I';
    const n = 3 + Math.floor(r() * 18);
    const text = Array.from({ length: n }, () => pick(words)).join(' ');
    const id = Math.floor(r() * 2 ** 32)
      .toString(16)
      .padStart(8, '0');
    const extra = r() < 0.01 ? ' usuário=joão ação=concluída' : '';
    const line =
      `${level}0612 ${two(Math.floor(r() * 24))}:${two(Math.floor(r() * 60))}:${two(Math.floor(r() * 60))}.` +
      `${String(Math.floor(r() * 1e6)).padStart(6, '0')} ${10000 + Math.floor(r() * 5000)} ${pick(sources)}:${Math.floor(r() * 2000)}] ` +
      `${level === 'E' ? 'ERROR ' : ''}${text}${extra} id=${id}\n`;
    parts.push(line);
    size += Buffer.byteLength(line);
  }
  return Buffer.from(parts.join(''));
}

/** Writes `size` bytes of log to `file`, the last line holding the needle. */
export function generate(file: string, size: number): void {
  const block = pool();
  const last = Buffer.from(`I0612 23:59:59.999999 10001 slave.cpp:1] the end ${needle} id=00000000\n`);
  const fd = fs.openSync(file, 'w');
  try {
    let written = 0;
    while (written + block.length + last.length <= size) written += fs.writeSync(fd, block);
    const rest = block.subarray(0, size - written - last.length);
    const cut = rest.lastIndexOf(10) + 1;
    written += fs.writeSync(fd, Buffer.concat([rest.subarray(0, cut), Buffer.alloc(Math.max(0, rest.length - cut), '.'), last]));
  } finally {
    fs.closeSync(fd);
  }
}

/** Free bytes where `dir` lives. */
export function freeBytes(dir: string): number {
  const s = fs.statfsSync(dir);
  return s.bavail * s.bsize;
}

/**
 * A writer process (plain Node, so its CPU is not ours): appends `mbPerSecond` for `seconds`
 * in 64 KiB writes, every line starting with the wall-clock time (ms, fixed width) of its write.
 */
export function writerScript(file: string, mbPerSecond: number, seconds: number): string {
  return `
const fs = require('node:fs');
const line = (i) => 'T0000000000000.000 I0612 12:00:00.000000 10001 slave.cpp:42] status update TASK_RUNNING for task ' + String(i).padStart(8, '0') + ' of framework f-0001 id=deadbeef\\n';
let text = ''; for (let i = 0; text.length < 64 * 1024 - 200; i++) text += line(i);
const block = Buffer.from(text);
const starts = []; for (let i = 0; i < block.length; i = block.indexOf(10, i) + 1) starts.push(i);
const fd = fs.openSync(${JSON.stringify(file)}, 'a');
const perMs = ${mbPerSecond} * 1e6 / 1000;
const t0 = Date.now();
let written = 0;
function tick() {
  const elapsed = Date.now() - t0;
  if (elapsed >= ${seconds * 1000}) { fs.closeSync(fd); process.exit(0); }
  while (written < elapsed * perMs) {
    const stamp = (performance.timeOrigin + performance.now()).toFixed(3).padStart(17, '0');
    for (const s of starts) block.write(stamp, s + 1, 'latin1');
    written += fs.writeSync(fd, block);
  }
  setTimeout(tick, 1);
}
tick();
`;
}

/** The stamp at the start of a whole writer line, or NaN. */
export function stampOf(text: string): number {
  return text.length >= 18 && text.charCodeAt(0) === 84 /* T */ && text.charCodeAt(14) === 46 /* . */ ? Number(text.slice(1, 18)) : NaN;
}

/** Wall time of a command with stdout piped (GNU grep cheats when its output is /dev/null). */
export function timeCommand(cmd: string, args: string[]): { ms: number; stdout: string } {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - t0;
  if (r.error) throw r.error;
  return { ms, stdout: r.stdout };
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
export const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
export const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(0));
export const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
