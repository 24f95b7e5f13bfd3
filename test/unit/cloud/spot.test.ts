import { describe, expect, it } from 'vitest';
import { compatibleInstanceTypes, spotTypeKey } from '../../../core/model/spot.js';

const refused = (types: string[]) => {
  const r = compatibleInstanceTypes(types);
  if (r.ok) throw new Error(`expected ${types.join(', ')} to be refused`);
  return r.reason;
};

describe('spot instance-type compatibility', () => {
  it('accepts variants of one series, generation, size and architecture', () => {
    expect(compatibleInstanceTypes(['m5.2xlarge', 'm5n.2xlarge', 'm5d.2xlarge'])).toEqual({ ok: true });
    expect(compatibleInstanceTypes(['m5.2xlarge', 'm5a.2xlarge', 'm5dn.2xlarge', 'm5zn.2xlarge'])).toEqual({ ok: true });
    expect(compatibleInstanceTypes(['r5.large'])).toEqual({ ok: true });
  });

  it('refuses another series, naming the offending type', () => {
    const reason = refused(['m5.2xlarge', 'm5n.2xlarge', 'r5.2xlarge']);
    expect(reason).toContain('r5.2xlarge');
    expect(reason).toContain('series');
  });

  it('refuses another size', () => {
    const reason = refused(['m5.2xlarge', 'm5.xlarge']);
    expect(reason).toMatch(/m5\.xlarge.*size/);
  });

  it('refuses another generation', () => {
    expect(refused(['m5.2xlarge', 'm6i.2xlarge'])).toMatch(/m6i\.2xlarge.*generation/);
  });

  it('refuses Graviton next to x86 of the same generation', () => {
    const reason = refused(['m6i.2xlarge', 'm6g.2xlarge']);
    expect(reason).toMatch(/m6g\.2xlarge.*CPU architecture/);
    expect(compatibleInstanceTypes(['m6g.2xlarge', 'm6gd.2xlarge'])).toEqual({ ok: true });
    expect(compatibleInstanceTypes(['c7gn.xlarge', 'c7g.xlarge'])).toEqual({ ok: true });
  });

  it('refuses names that are not instance types, duplicates and an empty list', () => {
    expect(refused(['m5.2xlarge', 'big-box'])).toContain('big-box');
    expect(refused(['m5.2xlarge', 'm5.2xlarge'])).toContain('twice');
    expect(refused([])).toContain('at least one');
  });

  it('reads multi-letter series and -flex options', () => {
    expect(spotTypeKey('m7i-flex.large')).toEqual({ series: 'm', generation: 7, size: 'large', arch: 'x86_64' });
    expect(spotTypeKey('inf2.xlarge')).toEqual({ series: 'inf', generation: 2, size: 'xlarge', arch: 'x86_64' });
  });
});
