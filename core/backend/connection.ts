import { createAuroraClient } from '../aurora/client.js';
import type { AuroraClient } from '../aurora/types.js';
import { awsProvider } from '../cloud/aws.js';
import type { CloudProvider } from '../cloud/provider.js';
import type { ConnectionCheck } from '../contract/profiles.js';
import type { ProfileDraft } from '../contract/profiles.js';
import { agentGet, type AgentAddress } from '../mesos/agent.js';
import { createMesosClient, type MesosClient } from '../mesos/client.js';
import { createTransport } from '../mesos/http.js';
import type { MesosAgent, MesosState } from '../mesos/types.js';
import { isConsoleError } from '../errors.js';
import { readNetrc } from '../real/netrc.js';

/**
 * "Test connection": each part of a real-cluster profile asked on its own, so one failure does
 * not hide what works. Mesos (which master leads), Aurora (answers, which cluster), AWS (who the
 * calls are made as) and one agent, reached by the IP in its pid as sandboxes will be.
 */

export interface ConnectionSeams {
  mesos?: (masters: string[]) => MesosClient;
  aurora?: (url: string) => AuroraClient;
  aws?: (draft: ProfileDraft) => CloudProvider;
  /** The state already read for this profile, if it is the open one (a big cluster's state is not downloaded twice). */
  liveState?: () => MesosState | null;
  now?: () => number;
}

const timed = async (
  part: ConnectionCheck['part'],
  now: () => number,
  run: () => Promise<Omit<ConnectionCheck, 'part' | 'ms'>>,
): Promise<ConnectionCheck> => {
  const started = now();
  try {
    return { part, ...(await run()), ms: now() - started };
  } catch (e) {
    const err = isConsoleError(e) ? e.toContract() : { code: 'INTERNAL' as const, message: e instanceof Error ? e.message : String(e) };
    return { part, ok: false, summary: err.message, ...(err.hint ? { hint: err.hint } : {}), code: err.code, ms: now() - started };
  }
};

const skipped = (part: ConnectionCheck['part'], summary: string): ConnectionCheck => ({ part, ok: null, summary, ms: 0 });

/** A registered, reachable-looking agent: active, with the IP of its pid. */
const sampleAgent = (s: MesosState): MesosAgent | undefined =>
  s.agents.find((a) => a.active && a.ip !== null && !a.recovered) ?? s.agents.find((a) => a.ip !== null);

export async function testConnection(draft: ProfileDraft, seams: ConnectionSeams = {}): Promise<ConnectionCheck[]> {
  const now = seams.now ?? Date.now;
  let state: MesosState | null = null;
  let mesosClient: MesosClient | null = null;

  const mesos = draft.mesos
    ? timed('mesos', now, async () => {
        mesosClient = seams.mesos
          ? seams.mesos(draft.mesos!.masters)
          : createMesosClient({ masters: draft.mesos!.masters, timeoutMs: 5000 });
        const leader = await mesosClient.leader(true);
        state = seams.liveState?.() ?? (await mesosClient.state());
        const name = leader.hostname && leader.hostname !== leader.ip ? `${leader.hostname} (${leader.url})` : leader.url;
        const asked =
          leader.attempts.length > 1
            ? ` after ${leader.attempts
                .slice(0, -1)
                .map((a) => `${a.url}: ${a.outcome}`)
                .join('; ')}`
            : '';
        return {
          ok: true,
          summary: `Leader found: ${name}, ${state.agents.length} agents, ${state.tasks.filter((t) => t.list === 'active').length} active tasks`,
          detail: `Asked ${leader.via}${asked}.`,
        };
      })
    : Promise.resolve(skipped('mesos', 'No Mesos masters in this profile.'));

  const aurora = draft.aurora
    ? timed('aurora', now, async () => {
        const settings = draft.aurora!;
        const client = seams.aurora
          ? seams.aurora(settings.url)
          : createAuroraClient({
              url: settings.url,
              protocol: settings.protocol ?? 'auto',
              credentials: settings.credentials === 'none' ? null : readNetrc(settings.url),
              timeoutMs: 5000,
            });
        try {
          const p = await client.ping();
          return {
            ok: true,
            summary: `Aurora reachable at ${p.url}${p.clusterName ? ` (cluster ${p.clusterName})` : ''}, ${p.roles} role${p.roles === 1 ? '' : 's'}`,
          };
        } finally {
          client.close();
        }
      })
    : Promise.resolve(skipped('aurora', 'No Aurora scheduler in this profile.'));

  const aws = draft.aws
    ? timed('aws', now, async () => {
        const a = draft.aws!;
        const provider = seams.aws
          ? seams.aws(draft)
          : awsProvider({
              ...(a.profile ? { profile: a.profile } : {}),
              ...(a.region ? { region: a.region } : {}),
              ...(a.endpoint ? { endpoint: a.endpoint } : {}),
            });
        try {
          const arn = await provider.whoAmI();
          return {
            ok: true,
            summary: `AWS identity: ${arn ?? 'unknown'}${a.region ? ` in ${a.region}` : ''}${a.profile ? ` (profile ${a.profile})` : ''}`,
          };
        } finally {
          provider.close();
        }
      })
    : Promise.resolve(skipped('aws', 'No AWS account in this profile.'));

  const mesosCheck = await mesos;
  const agent: Promise<ConnectionCheck> = !draft.mesos
    ? Promise.resolve(skipped('agent', 'No Mesos masters, so no agents to reach.'))
    : !mesosCheck.ok || !state
      ? Promise.resolve(skipped('agent', 'The agents are known once the Mesos leader answers.'))
      : timed('agent', now, async () => {
          const a = sampleAgent(state!);
          if (!a) return { ok: null, summary: 'The leader lists no agents yet.' };
          const address: AgentAddress = { id: a.id, hostname: a.hostname, ip: a.ip, port: a.port };
          const transport = createTransport({ timeoutMs: 5000 });
          try {
            // `/state` is what finding a sandbox asks an agent for: if it answers, sandboxes open.
            const answer = await agentGet(address, transport, '/state');
            if (answer.status !== 200)
              return {
                ok: false,
                summary: `Sample agent ${a.hostname} (${a.ip}:${a.port}) answered ${answer.status} to /state`,
                hint: 'Sandboxes of its tasks will not open; check the agent and any proxy in front of it.',
              };
            const version = /"version"\s*:\s*"([^"]{1,40})"/.exec(answer.body.subarray(0, 64 * 1024).toString('utf8'))?.[1];
            return {
              ok: true,
              summary: `Sample agent ${a.hostname} reachable by its IP ${a.ip}:${a.port}${version ? ` (Mesos ${version})` : ''}`,
            };
          } finally {
            transport.close();
          }
        });
  const checks = [mesosCheck, await aurora, await aws, await agent];
  (mesosClient as MesosClient | null)?.close();
  return checks;
}
