/**
 * S1 (reference/performance.md §6, issue 6): ingesting the state of a big cluster. Generates a
 * v1 GET_STATE answer of 5,000 agents and 100,000 tasks in the documented shape (running tasks
 * with their Thermos executors, completed ones, nanosecond times as int64 digits), then times
 * our parse of those bytes into the console shapes (core/mesos/state.ts parseGetState: exact
 * nanoseconds, resources and attributes summed, statuses, sandbox hints) against a bare
 * `JSON.parse` of the same bytes, in the same run, alternating. The goal is ours ÷ JSON.parse ≤ 2.
 *
 * Both sides start from the Buffer a download gives, so both pay the UTF-8 decode.
 *
 * Run: npm run bench -- mesos-state   (or node --import tsx test/bench/mesos-state.bench.ts)
 */
import os from 'node:os';
import v8 from 'node:v8';
import vm from 'node:vm';
import { parseGetState } from '../../core/mesos/state.js';
import { generateGetState } from '../integration/fixtures/mesos-generate.js';

const agents = 5_000;
const tasks = 100_000;
const runs = 3;
const goal = 2;

// A full GC before each timed parse, so neither side pays for the other's garbage.
v8.setFlagsFromString('--expose_gc');
const gc = vm.runInNewContext('gc') as () => void;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const fmtMs = (ms: number) => `${Math.round(ms)} ms`;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

console.log(
  `mesos-state bench (S1): GET_STATE of ${agents.toLocaleString('en-US')} agents / ${tasks.toLocaleString('en-US')} tasks, ` +
    `node ${process.version}, ${os.cpus().length} cpus, median of ${runs} runs after 1 warm-up`,
);

const g0 = performance.now();
const payload = generateGetState({ agents, tasks });
console.log(`payload: ${mb(payload.length)} (${payload.length.toLocaleString('en-US')} bytes), generated in ${fmtMs(performance.now() - g0)}`);

const url = 'http://10.20.0.5:5050/api/v1';
const ours: number[] = [];
const raw: number[] = [];
/** What our shapes keep on the heap once the JSON tree is collected. */
let retained = 0;

for (let run = 0; run <= runs; run++) {
  const sides = run % 2 === 0 ? (['ours', 'raw'] as const) : (['raw', 'ours'] as const);
  for (const side of sides) {
    gc();
    if (side === 'ours') {
      const before = process.memoryUsage().heapUsed;
      const t = performance.now();
      let state: ReturnType<typeof parseGetState> | null = parseGetState(payload, url);
      const ms = performance.now() - t;
      gc();
      retained = Math.max(retained, process.memoryUsage().heapUsed - before);
      if (state.agents.length !== agents || state.tasks.length !== tasks) {
        throw new Error(`ours parsed ${state.agents.length} agents and ${state.tasks.length} tasks, expected ${agents} and ${tasks}`);
      }
      state = null;
      if (run > 0) ours.push(ms);
    } else {
      const t = performance.now();
      let value: { get_state?: { get_tasks?: { tasks?: unknown[] } } } | null = JSON.parse(payload.toString('utf8')) as typeof value;
      const ms = performance.now() - t;
      if (!value?.get_state?.get_tasks?.tasks) throw new Error('JSON.parse gave no tasks');
      value = null;
      if (run > 0) raw.push(ms);
    }
  }
}

const o = median(ours);
const r = median(raw);
const ratio = o / r;
console.log(
  `S1 ingest: ours (parseGetState) ${fmtMs(o)}, JSON.parse ${fmtMs(r)}, ratio ${ratio.toFixed(2)} (goal <= ${goal})${ratio > goal ? '  OVER GOAL' : ''}; ` +
    `ours ${mb((payload.length / o) * 1000)}/s, JSON.parse ${mb((payload.length / r) * 1000)}/s`,
);
console.log(`  runs (ms): ours ${ours.map((x) => x.toFixed(0)).join(' ')} | JSON.parse ${raw.map((x) => x.toFixed(0)).join(' ')}`);
console.log(`  the parsed state keeps ${mb(retained)} of heap (${(retained / payload.length).toFixed(2)}× the payload; S1 memory goal <= 2.5×)`);
