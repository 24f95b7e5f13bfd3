/**
 * Aurora's cron schedules: the crontab(5) subset its scheduler accepts
 * (apache/aurora scheduler/cron/CrontabEntry.java), evaluated in UTC, Aurora's default
 * -cron_timezone (GMT), to the minute.
 *
 * Syntax, exactly as CrontabEntry parses it: five fields separated by whitespace (minute 0-59,
 * hour 0-23, day-of-month 1-31, month 1-12 or JAN..DEC, day-of-week 0-6 or SUN..SAT, names in any
 * case); each field a comma list of `*`, `n`, `a-b`, `* /n` (without the space) or `a-b/n`.
 * Not accepted, as in Aurora: @hourly-style aliases, 7 for Sunday, `?`, `L`, `W`, `#`, a step of 0,
 * a range step that is not smaller than the range end (`1-5/5`), and a schedule that restricts both
 * day-of-month and day-of-week ("Specifying both dayOfWeek and dayOfMonth is not supported"), so
 * crontab(5)'s OR rule for those two never applies: one of them always matches every day.
 * A field that covers its whole range (`1-31`, `SUN-SAT`, `* /1`) counts as unrestricted.
 * Stricter than Aurora: a schedule that can never fire (`0 0 30 FEB *`) is refused.
 */

export interface CronSchedule {
  readonly expression: string;
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly daysOfMonth: readonly number[];
  readonly months: readonly number[];
  /** 0 = Sunday. */
  readonly daysOfWeek: readonly number[];
  /** Whether the schedule fires in the UTC minute of `at` (seconds are ignored). */
  matches(at: Date): boolean;
}

export type CronParseResult = { ok: true; schedule: CronSchedule } | { ok: false; error: string };

interface FieldSpec {
  label: string;
  min: number;
  max: number;
  names?: readonly string[];
  namesFrom?: number;
}

