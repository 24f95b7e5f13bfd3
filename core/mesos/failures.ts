import { ConsoleError } from '../errors.js';
import { seconds, targetOf, type HttpAnswer, type TransportError } from '../net/http.js';

/** The ConsoleErrors of core/mesos: each names what was asked, of whom, and what came back. */

/** The start of a text answer, on one line, for an error message. */
export function excerpt(body: Buffer, max = 200): string {
  const t = body
    .subarray(0, max * 4)
    .toString('utf8')
    .replace(/\s+/g, ' ')
    .trim();
  return t.length > max ? `${t.slice(0, max)}…` : t;
}

/** `503 No leader elected`, `404 Not Found`: a status and what came with it. */
export function answered(a: HttpAnswer): string {
  const text = excerpt(a.body);
  return text === '' ? `${a.status}` : `${a.status} "${text}"`;
}

export function badResponse(url: string, what: string): ConsoleError {
  return new ConsoleError(
    'MESOS_BAD_RESPONSE',
    `The answer of ${url} could not be read: ${what}.`,
    'A proxy or a Mesos version this console does not know may be in the way; try again, and check the URL in the cluster profile.',
  );
}

/** For a timeout: that trying again waits longer (the transport's timeouts grow per host:port). */
export function waitsLonger(e: TransportError): string {
  return e.kind === 'timeout' && e.nextTimeoutMs !== null ? ` The next try waits up to ${seconds(e.nextTimeoutMs)} for it.` : '';
}

export function masterUnreachable(url: string, e: TransportError): ConsoleError {
  if (e.kind === 'truncated' || e.kind === 'too-large') return badResponse(url, e.message);
  if (e.kind === 'refused' || e.kind === 'dns' || e.kind === 'unreachable') {
    return new ConsoleError(
      'MESOS_UNREACHABLE',
      `The Mesos master at ${url} could not be reached: ${e.message}.`,
      `Nothing answers at ${targetOf(url)}: check the master's address and port in the cluster profile (5050 by default), that the master runs, and the network (VPN).`,
    );
  }
  return new ConsoleError(
    'MESOS_UNREACHABLE',
    `The Mesos master at ${url} did not answer: ${e.message}.`,
    `The leader may have just changed or be overloaded; the console finds the leader again on the next try.${waitsLonger(e)}`,
  );
}

export function unauthorized(url: string, a: HttpAnswer): ConsoleError {
  return new ConsoleError(
    'MESOS_UNAUTHORIZED',
    `${url} refused the request: ${answered(a)}.`,
    a.status === 401
      ? 'The cluster requires HTTP authentication: set the credentials in the cluster profile.'
      : 'The credentials in the cluster profile are not allowed to read this; ask for the Mesos ACLs to grant it.',
  );
}

/** An agent, named as on-call engineers know it: hostname, and the address actually used. */
export interface AgentName {
  id: string;
  hostname: string;
  address: string;
}

export const agentLabel = (a: AgentName) => (a.hostname && a.hostname !== a.address ? `${a.hostname} (${a.address})` : a.address);

export function agentUnreachable(agent: AgentName, e: TransportError): ConsoleError {
  if (e.kind === 'truncated' || e.kind === 'too-large') {
    // Said as the agent's, not the master's: the master may be fine while one agent's answer breaks.
    return new ConsoleError(
      'MESOS_BAD_RESPONSE',
      `The answer of ${e.url}, from the Mesos agent ${agentLabel(agent)}, could not be read: ${e.message}.`,
      'The agent may be overloaded or restarting, or a proxy cut its answer; try again. The master and the other agents are not affected.',
    );
  }
  return new ConsoleError(
    'AGENT_UNREACHABLE',
    `The Mesos agent ${agentLabel(agent)} did not answer: ${e.message}.`,
    `The agent may be overloaded, or its machine stopped; its tasks are still listed from the master. Try again, or check its instance.${waitsLonger(e)}`,
  );
}
