import { describe, expect, it } from 'vitest';
import { parseByteJson, type ByteJson } from '../../../core/mesos/json-bytes.js';
import { mesosString } from '../../integration/fixtures/mesos-json.js';

const readAnswer = (data: Buffer, offset = 0) =>
  Buffer.concat([Buffer.from('{"data":'), mesosString(data), Buffer.from(`,"offset":${offset}}`)]);
const dataOf = (v: ByteJson) => (v as { data: Buffer }).data;

describe('/files/read data is the exact bytes of the file', () => {
  it('decodes every byte value 0..255 as rapidjson writes it', () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const encoded = readAnswer(all, 7);
    // Only the 32 control bytes, '"' and '\' are escaped; 0x7F and 0x80..0xFF go out raw.
    expect(encoded.includes(Buffer.from('\\u001F'))).toBe(true);
    expect(encoded.includes(Buffer.from([0x7f, 0x80, 0x81]))).toBe(true);
    const v = parseByteJson(encoded) as { data: Buffer; offset: number };
    expect(v.offset).toBe(7);
    expect(dataOf(v).equals(all)).toBe(true);
  });

  it('keeps invalid UTF-8 and a multibyte character cut at a read boundary, which a UTF-8 decode would turn into U+FFFD', () => {
    const euro = Buffer.from('€', 'utf8'); // e2 82 ac
    const cut = Buffer.concat([Buffer.from('price: '), euro.subarray(0, 2)]);
    const v = parseByteJson(readAnswer(cut));
    expect(dataOf(v).equals(cut)).toBe(true);
    expect(Buffer.from(readAnswer(cut).toString('utf8'), 'utf8').length).not.toBe(readAnswer(cut).length);
  });

  it('reads the escapes of the older stout writer too (\\/ and lower-case \\u007f)', () => {
    const v = parseByteJson(Buffer.from('{"data":"a\\/b\\u007f\\u0000\\t","offset":0}'));
    expect([...dataOf(v)]).toEqual([0x61, 0x2f, 0x62, 0x7f, 0x00, 0x09]);
  });

  it('reads \\u escapes above 0x7F as code points (UTF-8), pairs included', () => {
    const v = parseByteJson(Buffer.from('{"data":"\\u00e9\\ud83d\\ude00\\ud800x"}'));
    expect(dataOf(v).toString('utf8')).toBe('é😀\ufffdx');
  });

  it('parses the example answer and keys in either order', () => {
    const text = '{"offset": 18554, "data": "I0610 07:10:04.871002 31337 executor_base.py:45] Running task\\n"}';
    const v = parseByteJson(Buffer.from(text)) as { offset: number; data: Buffer };
    expect(v.offset).toBe(18554);
    expect(v.data.toString()).toBe('I0610 07:10:04.871002 31337 executor_base.py:45] Running task\n');
  });

  it('parses the other JSON values', () => {
    const v = parseByteJson(Buffer.from(' [true, false, null, -1.5e3, {"a": []}, {}] '));
    expect(v).toEqual([true, false, null, -1500, { a: [] }, {}]);
  });

  it.each([
    ['a body cut inside the data', '{"data":"abc'],
    ['a body cut inside an escape', '{"data":"abc\\u00'],
    ['a body cut after the data', '{"data":"abc",'],
    ['a missing brace', '{"data":"abc","offset":1'],
    ['an empty body', ''],
    ['an HTML error page', '<html>502</html>'],
    ['trailing bytes', '{"offset":1} x'],
    ['a bad escape', '{"data":"\\q"}'],
    ['a bad number', '{"offset":01}'],
  ])('refuses %s, saying where', (_, text) => {
    expect(() => parseByteJson(Buffer.from(text))).toThrow(/at byte \d+/);
  });
});
