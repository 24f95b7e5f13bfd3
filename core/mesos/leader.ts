import { ConsoleError } from '../errors.js';
import { answered } from './failures.js';
import { TransportError, type HttpAnswer, type HttpRequest, type Transport } from './http.js';
import { objectPrefix } from './object-prefix.js';
import { ec2PrivateIp, hostPort, parsePid } from './pid.js';

/**
 * Finding the leading master (reference/mesos.md §1). Every master is asked `GET /master/state`
 * with redirects not followed: the leader answers 200 (its `leader_info` and `pid` are read from
 * the first bytes, the rest is never downloaded); a master that is not leading answers 307 with a
 * scheme-less `Location: //<leader hostname>:<port>/master/state`, which is asked next; 503 "No
 * leader elected", a refused connection or silence moves on to the next master.
 *
 * The leader is then addressed by the IP in its pid, not by its hostname: Mesos reports EC2
 * private DNS names, which do not resolve from where on-call engineers sit.
 */

export interface MasterAttempt {
  /** The URL asked. */
  url: string;
  /** What it answered, in words: "307 → http://10.20.0.6:5050/master/state", "503 \"No leader elected\"", "connection refused". */
  outcome: string;
}

export interface Leader {
  /** Where to talk to the leader: the scheme it was reached with, the IP and port of its pid. */
  url: string;
  ip: string;
  port: number;
  /** `leader_info.hostname`, for showing (it may not resolve). */
  hostname: string | null;
  /** The master's id (a UUID), which changes when another master is elected. */
  id: string | null;
  pid: string;
  /** The master URL that answered as the leader. */
  via: string;
  /** Everything asked, in order, the leader's answer last. */
  attempts: MasterAttempt[];
}

/** How much of `/master/state` is read at most to find `leader_info`. */
const maxHeadBytes = 1024 * 1024;
const headKeys = new Set(['id', 'pid', 'hostname', 'leader', 'leader_info']);
/** Keys written after `leader_info`: reaching one means the head is over. */
const pastHead = new Set(['flags', 'slaves', 'frameworks', 'recovered_slaves']);

/** The base URL of a master from a profile: no trailing slash, http(s) only. */
export function masterBase(url: string): string {
  const u = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `http://${url}`);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`"${url}" is not an http(s) URL`);
  return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`;
}

/** Mesos writes `Location: //host:port/path`: protocol-relative, so it gets the scheme of the request. */
export function resolveLocation(location: string, requestUrl: string): string {
  return new URL(location, requestUrl).toString();
}

/** The same URL with an EC2 private DNS hostname replaced by the IP it spells, or null. */
export function withEc2Ip(url: string): string | null {
  const u = new URL(url);
  const ip = ec2PrivateIp(u.hostname);
  if (ip === null) return null;
  u.hostname = ip;
  return u.toString();
}

