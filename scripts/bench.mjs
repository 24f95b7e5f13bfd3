#!/usr/bin/env node
// Runs the benchmarks in test/bench one after another, each in its own Node process (so one
// cannot warm up or pollute the heap of the next). `npm run bench` runs them all;
// `npm run bench -- store` runs test/bench/store.bench.ts only. Exits non-zero if a benchmark
// crashes; figures over their goal are printed, not failed, because timings on shared
// machines flap.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const benchDir = path.join(root, 'test', 'bench');
const suffix = '.bench.ts';

const available = fs
  .readdirSync(benchDir)
  .filter((f) => f.endsWith(suffix))
  .sort();

/** Accepts `store`, `store.bench.ts` or `test/bench/store.bench.ts`. */
function resolve(arg) {
  const name = path.basename(arg).replace(/\.bench\.ts$/, '');
  return available.find((f) => f === name + suffix);
}

const args = process.argv.slice(2);
const selected = args.length === 0 ? available : args.map((a) => resolve(a) ?? a);
const unknown = selected.filter((f) => !available.includes(f));
if (unknown.length > 0) {
  console.error(`No such benchmark: ${unknown.join(', ')}. Available: ${available.map((f) => f.slice(0, -suffix.length)).join(', ')}.`);
  process.exit(2);
}
if (selected.length === 0) {
  console.error(`No benchmarks in ${path.relative(root, benchDir)}.`);
  process.exit(2);
}

const failed = [];
for (const file of selected) {
  console.log(`\n== ${path.join('test', 'bench', file)}`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(benchDir, file)], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) {
    const why = run.error ? run.error.message : run.signal ? `killed by ${run.signal}` : `exit code ${run.status}`;
    console.error(`${file} crashed (${why}).`);
    failed.push(file);
  }
}
if (failed.length > 0) {
  console.error(`\n${failed.length} of ${selected.length} benchmark(s) crashed: ${failed.join(', ')}.`);
  process.exit(1);
}
