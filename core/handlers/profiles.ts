import crypto from 'node:crypto';
import { profileDraft, type Profile, type ProfileDraft } from '../contract/profiles.js';
import type { Handlers } from '../dispatch.js';
import { ConsoleError } from '../errors.js';
import { instanceSize } from '../model/instance-types.js';
import { compatibleInstanceTypes } from '../model/spot.js';
import type { Store } from '../store/index.js';

/** What a profile must satisfy beyond its shape; each problem names its field. */
export function profileProblems(draft: ProfileDraft): string[] {
  const problems: string[] = [];
  draft.pools.forEach((p, i) => {
    const at = `pools[${i}]`;
    if (p.kind !== 'spot' && p.instanceTypes.length > 1) problems.push(`${at}.instanceTypes: a ${p.kind} pool has one instance type`);
    if (p.kind === 'spot') {
      const fit = compatibleInstanceTypes(p.instanceTypes);
      if (!fit.ok) problems.push(`${at}.instanceTypes: ${fit.reason}`);
    }
    if (draft.kind === 'embedded') {
      for (const t of p.instanceTypes)
        if (!instanceSize(t)) problems.push(`${at}.instanceTypes: ${t} is not an instance type the embedded cluster knows`);
    }
    if (p.maxCount !== undefined && p.count > p.maxCount) problems.push(`${at}.count: ${p.count} is above maxCount ${p.maxCount}`);
  });
  if (draft.kind === 'embedded' && draft.aws !== null)
    problems.push('aws: the embedded cluster scales its own local machines; leave aws null');
  if (draft.kind === 'embedded' && draft.mesos !== null) problems.push('mesos: the embedded cluster is its own Mesos; leave mesos null');
  if (draft.kind === 'embedded' && draft.aurora !== null)
    problems.push('aurora: the embedded cluster is its own scheduler; leave aurora null');
  return problems;
}

/** `pools[1].kind`, as the job file errors name their fields. */
function jsonPath(path: readonly PropertyKey[]): string {
  return (
    path.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)), '') || '(the file)'
  );
}

function invalid(problems: string[], what: string): never {
  throw new ConsoleError(
    'PROFILE_INVALID',
    `${what} has ${problems.length} problem${problems.length === 1 ? '' : 's'}: ${problems[0]}${problems.length > 1 ? ' …' : ''}`,
    'Fix the fields listed; nothing was saved.',
    problems,
  );
}

function save(store: Store, draft: ProfileDraft, id: string | undefined, now: number): { profile: Profile; created: boolean } {
  const problems = profileProblems(draft);
  if (problems.length > 0) invalid(problems, `Profile ${draft.name}`);
  const before = id === undefined ? null : store.profiles.get(id);
  if (id !== undefined && !before) throw new ConsoleError('PROFILE_NOT_FOUND', `There is no profile ${id}.`);
  if (before?.builtin) {
    throw new ConsoleError(
      'PROFILE_READ_ONLY',
      `${before.name} is built in and cannot be changed.`,
      'Save your changes as a new profile with another name.',
    );
  }
  const clash = store.profiles.byName(draft.name);
  if (clash && clash.id !== id) {
    throw new ConsoleError(
      'PROFILE_INVALID',
      `There is already a profile named ${draft.name}.`,
      'Choose another name, or edit that profile.',
    );
  }
  const profile = store.profiles.save(
    {
      id: id ?? `p-${crypto.randomUUID().slice(0, 8)}`,
      name: draft.name,
      kind: draft.kind,
      pools: draft.pools,
      aws: draft.aws,
      mesos: draft.mesos,
      aurora: draft.aurora,
    },
    now,
  );
  return { profile, created: before === null };
}

/** A real cluster named on the command line (`--mesos-master URL,... [--aurora URL] [--name NAME]`). */
export interface CommandLineCluster {
  masters: string[];
  aurora?: string;
  name?: string;
}

/** `http://10.20.0.5:5050` → `mesos-10.20.0.5`: a profile name from the first master, when none is given. */
export function nameFromMaster(url: string): string {
  const host = new URL(url).hostname
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '');
  return `mesos-${host}`.slice(0, 63);
}

/**
 * Creates the profile of a cluster named on the command line, or updates the one of that name
 * (its masters and scheduler; its pools and AWS account are kept), and returns it.
 */
export function saveCommandLineCluster(store: Store, c: CommandLineCluster, now: number): Profile {
  const name = c.name ?? nameFromMaster(c.masters[0]!);
  const existing = store.profiles.byName(name);
  if (existing?.kind === 'embedded') {
    throw new ConsoleError('PROFILE_READ_ONLY', `${name} is the embedded cluster's profile.`, 'Give the real cluster another --name.');
  }
  const draft = profileDraft.safeParse({
    name,
    kind: 'mesos',
    pools: existing?.pools ?? [],
    aws: existing?.aws ?? null,
    mesos: { ...existing?.mesos, masters: c.masters },
    aurora: c.aurora !== undefined ? { ...existing?.aurora, url: c.aurora } : (existing?.aurora ?? null),
  });
  if (!draft.success)
    invalid(
      draft.error.issues.map((i) => `${jsonPath(i.path)}: ${i.message}`),
      `The cluster on the command line`,
    );
  return save(store, draft.data, existing?.id, now).profile;
}

type ProfileHandlers = Pick<Handlers, 'profiles.list' | 'profiles.save' | 'profiles.import'>;

/** Listing, creating, editing and importing profiles (opening one is the console's: it restarts the cluster). */
export function profileHandlers(ready: () => { store: Store; now: () => number }): ProfileHandlers {
  return {
    'profiles.list': () => {
      const { store } = ready();
      return { profiles: store.profiles.list(), activeId: store.profiles.activeId() };
    },
    'profiles.save': ({ id, profile }) => {
      const { store, now } = ready();
      return { profile: save(store, profile, id, now()).profile };
    },
    'profiles.import': ({ text, fileName }) => {
      const { store, now } = ready();
      const what = fileName ?? 'The profile file';
      let raw: unknown;
      try {
        raw = JSON.parse(text.replace(/^\uFEFF/, ''));
      } catch (e) {
        throw new ConsoleError(
          'PROFILE_INVALID',
          `${what} is not JSON: ${e instanceof Error ? e.message : String(e)}.`,
          'A profile file is one JSON object: {"name", "kind", "pools", "mesos", "aws"}.',
        );
      }
      const parsed = profileDraft.safeParse(raw);
      if (!parsed.success)
        invalid(
          parsed.error.issues.map((i) => `${jsonPath(i.path)}: ${i.message}`),
          what,
        );
      const existing = store.profiles.byName(parsed.data.name);
      return save(store, parsed.data, existing?.id, now());
    },
  };
}
