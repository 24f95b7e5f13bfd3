/** The lengths a hold is usually set for; "custom" takes a local date and time. */
export const holdChoices = [
  { id: '1h', label: '1 hour', ms: 3_600_000 },
  { id: '4h', label: '4 hours', ms: 4 * 3_600_000 },
  { id: '12h', label: '12 hours', ms: 12 * 3_600_000 },
  { id: '24h', label: '24 hours', ms: 24 * 3_600_000 },
  { id: 'custom', label: 'Until…', ms: null },
] as const;

export type HoldChoice = (typeof holdChoices)[number]['id'];

/** `datetime-local` text ("2025-06-01T18:30") for a time, in local time. */
export function toLocalInput(at: number): string {
  const d = new Date(at);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** When the hold ends, or why the choice does not say. */
export function holdUntil(choice: HoldChoice, custom: string, now: number): { until: number } | { problem: string } {
  const fixed = holdChoices.find((c) => c.id === choice)?.ms;
  if (fixed) return { until: now + fixed };
  // "YYYY-MM-DDTHH:MM" without a zone is read as local time.
  const until = custom ? new Date(custom).getTime() : NaN;
  if (!Number.isFinite(until)) return { problem: 'Pick the date and time the hold ends' };
  if (until <= now) return { problem: 'The end of the hold is in the past' };
  return { until };
}
