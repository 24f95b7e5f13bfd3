/**
 * libprocess pids and the addresses in them. A pid is `<actor>@<ip>:<port>`
 * (`master@10.20.0.5:5050`, `slave(1)@10.20.1.11:5051`): the IP is what the console connects
 * to, because the hostnames Mesos reports are EC2 private DNS names that do not resolve from
 * an on-call laptop (the on-call guide's "Executor logs": read the leader's hostname, type its IP).
 */

export interface Pid {
  /** The actor: `master`, `slave(1)`, `scheduler-<uuid>`. */
  id: string;
  ip: string;
  port: number;
}

/** The parts of a pid, or null when it is not one. */
export function parsePid(pid: string): Pid | null {
  const at = pid.indexOf('@');
  const colon = pid.lastIndexOf(':');
  if (at <= 0 || colon <= at + 1 || colon === pid.length - 1) return null;
  let ip = pid.slice(at + 1, colon);
  if (ip.startsWith('[') && ip.endsWith(']')) ip = ip.slice(1, -1);
  const portText = pid.slice(colon + 1);
  if (!/^\d{1,5}$/.test(portText)) return null;
  const port = Number(portText);
  if (port === 0 || port > 65535 || ip === '') return null;
  return { id: pid.slice(0, at), ip, port };
}

/** `host:port` for a URL: IPv6 addresses in brackets. */
export function hostPort(host: string, port: number): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * The IP an EC2 private DNS name spells (`ip-10-130-118-157.ec2.internal`,
 * `ip-10-0-0-5.us-west-2.compute.internal` → 10.130.118.157, 10.0.0.5), or null. The last
 * resort when a redirect names the leader by a hostname that does not resolve.
 */
export function ec2PrivateIp(hostname: string): string | null {
  const m = /^ip-(\d{1,3})-(\d{1,3})-(\d{1,3})-(\d{1,3})(?:\.|$)/i.exec(hostname);
  if (!m) return null;
  const octets = m.slice(1, 5).map(Number);
  return octets.every((o) => o <= 255) ? octets.join('.') : null;
}
