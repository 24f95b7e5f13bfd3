/**
 * The loopback side of the real-cluster-ui bench, in its own process (started by the bench
 * with `fork`): one agent with a real sandbox (mesos-servers.ts startAgent) and a leading
 * master serving a generated state of `agents` / `tasks` whose every agent's pid is that
 * agent's (mesos-big-cluster.ts). Its own process, so that what the master does (compressing
 * and cutting 280 MB, writing the SUBSCRIBE snapshot) is not counted as the console's time,
 * as a real master runs on another machine; it still shares this machine's two cores.
 *
 * With BIG_MASTER=v0 the master has no v1 API: `/master/state` (v0, the same cluster) and
 * `/master/slaves` are generated instead of GET_STATE, and there is no SUBSCRIBE.
 *
 * Protocol (IPC): it sends `{ready: {url, stateBytes, generatedMs}}` once listening; asked
 * `'stats'` it sends `{stats: {stateAnswers, subscribes, agentRequests}}`; asked `'close'` it
 * closes both servers and exits.
 */
import { bigClusterState, bigMasterState, startStateLeader } from '../integration/fixtures/mesos-big-cluster.js';
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
// BIG_MASTER=v0: a master without the v1 API, whose /master/state and /master/slaves are the generated ones.
const v0 = process.env.BIG_MASTER === 'v0';
let stateBytes = 0;
const leader = v0
  ? await startStateLeader({
      getState: Buffer.alloc(0),
      gzip: true,
      v0: (at) => {
        const made = bigMasterState({ agents, tasks }, agent.pid, at);
        stateBytes = made.state.length;
        return made;
      },
    })
  : await (async () => {
      const state = bigClusterState({ agents, tasks }, agent.pid);
      stateBytes = state.length;
      return startStateLeader({ getState: state, gzip: true });
    })();
send({ ready: { url: leader.url, stateBytes, generatedMs: performance.now() - g0 } });

process.on('message', (m) => {
  if (m === 'stats')
    send({ stats: { stateAnswers: leader.stateAnswers(), subscribes: leader.subscribes(), agentRequests: agent.served.length } });
  if (m === 'close') void Promise.all([leader.close(), agent.close()]).finally(() => process.exit(0));
});
// The bench gone (crashed, killed): nothing is left listening.
process.on('disconnect', () => process.exit(0));
