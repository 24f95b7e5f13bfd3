/**
 * S2 (reference/performance.md §6): incremental updates. A 5,000-agent / 100,000-task state
 * (the S1 payload, parsed before timing) and a replayed SUBSCRIBE stream of 200,000+ events
 * after its SUBSCRIBED: task lifecycles (TASK_ADDED in STAGING, TASK_UPDATED to STARTING,
 * RUNNING, health repeats, FINISHED or FAILED for memory with reason and message), some
 * AGENT_ADDED / AGENT_REMOVED, a HEARTBEAT every 1,000 events, written as the master writes
 * them (fixtures/mesos-events.ts) and framed as RecordIO.
 *
 * Timed: those bytes fed in 64 KiB chunks through the RecordIO decoder, decodeEvent and
 * applyEvent (core/mesos/recordio.ts, events.ts), and the watch's live model (core/real/live-model.ts)
 * applying each chunk's changes: indexes and agents' used resources. Reference, same run, alternating: a bare
 * `JSON.parse` of each record alone (records already split). Goals: ≥ 20,000 events/s, and
 * ours ÷ reference rate ≥ 0.5.
 *
 * Run: npm run bench -- mesos-events   (or node --import tsx test/bench/mesos-events.bench.ts)
 */
import os from 'node:os';
import v8 from 'node:v8';
import vm from 'node:vm';
import { applyEvent, decodeEvent, liveStateOf, noChanges } from '../../core/mesos/events.js';
import { buildModel } from '../../core/real/live-model.js';
import { RecordIoDecoder } from '../../core/mesos/recordio.js';
import { parseGetState } from '../../core/mesos/state.js';
import { eventBytes, events, frame, type StatusSpec } from '../integration/fixtures/mesos-events.js';
import { generateGetState } from '../integration/fixtures/mesos-generate.js';
import type { MesosValue } from '../integration/fixtures/mesos-json.js';

const agents = 5_000;
const tasks = 100_000;
const eventCount = 200_000;
const chunkBytes = 64 * 1024;
const runs = 3;
const goalRate = 20_000;
const goalRatio = 0.5;

v8.setFlagsFromString('--expose_gc');
const gc = vm.runInNewContext('gc') as () => void;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const fmtMs = (ms: number) => `${Math.round(ms)} ms`;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const rate = (n: number, ms: number) => `${Math.round((n / ms) * 1000).toLocaleString('en-US')} events/s`;

console.log(
  `mesos-events bench (S2): ${eventCount.toLocaleString('en-US')}+ events on a ${agents.toLocaleString('en-US')}-agent / ${tasks.toLocaleString('en-US')}-task state, ` +
    `node ${process.version}, ${os.cpus().length} cpus, median of ${runs} runs after 1 warm-up`,
);

const url = 'http://10.20.0.5:5050/api/v1';
const g0 = performance.now();
const payload = generateGetState({ agents, tasks });
let initial: ReturnType<typeof parseGetState> | null = parseGetState(payload, url, 0);

/** Deterministic: the same stream every run. */
let seed = 11;
const r = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
/** Removes and returns a random item in O(1). */
const take = <T>(xs: T[]): T => {
  const i = Math.floor(r() * xs.length);
  const x = xs[i]!;
  xs[i] = xs[xs.length - 1]!;
  xs.pop();
  return x;
};

interface Live {
  fw: string;
  task: string;
  agent: string;
  executor: string;
  state: string;
}
const fw = initial.frameworks[0]!.id;
const running: Live[] = initial.tasks
  .filter((t) => t.list === 'active')
  .map((t) => ({ fw: t.frameworkId, task: t.id, agent: t.agentId, executor: t.executorId ?? t.id, state: t.state }));
const young: Live[] = [];
const agentIds = initial.agents.map((a) => a.id);
let clock = 1718100000;
let serial = 0;

const records: Buffer[] = [];
const statusOf = (t: Live, state: string, extra: Partial<StatusSpec> = {}): StatusSpec => ({
  taskId: t.task,
  agentId: t.agent,
  executorId: t.executor,
  state,
  timestamp: Math.round((clock += 0.0137) * 1e5) / 1e5,
  source: 'SOURCE_EXECUTOR',
  containerId: `c-${t.task.slice(-12)}`,
  ...extra,
});
const push = (e: MesosValue) => records.push(eventBytes(e));

