import { describe, expect, it } from 'vitest';
import { quoteNanoseconds, timeOfNanoseconds, timeOfSeconds, timeOfTimeInfo } from '../../../core/mesos/time.js';

const parse = (text: string) => JSON.parse(quoteNanoseconds(text)) as unknown;

describe('v1 nanosecond times keep every digit', () => {
  it('reads a TimeInfo past 2^53 exactly, where JSON.parse alone rounds it', () => {
    const text = '{"registered_time":{"nanoseconds":1700000000123456789}}';
    expect(String((JSON.parse(text) as { registered_time: { nanoseconds: number } }).registered_time.nanoseconds)).not.toBe(
      '1700000000123456789',
    );
    const v = parse(text) as { registered_time: unknown };
    expect(timeOfTimeInfo(v.registered_time)).toEqual({ ms: 1700000000123, ns: '1700000000123456789' });
  });

  it('accepts the proto3 string form and whitespace around the colon', () => {
    expect(timeOfTimeInfo((parse('{"t":{"nanoseconds": "1700000000123456789"}}') as { t: unknown }).t)).toEqual({
      ms: 1700000000123,
      ns: '1700000000123456789',
    });
    expect(timeOfTimeInfo((parse('{"t":{ "nanoseconds" :\n 1700000000999999999 }}') as { t: unknown }).t)).toEqual({
      ms: 1700000000999,
      ns: '1700000000999999999',
    });
  });

  it('leaves a "nanoseconds" inside a string value alone', () => {
    const text = '{"message":"saw \\"nanoseconds\\": 12345678901234567890 in a log","t":{"nanoseconds":1700000000000000001}}';
    const v = parse(text) as { message: string; t: unknown };
    expect(v.message).toBe('saw "nanoseconds": 12345678901234567890 in a log');
    expect(timeOfTimeInfo(v.t)?.ns).toBe('1700000000000000001');
  });

  it('works on the bytes of a download, multibyte text around it untouched', () => {
    const bytes = Buffer.from('{"m":"é☕😀","t":{"nanoseconds":1700000000123456789},"n":"日本"}', 'utf8');
    const quoted = quoteNanoseconds(bytes);
    expect(quoted.length).toBe(bytes.length + 2);
    expect(JSON.parse(quoted.toString('utf8'))).toEqual({ m: 'é☕😀', t: { nanoseconds: '1700000000123456789' }, n: '日本' });
    const none = Buffer.from('{"a":1}');
    expect(quoteNanoseconds(none)).toBe(none);
  });

  it('leaves non-integers as numbers, and text without the key untouched', () => {
    expect(parse('{"nanoseconds":1.5e18}')).toEqual({ nanoseconds: 1.5e18 });
    const plain = '{"a":1}';
    expect(quoteNanoseconds(plain)).toBe(plain);
  });

  it('rounds milliseconds down, also before 1970', () => {
    expect(timeOfNanoseconds('999999')).toEqual({ ms: 0, ns: '999999' });
    expect(timeOfNanoseconds('-1')).toEqual({ ms: -1, ns: '-1' });
    expect(timeOfNanoseconds('-1000000')).toEqual({ ms: -1, ns: '-1000000' });
    expect(timeOfNanoseconds('-1000001')).toEqual({ ms: -2, ns: '-1000001' });
    expect(timeOfNanoseconds('0')).toEqual({ ms: 0, ns: '0' });
    expect(timeOfNanoseconds('000123000000')).toEqual({ ms: 123, ns: '123000000' });
  });

  it('takes safe numbers and bigints; refuses what is not an integer', () => {
    expect(timeOfNanoseconds(1_000_000)).toEqual({ ms: 1, ns: '1000000' });
    expect(timeOfNanoseconds(1700000000123456789n)).toEqual({ ms: 1700000000123, ns: '1700000000123456789' });
    expect(timeOfNanoseconds('12x')).toBeNull();
    expect(timeOfNanoseconds(1.5)).toBeNull();
    expect(timeOfTimeInfo(undefined)).toBeNull();
    expect(timeOfTimeInfo({})).toBeNull();
  });
});

describe('v0 times are doubles of seconds', () => {
  it('gives the ns digits of the decimal Mesos wrote, and ms rounded down', () => {
    expect(timeOfSeconds(1718003401.52118)).toEqual({ ms: 1718003401521, ns: '1718003401521180000' });
    expect(timeOfSeconds(1717900030.77212)).toEqual({ ms: 1717900030772, ns: '1717900030772120000' });
    expect(timeOfSeconds(1605895451.0)).toEqual({ ms: 1605895451000, ns: '1605895451000000000' });
  });

  it('takes the ns from the decimal, not from a multiplication that invents digits', () => {
    expect(BigInt(Math.round(1718002811.03377 * 1e9)).toString()).toBe('1718002811033769984');
    expect(timeOfSeconds(1718002811.03377)?.ns).toBe('1718002811033770000');
  });

  it('reads 0.0 (a framework never unregistered) and refuses what is not a number', () => {
    expect(timeOfSeconds(0)).toEqual({ ms: 0, ns: '0' });
    expect(timeOfSeconds('1718003401.5')).toBeNull();
    expect(timeOfSeconds(Number.NaN)).toBeNull();
  });
});