export async function discoverLeader(masters: readonly string[], transport: Transport, signal?: AbortSignal): Promise<Leader> {
  if (masters.length === 0) {
    throw new ConsoleError(
      'MESOS_NO_LEADER',
      'The cluster profile names no Mesos master.',
      'Add the URLs of the masters (http://host:5050) to the profile.',
    );
  }
  const attempts: MasterAttempt[] = [];
  const asked = new Set<string>();
  // Masters of the profile, in order; a redirect's target is asked right after the master that gave it.
  const queue: { url: string; redirected: boolean }[] = [];
  for (const m of masters) {
    try {
      queue.push({ url: `${masterBase(m)}/master/state`, redirected: false });
    } catch (e) {
      attempts.push({ url: m, outcome: (e as Error).message });
    }
  }
  let unauthorized = false;
  /** Masters that answered HTTP at all (a 503, a 200 that is not a state...): some Mesos is there. */
  let answeredHttp = 0;
  /** Why the others did not: connection refused, no such host, silence. */
  const noAnswer = new Set<string>();

  for (let i = 0; i < queue.length; i++) {
    const { url, redirected } = queue[i]!;
    if (asked.has(url)) continue;
    asked.add(url);
    let answer: HttpAnswer;
    try {
      answer = await transport.send(headRequest(url, signal));
    } catch (e) {
      if (!(e instanceof TransportError)) throw e;
      if (e.kind === 'aborted') throw e;
      noAnswer.add(e.kind);
      const byIp = e.kind === 'dns' && redirected ? withEc2Ip(url) : null;
      attempts.push({ url, outcome: byIp ? `${e.message}; trying the IP its name spells` : e.message });
      if (byIp) queue.splice(i + 1, 0, { url: byIp, redirected: true });
      continue;
    }
    const status = answer.status;
    answeredHttp++;
    if (status === 200) {
      const leader = leaderOfHead(answer, url);
      if (typeof leader === 'string') {
        attempts.push({ url, outcome: `200, but ${leader}` });
        continue;
      }
      attempts.push({ url, outcome: `200: the leader is ${leader.pid}` });
      return { ...leader, via: url, attempts };
    }
    if ((status === 307 || status === 302 || status === 301 || status === 308) && answer.headers.location) {
      let target: string;
      try {
        target = resolveLocation(answer.headers.location, url);
      } catch {
        attempts.push({ url, outcome: `${status} with an unusable Location "${answer.headers.location}"` });
        continue;
      }
      attempts.push({ url, outcome: `${status}: not the leader, redirects to ${target}` });
      queue.splice(i + 1, 0, { url: target, redirected: true });
      continue;
    }
    if (status === 401 || status === 403) unauthorized = true;
    attempts.push({ url, outcome: answered(answer) });
  }

  const details = attempts.map((a) => `${a.url}: ${a.outcome}`);
  if (unauthorized) {
    throw new ConsoleError(
      'MESOS_UNAUTHORIZED',
      `No Mesos master let the console read its state: ${details.join('; ')}.`,
      'The cluster requires HTTP authentication: set the credentials in the cluster profile.',
      details,
    );
  }
  if (answeredHttp === 0 && noAnswer.size > 0) {
    // Not an election: nothing Mesos answered at those addresses at all.
    const onlyTimeouts = noAnswer.size === 1 && noAnswer.has('timeout');
    throw new ConsoleError(
      'MESOS_UNREACHABLE',
      `No Mesos master could be reached: ${details.join('; ')}.`,
      onlyTimeouts
        ? 'The masters accept connections but do not answer: they may be overloaded or behind a proxy that holds requests. Try again (the next try waits longer), and check the master URLs of the profile.'
        : 'Check the master addresses and ports in the cluster profile (http://host:5050), that the masters run, and the network (VPN, security groups).',
      details,
    );
  }
  throw new ConsoleError(
    'MESOS_NO_LEADER',
    `No Mesos master answered as the leader: ${details.join('; ')}.`,
    'If every master says "No leader elected", ZooKeeper or a quorum of masters is down; otherwise check the master URLs of the profile and the network (VPN).',
    details,
  );
}

function headRequest(url: string, signal: AbortSignal | undefined): HttpRequest {
  let head = '';
  let bytes = 0;
  const decoder = new TextDecoder();
  const r: HttpRequest = {
    url,
    headers: { Accept: 'application/json' },
    stopAfter: (chunk) => {
      bytes += chunk.length;
      head += decoder.decode(chunk, { stream: true });
      if (bytes >= maxHeadBytes) return true;
      const p = objectPrefix(head, headKeys);
      return p.invalid !== null || 'leader_info' in p.members || p.keys.some((k) => pastHead.has(k));
    },
  };
  if (signal) r.signal = signal;
  return r;
}

/** The leader named by the head of a `/master/state`, or why it names none. */
function leaderOfHead(answer: HttpAnswer, url: string): Omit<Leader, 'via' | 'attempts'> | string {
  const p = objectPrefix(answer.body.toString('utf8'), headKeys);
  if (p.invalid !== null) return `not a Mesos master state: ${p.invalid}`;
  const info = p.members.leader_info as { pid?: unknown; hostname?: unknown; id?: unknown } | undefined;
  const pidText = [info?.pid, p.members.leader, p.members.pid].find((v): v is string => typeof v === 'string' && parsePid(v) !== null);
  if (pidText === undefined) return 'its state names no leader pid (no leader_info, leader or pid)';
  const pid = parsePid(pidText)!;
  const scheme = new URL(url).protocol;
  const hostname = typeof info?.hostname === 'string' ? info.hostname : typeof p.members.hostname === 'string' ? p.members.hostname : null;
  const id = typeof info?.id === 'string' ? info.id : typeof p.members.id === 'string' ? p.members.id : null;
  return { url: `${scheme}//${hostPort(pid.ip, pid.port)}`, ip: pid.ip, port: pid.port, hostname, id, pid: pidText };
}