const fields: readonly FieldSpec[] = [
  { label: 'minute', min: 0, max: 59 },
  { label: 'hour', min: 0, max: 23 },
  { label: 'day-of-month', min: 1, max: 31 },
  {
    label: 'month',
    min: 1,
    max: 12,
    names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
    namesFrom: 1,
  },
  { label: 'day-of-week', min: 0, max: 6, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'], namesFrom: 0 },
];

class CronError extends Error {}

function replaceNames(component: string, spec: FieldSpec): string {
  let out = component.toUpperCase();
  spec.names?.forEach((name, i) => {
    out = out.split(name).join(String(i + spec.namesFrom!));
  });
  return out;
}

function parseComponent(raw: string, spec: FieldSpec, into: Set<number>): void {
  const c = replaceNames(raw, spec);
  const where = `${spec.label} "${raw}"`;
  const inRange = (n: number) => {
    if (n < spec.min || n > spec.max) {
      const sunday = spec.label === 'day-of-week' && n === 7 ? '; use 0 or SUN for Sunday' : '';
      throw new CronError(`${where}: ${n} is outside ${spec.min}-${spec.max}${sunday}`);
    }
  };
  const step = (s: string) => {
    const n = Number(s);
    if (n <= 0) throw new CronError(`${where}: the step must be > 0`);
    return n;
  };
  let m: RegExpExecArray | null;
  if (c === '*') {
    for (let n = spec.min; n <= spec.max; n++) into.add(n);
  } else if ((m = /^(\d+)$/.exec(c))) {
    inRange(Number(m[1]));
    into.add(Number(m[1]));
  } else if ((m = /^\*\/(\d+)$/.exec(c))) {
    const s = step(m[1]!);
    for (let n = spec.min; n <= spec.max; n += s) into.add(n);
  } else if ((m = /^(\d+)-(\d+)(?:\/(\d+))?$/.exec(c))) {
    const [lo, hi] = [Number(m[1]), Number(m[2])];
    inRange(lo);
    inRange(hi);
    if (lo > hi) throw new CronError(`${where}: the range starts after it ends`);
    const s = m[3] === undefined ? 1 : step(m[3]);
    if (m[3] !== undefined && s >= hi) throw new CronError(`${where}: the step must be smaller than the range end ${hi}`);
    for (let n = lo; n <= hi; n += s) into.add(n);
  } else {
    const named = spec.names ? `, a range, */n or a name (${spec.names[0]}..${spec.names.at(-1)})` : ', a range or */n';
    throw new CronError(`${where} is not *, a number${named}`);
  }
}

function parseField(raw: string, spec: FieldSpec): number[] {
  const values = new Set<number>();
  const components = raw.split(',').filter((c) => c !== '');
  if (components.length === 0) throw new CronError(`${spec.label} "${raw}" has no values`);
  for (const c of components) parseComponent(c, spec, values);
  return [...values].sort((a, b) => a - b);
}

const daysInMonth = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isFull = (values: readonly number[], spec: FieldSpec) => values.length === spec.max - spec.min + 1;

export function parseCron(expression: string): CronParseResult {
  try {
    if (expression.startsWith('@')) {
      const alias = expression.split(/\s/)[0];
      throw new CronError(`aliases such as ${alias} are not supported; write 5 fields: minute hour day-of-month month day-of-week`);
    }
    if (expression !== expression.trim()) throw new CronError('must not start or end with spaces');
    const parts = expression === '' ? [] : expression.split(/\s+/);
    if (parts.length !== 5) {
      throw new CronError(`must have 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}`);
    }
    const [minutes, hours, daysOfMonth, months, daysOfWeek] = parts.map((p, i) => parseField(p, fields[i]!)) as [
      number[],
      number[],
      number[],
      number[],
      number[],
    ];
    const domAll = isFull(daysOfMonth, fields[2]!);
    const dowAll = isFull(daysOfWeek, fields[4]!);
    if (!domAll && !dowAll) {
      throw new CronError('restricts both day-of-month and day-of-week, which Aurora does not support; set one of them to *');
    }
    if (!months.some((m) => daysOfMonth[0]! <= daysInMonth[m - 1]!)) {
      throw new CronError(`never fires: none of its months has day ${daysOfMonth[0]}`);
    }
    const sets = [minutes, hours, daysOfMonth, months, daysOfWeek].map((v) => new Set(v));
    const schedule: CronSchedule = {
      expression,
      minutes,
      hours,
      daysOfMonth,
      months,
      daysOfWeek,
      matches: (at) =>
        sets[0]!.has(at.getUTCMinutes()) &&
        sets[1]!.has(at.getUTCHours()) &&
        sets[2]!.has(at.getUTCDate()) &&
        sets[3]!.has(at.getUTCMonth() + 1) &&
        sets[4]!.has(at.getUTCDay()),
    };
    return { ok: true, schedule };
  } catch (e) {
    if (e instanceof CronError) return { ok: false, error: `invalid cron schedule "${expression}": ${e.message}` };
    throw e;
  }
}

const MINUTE = 60_000;

/**
 * The first minute strictly after `after` (UTC) at which the schedule fires, at second 0 — as
 * Aurora's Quartz trigger computes the next fire time. Throws for an invalid schedule.
 */
export function nextRun(schedule: string | CronSchedule, after: Date): Date {
  let s: CronSchedule;
  if (typeof schedule === 'string') {
    const parsed = parseCron(schedule);
    if (!parsed.ok) throw new Error(parsed.error);
    s = parsed.schedule;
  } else {
    s = schedule;
  }
  const start = new Date(Math.floor(after.getTime() / MINUTE) * MINUTE + MINUTE);
  let day = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate());
  let fromHour = start.getUTCHours();
  let fromMinute = start.getUTCMinutes();
  // Feb 29 can be 8 years away (2096 -> 2104); nothing valid is further.
  for (let i = 0; i < 366 * 9; i++) {
    const d = new Date(day);
    const dayMatches =
      s.months.includes(d.getUTCMonth() + 1) && s.daysOfMonth.includes(d.getUTCDate()) && s.daysOfWeek.includes(d.getUTCDay());
    if (dayMatches) {
      for (const h of s.hours) {
        if (h < fromHour) continue;
        const m = s.minutes.find((x) => h > fromHour || x >= fromMinute);
        if (m !== undefined) return new Date(day + h * 60 * MINUTE + m * MINUTE);
      }
    }
    day += 24 * 60 * MINUTE;
    fromHour = 0;
    fromMinute = 0;
  }
  throw new Error(`cron schedule "${s.expression}" never fires`);
}
