import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/**
 * What the executor reads from Linux /proc: which processes belong to a task's process groups,
 * whether a recorded pid is still the process we started, and how much memory they hold.
 *
 * A process group is named by its leader's pid, and pids are reused. Two facts keep us from
 * touching a stranger: the kernel never hands out a pid that is still in use as a process group
 * id, and a process's start time (field 22 of /proc/<pid>/stat, in clock ticks since boot) never
 * changes. So "pid N with start ticks T" names one process for good, and a member of group N that
 * started before T cannot be one of ours.
 */

export interface ProcStat {
  pid: number;
  /** One letter: R, S, D, T, Z (zombie), X (dead), ... */
  state: string;
  ppid: number;
  pgid: number;
  /** Field 22: start time in clock ticks since boot. */
  startTicks: number;
  /** Field 24 (resident pages) times the page size. */
  rssBytes: number;
}

/** pgid -> start ticks of the group's leader, as recorded when we started it. */
export type GroupMap = ReadonlyMap<number, number>;

let pageBytes: number | null = null;

/** Node has no sysconf; ask getconf once, and fall back to the x86/arm64 default. */
function pageSize(): number {
  if (pageBytes === null) {
    try {
      pageBytes = Number(execFileSync('getconf', ['PAGESIZE'], { encoding: 'utf8' }).trim()) || 4096;
    } catch {
      pageBytes = 4096;
    }
  }
  return pageBytes;
}

/**
 * Parses one /proc/<pid>/stat line. The command name (field 2) is in parentheses and may itself
 * contain spaces and parentheses, so fields are counted from the last ')'.
 */
export function parseStat(text: string, page = pageSize()): ProcStat | null {
  const open = text.indexOf(' (');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const rest = text.slice(close + 2).split(' ');
  // rest[0] is field 3; field n is rest[n - 3].
  const pid = Number(text.slice(0, open));
  const ppid = Number(rest[1]);
  const pgid = Number(rest[2]);
  const startTicks = Number(rest[19]);
  const rssPages = Number(rest[21]);
  if (![pid, ppid, pgid, startTicks, rssPages].every(Number.isFinite)) return null;
  return { pid, state: rest[0] ?? '?', ppid, pgid, startTicks, rssBytes: rssPages * page };
}

export function readStat(pid: number): ProcStat | null {
  try {
    return parseStat(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/** A zombie has exited and holds no memory; it only waits for its parent to reap it. */
export function isAlive(p: ProcStat): boolean {
  return p.state !== 'Z' && p.state !== 'X';
}

/** Every process on the machine: one readdir of /proc and one small read per pid. */
export function listProcesses(): ProcStat[] {
  const out: ProcStat[] = [];
  let names: string[];
  try {
    names = fs.readdirSync('/proc');
  } catch {
    return out;
  }
  const page = pageSize();
  for (const name of names) {
    const c = name.charCodeAt(0);
    if (c < 48 || c > 57) continue;
    try {
      const p = parseStat(fs.readFileSync(`/proc/${name}/stat`, 'utf8'), page);
      if (p) out.push(p);
    } catch {
      // The process ended between readdir and read.
    }
  }
  return out;
}

/** Live members of each of our groups (see the note at the top for why start ticks are compared). */
export function groupMembers(groups: GroupMap, procs: readonly ProcStat[] = listProcesses()): Map<number, ProcStat[]> {
  const found = new Map<number, ProcStat[]>();
  for (const p of procs) {
    const leaderTicks = groups.get(p.pgid);
    if (leaderTicks === undefined || !isAlive(p) || p.startTicks < leaderTicks) continue;
    const list = found.get(p.pgid);
    if (list) list.push(p);
    else found.set(p.pgid, [p]);
  }
  return found;
}

/** Sends a signal to a whole process group; a group that is already gone is not an error. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Signals only those of `groups` that still have live members. Used for groups whose leader we
 * may already have reaped, so the group id is only trusted after the scan.
 */
export function signalLiveGroups(groups: GroupMap, signal: NodeJS.Signals): number[] {
  const live = [...groupMembers(groups).keys()];
  for (const pgid of live) signalGroup(pgid, signal);
  return live;
}

/**
 * Resolves true once none of `groups` has a live member, false after `timeoutMs`. It polls
 * (10 ms, doubling to 100 ms) because group members that are not our children send us no event.
 */
export function waitGone(groups: GroupMap, timeoutMs: number): Promise<boolean> {
  if (groups.size === 0) return Promise.resolve(true);
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve) => {
    let delay = 10;
    const check = () => {
      if (groupMembers(groups).size === 0) return resolve(true);
      if (Date.now() >= deadline) return resolve(false);
      setTimeout(check, Math.min(delay, Math.max(1, deadline - Date.now())));
      delay = Math.min(delay * 2, 100);
    };
    check();
  });
}

/** SIGTERM to each live group, SIGKILL to what is left after `graceMs`; true once all are gone. */
export async function stopGroups(groups: GroupMap, graceMs: number): Promise<boolean> {
  signalLiveGroups(groups, 'SIGTERM');
  if (await waitGone(groups, graceMs)) return true;
  signalLiveGroups(groups, 'SIGKILL');
  return waitGone(groups, 2000);
}

/**
 * Which recorded groups (leader pid + start ticks) still have live processes of ours. A live
 * process under a recorded pid with another start time means our group is gone: the kernel does
 * not reuse a pid while it still names a process group.
 */
export function survivingGroups(
  records: readonly { pid: number; startTicks: number }[],
  procs: readonly ProcStat[] = listProcesses(),
): Map<number, number> {
  const byPid = new Map(procs.filter(isAlive).map((p) => [p.pid, p]));
  const ours = new Map<number, number>();
  for (const r of records) {
    const leader = byPid.get(r.pid);
    if (leader && leader.startTicks !== r.startTicks) continue;
    if (groupMembers(new Map([[r.pid, r.startTicks]]), procs).size > 0) ours.set(r.pid, r.startTicks);
  }
  return ours;
}
