import { describe, expect, it } from 'vitest';
import { objectPrefix } from '../../../core/mesos/object-prefix.js';
import { masterStateJson } from '../../integration/fixtures/mesos-examples.js';

const wanted = new Set(['pid', 'hostname', 'leader_info']);

describe('reading the head of a /master/state', () => {
  it('finds leader_info in the first bytes of the example state', () => {
    const head = masterStateJson.slice(0, masterStateJson.indexOf('"flags"'));
    const p = objectPrefix(head, wanted);
    expect(p.invalid).toBeNull();
    expect(p.complete).toBe(false);
    expect(p.members).toEqual({
      pid: 'master@10.20.0.5:5050',
      hostname: 'ip-10-20-0-5.ec2.internal',
      leader_info: {
        id: '4f1c2b7e-9a3d-4e65-b1d8-0c7a52e9f310',
        pid: 'master@10.20.0.5:5050',
        port: 5050,
        hostname: 'ip-10-20-0-5.ec2.internal',
      },
    });
    expect(p.keys.slice(0, 3)).toEqual(['version', 'build_date', 'build_time']);
  });

  it('reads the whole example, and only members that are complete in a cut text', () => {
    expect(objectPrefix(masterStateJson, wanted).complete).toBe(true);
    const cut = objectPrefix('{"pid":"master@1.2.3.4:5050","leader_info":{"pid":"mas', wanted);
    expect(cut.members).toEqual({ pid: 'master@1.2.3.4:5050' });
    expect(objectPrefix('{"n": 12', new Set(['n'])).members).toEqual({});
    expect(objectPrefix('{"n": 12}', new Set(['n'])).members).toEqual({ n: 12 });
  });

  it('is not fooled by braces and quotes inside strings', () => {
    const p = objectPrefix('{"a":"}{\\"]","b":{"c":"}"},"pid":"x"}', new Set(['b', 'pid']));
    expect(p.members).toEqual({ b: { c: '}' }, pid: 'x' });
  });

  it('says when the text is not a JSON object', () => {
    expect(objectPrefix('<html>', wanted).invalid).toMatch(/not start with a JSON object/);
    expect(objectPrefix('{"a" 1}', wanted).invalid).toMatch(/expected ':'/);
  });
});
