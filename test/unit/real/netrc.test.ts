import { describe, expect, it } from 'vitest';
import { netrcCredentials } from '../../../core/real/netrc.js';

describe('Aurora credentials from ~/.netrc, as the Aurora CLI reads them', () => {
  const netrc = [
    '# the CLI reads this file too',
    'machine aurora.dev.cantareira login ana password s3cret',
    'machine 10.0.0.9',
    '  login bot',
    '  password "not-quoted-really"',
    'default login anonymous password guest',
  ].join('\n');

  it('finds the entry of the scheduler host, on one line or several', () => {
    expect(netrcCredentials('aurora.dev.cantareira', netrc)).toEqual({ user: 'ana', password: 's3cret' });
    expect(netrcCredentials('10.0.0.9', netrc)).toEqual({ user: 'bot', password: '"not-quoted-really"' });
  });

  it('falls back to the default entry, and to nothing when there is none', () => {
    expect(netrcCredentials('other.host', netrc)).toEqual({ user: 'anonymous', password: 'guest' });
    expect(netrcCredentials('other.host', 'machine a login b password c')).toBeNull();
  });

  it('an entry without a password gives no credentials rather than an empty one', () => {
    expect(netrcCredentials('a', 'machine a login b')).toBeNull();
  });
});
