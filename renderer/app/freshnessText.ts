import type { Freshness, SourceFreshness } from '../../core/contract/index.js';

const sourceName: Record<SourceFreshness['name'], string> = {
  mesos: 'the Mesos master',
  aurora: 'Aurora',
  embedded: 'the embedded cluster',
};

/** What each source puts on screen: what is last-known while it does not answer. */
const sourceShows: Record<SourceFreshness['name'], string[]> = {
  mesos: ['agents', 'tasks'],
  aurora: ['jobs'],
  embedded: ['cluster'],
};

/** ["agents", "tasks", "jobs"] → "the agents, tasks and jobs". */
const listed = (nouns: readonly string[]) =>
  `the ${nouns.length > 1 ? `${nouns.slice(0, -1).join(', ')} and ${nouns.at(-1)!}` : (nouns[0] ?? 'cluster')}`;

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export interface FreshnessText {
  /** "the agents and tasks" / "the jobs" / "the agents, tasks and jobs". */
  what: string;
  /** The oldest moment what is shown was current; null when a failing source never answered. */
  asOf: number | null;
  /** One clause per source: "The Mesos master does not answer: … ; Aurora answers". */
  why: string[];
}

/** The words of the "as of" banner, or null when every source is live. */
export function freshnessText(freshness: Freshness): FreshnessText | null {
  const down = freshness.sources.filter((s) => !s.live);
  if (freshness.live || down.length === 0) return null;
  const asOfs = down.map((s) => s.asOf);
  const asOf = asOfs.includes(null) ? null : Math.min(...(asOfs as number[]));
  const why = freshness.sources.map((s) => {
    if (s.live) return `${capital(sourceName[s.name])} answers`;
    const error = s.error ? `: ${s.error.message}${s.error.hint ? ` ${s.error.hint}` : ''}` : '';
    return `${capital(sourceName[s.name])} does not answer${error}`;
  });
  return { what: listed([...new Set(down.flatMap((s) => sourceShows[s.name]))]), asOf, why };
}

/** The clauses as one sentence: "A does not answer: refused. Check it; B answers." */
export function whyText(why: readonly string[]): string {
  return `${why.map((w) => w.replace(/\.+$/, '')).join('; ')}.`;
}
