import { describe, expect, it } from 'vitest';
import { nextRun, parseCron, type CronSchedule } from '../../../core/model/cron.js';

const at = (iso: string) => new Date(iso);
const next = (schedule: string, after: string) => nextRun(schedule, at(after)).toISOString();

function parsed(expression: string): CronSchedule {
  const r = parseCron(expression);
  if (!r.ok) throw new Error(r.error);
  return r.schedule;
}

const errorOf = (expression: string) => {
  const r = parseCron(expression);
  return r.ok ? null : r.error;
};

describe('parseCron', () => {
  it('expands wildcards, numbers, ranges, lists and steps', () => {
    const s = parsed('5,10-20/5 */6 1-3 * *');
    expect(s.minutes).toEqual([5, 10, 15, 20]);
    expect(s.hours).toEqual([0, 6, 12, 18]);
    expect(s.daysOfMonth).toEqual([1, 2, 3]);
    expect(s.months).toHaveLength(12);
    expect(s.daysOfWeek).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('reads month and weekday names in any case', () => {
    const s = parsed('0 0 * jan,Jul-SEP mon-fri');
    expect(s.months).toEqual([1, 7, 8, 9]);
    expect(s.daysOfWeek).toEqual([1, 2, 3, 4, 5]);
    expect(parsed('0 0 * * SAT,SUN').daysOfWeek).toEqual([0, 6]);
  });

  it('matches a date in UTC, to the minute', () => {
    const s = parsed('*/15 9-17 * * MON-FRI');
    expect(s.matches(at('2024-03-15T09:15:42Z'))).toBe(true); // a Friday
    expect(s.matches(at('2024-03-15T09:16:00Z'))).toBe(false);
    expect(s.matches(at('2024-03-15T18:00:00Z'))).toBe(false);
    expect(s.matches(at('2024-03-16T09:15:00Z'))).toBe(false); // Saturday
    expect(s.matches(at('2024-03-15T09:15:00+01:00'))).toBe(false); // 08:15 UTC
  });

  it('treats a field covering its whole range as unrestricted, as Aurora does', () => {
    expect(parsed('0 0 1-31 * MON').daysOfWeek).toEqual([1]);
    expect(parsed('0 0 13 * SUN-SAT').daysOfMonth).toEqual([13]);
  });

  it.each([
    ['@hourly', 'aliases such as @hourly are not supported; write 5 fields: minute hour day-of-month month day-of-week'],
    ['@reboot', 'aliases such as @reboot are not supported; write 5 fields: minute hour day-of-month month day-of-week'],
    ['0 0 * *', 'must have 5 fields (minute hour day-of-month month day-of-week), got 4'],
    ['0 0 * * * *', 'must have 5 fields (minute hour day-of-month month day-of-week), got 6'],
    ['', 'must have 5 fields (minute hour day-of-month month day-of-week), got 0'],
    [' 0 0 * * *', 'must not start or end with spaces'],
    ['60 * * * *', 'minute "60": 60 is outside 0-59'],
    ['0 24 * * *', 'hour "24": 24 is outside 0-23'],
    ['0 0 0 * *', 'day-of-month "0": 0 is outside 1-31'],
    ['0 0 * 13 *', 'month "13": 13 is outside 1-12'],
    ['0 0 * * 7', 'day-of-week "7": 7 is outside 0-6; use 0 or SUN for Sunday'],
    ['*/0 * * * *', 'minute "*/0": the step must be > 0'],
    ['1-5/5 * * * *', 'minute "1-5/5": the step must be smaller than the range end 5'],
    ['30-10 * * * *', 'minute "30-10": the range starts after it ends'],
    ['0 0 * * FRI-MON', 'day-of-week "FRI-MON": the range starts after it ends'],
    ['0 0 * * MONDAY', 'day-of-week "MONDAY" is not *, a number, a range, */n or a name (SUN..SAT)'],
    ['0 0 L * *', 'day-of-month "L" is not *, a number, a range or */n'],
    ['? 0 * * *', 'minute "?" is not *, a number, a range or */n'],
    ['0 0 * * 1#2', 'day-of-week "1#2" is not *, a number, a range, */n or a name (SUN..SAT)'],
    [', * * * *', 'minute "," has no values'],
    ['0 0 1 * MON', 'restricts both day-of-month and day-of-week, which Aurora does not support; set one of them to *'],
    ['0 0 15 * */2', 'restricts both day-of-month and day-of-week, which Aurora does not support; set one of them to *'],
    ['0 0 30 FEB *', 'never fires: none of its months has day 30'],
    ['0 0 31 APR,JUN *', 'never fires: none of its months has day 31'],
  ])('refuses %j', (expression, error) => {
    expect(errorOf(expression)).toBe(`invalid cron schedule "${expression}": ${error}`);
  });
});

describe('nextRun (UTC)', () => {
  it('30 2 * * *: daily at 02:30', () => {
    expect(next('30 2 * * *', '2024-01-15T10:00:00Z')).toBe('2024-01-16T02:30:00.000Z');
    expect(next('30 2 * * *', '2024-01-15T02:29:59.999Z')).toBe('2024-01-15T02:30:00.000Z');
    // Strictly after: a run at exactly 02:30 is the next day's.
    expect(next('30 2 * * *', '2024-01-15T02:30:00Z')).toBe('2024-01-16T02:30:00.000Z');
    expect(next('30 2 * * *', '2024-12-31T03:00:00Z')).toBe('2025-01-01T02:30:00.000Z');
  });

  it('*/15 9-17 * * MON-FRI: every quarter hour in office hours on weekdays', () => {
    expect(next('*/15 9-17 * * MON-FRI', '2024-03-13T09:07:00Z')).toBe('2024-03-13T09:15:00.000Z'); // Wednesday
    expect(next('*/15 9-17 * * MON-FRI', '2024-03-13T08:59:59Z')).toBe('2024-03-13T09:00:00.000Z');
    expect(next('*/15 9-17 * * MON-FRI', '2024-03-13T17:45:00Z')).toBe('2024-03-14T09:00:00.000Z');
    expect(next('*/15 9-17 * * MON-FRI', '2024-03-15T17:50:00Z')).toBe('2024-03-18T09:00:00.000Z'); // Friday -> Monday
  });

  it('0 0 1 JAN *: new year', () => {
    expect(next('0 0 1 JAN *', '2024-06-01T00:00:00Z')).toBe('2025-01-01T00:00:00.000Z');
    expect(next('0 0 1 JAN *', '2024-12-31T23:59:00Z')).toBe('2025-01-01T00:00:00.000Z');
  });

  it('restricts by day of month or by day of week (Aurora never has both)', () => {
    expect(next('0 6 13 * *', '2024-03-14T00:00:00Z')).toBe('2024-04-13T06:00:00.000Z');
    expect(next('0 6 * * SUN', '2024-03-14T00:00:00Z')).toBe('2024-03-17T06:00:00.000Z');
    expect(next('0 6 1-31 * SUN', '2024-03-14T00:00:00Z')).toBe('2024-03-17T06:00:00.000Z');
  });

  it('skips months without the day, and finds Feb 29 across 2100', () => {
    expect(next('0 0 31 * *', '2024-04-01T00:00:00Z')).toBe('2024-05-31T00:00:00.000Z');
    expect(next('0 12 29 FEB *', '2024-03-01T00:00:00Z')).toBe('2028-02-29T12:00:00.000Z');
    expect(next('0 0 29 2 *', '2096-03-01T00:00:00Z')).toBe('2104-02-29T00:00:00.000Z');
  });

  it('rolls over hours, days and years', () => {
    expect(next('* * * * *', '2024-02-29T23:59:30Z')).toBe('2024-03-01T00:00:00.000Z');
    expect(next('59 23 31 12 *', '2024-12-31T23:59:00Z')).toBe('2025-12-31T23:59:00.000Z');
    expect(next('0,30 * * * *', '2024-05-05T10:15:00Z')).toBe('2024-05-05T10:30:00.000Z');
  });

  it('takes a parsed schedule, and throws for an invalid one', () => {
    expect(nextRun(parsed('0 * * * *'), at('2024-01-01T00:00:00Z')).toISOString()).toBe('2024-01-01T01:00:00.000Z');
    expect(() => nextRun('0 0 * * 7', at('2024-01-01T00:00:00Z'))).toThrow('invalid cron schedule "0 0 * * 7"');
  });
});
