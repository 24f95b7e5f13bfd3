/**
 * The loopback side of the real-cluster-ui bench, in its own process (started by the bench
 * with `fork`): one agent with a real sandbox (mesos-servers.ts startAgent) and a leading
 * master serving a generated state of `agents` / `tasks` whose every agent's pid is that
 * agent's (mesos-big-cluster.ts). Its own process, so that what the master does (compressing
 * and cutting 280 MB, writing the SUBSCRIBE snapshot) is not counted as the console's time,
 * as a real master runs on another machine; it still shares this machine's two cores.
 *
 * Protocol (IPC): it sends `{ready: {url, stateBytes, generatedMs}}` once listening; asked
 * `'stats'` it sends `{stats: {stateAnswers, subscribes, agentRequests}}`; asked `'close'` it
 * closes both servers and exits.
 */
import { bigClusterState, startStateLeader } from '../integration/fixtures/mesos-big-cluster.js';
import { startAgent } from '../integration/fixtures/mesos-servers.js';

export interface BigClusterReady {
  url: string;
  stateBytes: number;
  generatedMs: number;
}
export interface BigClusterStats {
  stateAnswers: number;
  subscribes: number;
  agentRequests: number;
}
export type BigClusterMessage = { ready: BigClusterReady } | { stats: BigClusterStats };

const [agents, tasks] = [Number(process.env.BIG_AGENTS ?? 5_000), Number(process.env.BIG_TASKS ?? 100_000)];
const send = (m: BigClusterMessage) => process.send?.(m);

const agent = await startAgent({
  files: {
    stdout: 'Running thermos_executor\n',
    stderr: '',
    'sandbox/.logs/hello/0/stdout': 'hello from the chosen task\n'.repeat(1000),
    'sandbox/.logs/hello/0/stderr': '',
  },
});
const g0 = performance.now();
const state = bigClusterState({ agents, tasks }, agent.pid);
const leader = await startStateLeader({ getState: state, gzip: true });
send({ ready: { url: leader.url, stateBytes: state.length, generatedMs: performance.now() - g0 } });

process.on('message', (m) => {
  if (m === 'stats')
    send({ stats: { stateAnswers: leader.stateAnswers(), subscribes: leader.subscribes(), agentRequests: agent.served.length } });
  if (m === 'close') void Promise.all([leader.close(), agent.close()]).finally(() => process.exit(0));
});
// The bench gone (crashed, killed): nothing is left listening.
process.on('disconnect', () => process.exit(0));
