import { agentUnreachable, badResponse, excerpt, unauthorized, type AgentName } from './failures.js';
import { TransportError, type HttpAnswer, type HttpRequest, type Transport } from './http.js';
import { hostPort } from './pid.js';

/** Talking to one agent (port 5051), by the IP in its pid. */

export interface AgentAddress {
  id: string;
  hostname: string;
  /** From the pid; when null the hostname is used, and may not resolve. */
  ip: string | null;
  port: number;
}

export interface AgentOptions {
  /** Agents serve plain HTTP unless Mesos was built and started with SSL. */
  scheme?: 'http:' | 'https:';
}

export function agentBase(agent: AgentAddress, options: AgentOptions = {}): string {
  return `${options.scheme ?? 'http:'}//${hostPort(agent.ip ?? agent.hostname, agent.port)}`;
}

export function agentName(agent: AgentAddress): AgentName {
  return { id: agent.id, hostname: agent.hostname, address: hostPort(agent.ip ?? agent.hostname, agent.port) };
}

/** A GET to the agent; a silent or refusing agent is AGENT_UNREACHABLE, 401/403 MESOS_UNAUTHORIZED. */
export async function agentGet(
  agent: AgentAddress,
  transport: Transport,
  pathAndQuery: string,
  options: AgentOptions = {},
  extra: Partial<HttpRequest> = {},
): Promise<HttpAnswer> {
  const url = agentBase(agent, options) + pathAndQuery;
  let a: HttpAnswer;
  try {
    a = await transport.send({ headers: { Accept: 'application/json' }, ...extra, url });
  } catch (e) {
    if (e instanceof TransportError) throw agentUnreachable(agentName(agent), e);
    throw e;
  }
  if (a.status === 401 || a.status === 403) throw unauthorized(url, a);
  return a;
}

/** JSON of a 200 answer, or MESOS_BAD_RESPONSE naming the URL. */
export function jsonOf(a: HttpAnswer): unknown {
  if (a.status !== 200) throw badResponse(a.url, `it is ${a.status} ${excerpt(a.body)}`.trim());
  try {
    return JSON.parse(a.body.toString('utf8'));
  } catch (e) {
    throw badResponse(a.url, `it is not valid JSON (${(e as Error).message})`);
  }
}