while (records.length < eventCount) {
  if (records.length % 1000 === 999) push(events.heartbeat());
  const x = r();
  if (x < 0.28) {
    const n = serial++;
    const t: Live = {
      fw,
      task: `www-data-prod-job_${n % 2000}-${n % 10}-live-${n}`,
      agent: pick(agentIds),
      executor: '',
      state: 'TASK_STAGING',
    };
    t.executor = `thermos-${t.task}`;
    push(
      events.taskAdded({
        taskId: t.task,
        frameworkId: fw,
        agentId: t.agent,
        executorId: t.executor,
        name: `www-data/prod/job_${n % 2000}`,
        state: 'TASK_STAGING',
        statuses: [statusOf(t, 'TASK_STAGING', { source: 'SOURCE_MASTER' })],
        labels: { 'org.apache.aurora.tier': 'preferred' },
      }),
    );
    young.push(t);
  } else if (x < 0.62 && young.length > 0) {
    const t = take(young);
    t.state = t.state === 'TASK_STAGING' ? 'TASK_STARTING' : 'TASK_RUNNING';
    push(events.taskUpdated(fw, statusOf(t, t.state)));
    (t.state === 'TASK_RUNNING' ? running : young).push(t);
  } else if (x < 0.97 && running.length > 0) {
    const y = r();
    if (y < 0.2) {
      push(events.taskUpdated(fw, statusOf(pick(running), 'TASK_RUNNING', { healthy: y < 0.15 })));
    } else {
      const t = take(running);
      const failed = y > 0.8;
      const extra: Partial<StatusSpec> = failed
        ? {
            message: 'Memory limit exceeded: Requested: 2048MB Maximum Used: 2048MB',
            source: 'SOURCE_AGENT',
            reason: 'REASON_CONTAINER_LIMITATION_MEMORY',
          }
        : {};
      push(events.taskUpdated(fw, statusOf(t, failed ? 'TASK_FAILED' : 'TASK_FINISHED', extra)));
    }
  } else if (x < 0.985) {
    const i = agents + serial++;
    const id = `4f1c2b7e-9a3d-4e65-b1d8-0c7a52e9f310-S${i}`;
    push(
      events.agentAdded({
        id,
        hostname: `ip-10-30-${(i >> 8) & 255}-${i & 255}.ec2.internal`,
        ip: `10.30.${(i >> 8) & 255}.${i & 255}`,
        slaveType: 'mesos-on-demand',
        registeredNs: BigInt(Math.round(clock * 1e6)) * 1000n + 123n,
      }),
    );
    agentIds.push(id);
  } else if (agentIds.length > 1) {
    push(events.agentRemoved(take(agentIds)));
  }
}
// Only the ids were needed: a second 100,000-task state on the heap would make every GC of the timed runs dearer.
initial = null;
running.length = 0;
young.length = 0;
const stream = Buffer.concat(records.map(frame));
const kinds = new Map<string, number>();
for (const rec of records) {
  const type = /"type":"([A-Z_]+)"/.exec(rec.toString('latin1', 0, 40))![1]!;
  kinds.set(type, (kinds.get(type) ?? 0) + 1);
}
console.log(
  `state: ${mb(payload.length)}; stream: ${records.length.toLocaleString('en-US')} events, ${mb(stream.length)} of RecordIO ` +
    `(${[...kinds].map(([k, n]) => `${k} ${n.toLocaleString('en-US')}`).join(', ')}), generated in ${fmtMs(performance.now() - g0)}`,
);

const ours: number[] = [];
const raw: number[] = [];
let checked = '';

for (let run = 0; run <= runs; run++) {
  const sides = run % 2 === 0 ? (['ours', 'raw'] as const) : (['raw', 'ours'] as const);
  for (const side of sides) {
    if (side === 'ours') {
      // A fresh state per run (events change it), parsed outside the timing: S1 measures that.
      let live: ReturnType<typeof liveStateOf> | null = liveStateOf(parseGetState(payload, url, 0));
      // The watch's live model follows the state: each 64 KiB chunk's changes are one delivery.
      const model = buildModel(live.state, { agentPositions: live.agents });
      model.follow(live);
      gc();
      const t = performance.now();
      const decoder = new RecordIoDecoder();
      let applied = 0;
      let changed = 0;
      for (let at = 0; at < stream.length; at += chunkBytes) {
        const changes = noChanges();
        for (const rec of decoder.push(stream.subarray(at, at + chunkBytes))) {
          if (applyEvent(live, decodeEvent(rec), applied, url, changes).changed) changed++;
          applied++;
        }
        model.apply(changes);
      }
      decoder.end();
      const ms = performance.now() - t;
      if (applied !== records.length) throw new Error(`ours applied ${applied} events, expected ${records.length}`);
      if (live.missed > 0) throw new Error(`${live.missed} events named a task or agent the state did not hold`);
      checked = `${changed.toLocaleString('en-US')} changed the state; after: ${live.state.agents.length.toLocaleString('en-US')} agents, ${live.state.tasks.length.toLocaleString('en-US')} tasks (${live.state.tasks.filter((x) => x.list === 'completed').length.toLocaleString('en-US')} completed)`;
      live = null;
      if (run > 0) ours.push(ms);
    } else {
      gc();
      const t = performance.now();
      let types = 0;
      for (const rec of records) if ((JSON.parse(rec.toString('utf8')) as { type?: string }).type) types++;
      const ms = performance.now() - t;
      if (types !== records.length) throw new Error('JSON.parse lost events');
      if (run > 0) raw.push(ms);
    }
  }
}

const o = median(ours);
const ref = median(raw);
const oursRate = (records.length / o) * 1000;
const ratio = ref / o;
console.log(
  `S2 apply: ours (RecordIO 64 KiB chunks + decodeEvent + applyEvent + the live model per chunk) ${fmtMs(o)} = ${rate(records.length, o)} (goal >= ${goalRate.toLocaleString('en-US')})${oursRate < goalRate ? '  UNDER GOAL' : ''}; ` +
    `JSON.parse per record ${fmtMs(ref)} = ${rate(records.length, ref)}; ratio ${ratio.toFixed(2)} (ours rate / JSON.parse rate, goal >= ${goalRatio})${ratio < goalRatio ? '  UNDER GOAL' : ''}`,
);
console.log(`  runs (ms): ours ${ours.map((x) => x.toFixed(0)).join(' ')} | JSON.parse ${raw.map((x) => x.toFixed(0)).join(' ')}`);
console.log(`  ${checked}`);
