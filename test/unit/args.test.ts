import { describe, expect, it } from 'vitest';
import { parseHostArgs, profileTarget } from '../../electron/args.js';
import { defaultDataDir } from '../../core/paths.js';

describe('command-line flags', () => {
  it('reads --flag value and --flag=value', () => {
    expect(parseHostArgs(['--data-dir', '/tmp/x', '--port=8080', '--profile', 'dev'], { allowUnknown: false })).toEqual({
      ok: true,
      args: { dataDir: '/tmp/x', port: 8080, profile: 'dev' },
    });
  });

  it('the headless host refuses an unknown flag and shows the usage; Electron ignores it', () => {
    const refused = parseHostArgs(['--verbose'], { allowUnknown: false });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.message).toMatch(/Unknown option --verbose[\s\S]*usage: npm start/);
    expect(parseHostArgs(['--no-sandbox', '--port', '1'], { allowUnknown: true })).toEqual({ ok: true, args: { port: 1 } });
  });

  it('says which flag lacks a value or has a bad one', () => {
    expect(parseHostArgs(['--data-dir'], { allowUnknown: false })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/--data-dir needs a value/),
    });
    expect(parseHostArgs(['--port', 'eighty'], { allowUnknown: false })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/--port must be/),
    });
    expect(parseHostArgs(['--port', '70000'], { allowUnknown: false }).ok).toBe(false);
  });
});

describe('one-line start on a real cluster', () => {
  it('takes the masters, the scheduler and a name', () => {
    expect(
      parseHostArgs(
        ['--mesos-master', 'http://10.0.0.1:5050,http://10.0.0.2:5050', '--aurora=http://10.0.0.1:8081', '--name', 'cantareira-dev'],
        { allowUnknown: false },
      ),
    ).toEqual({
      ok: true,
      args: { mesosMasters: ['http://10.0.0.1:5050', 'http://10.0.0.2:5050'], aurora: 'http://10.0.0.1:8081', name: 'cantareira-dev' },
    });
  });

  it('refuses a master that is not an http(s) URL, and says what one looks like', () => {
    expect(parseHostArgs(['--mesos-master', '10.0.0.1:5050'], { allowUnknown: false })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/http:\/\/10\.0\.0\.1:5050,http/),
    });
    expect(parseHostArgs(['--mesos-master', 'http://a:5050', '--aurora', 'ftp://x'], { allowUnknown: false }).ok).toBe(false);
  });

  it('opens the cluster named on the command line, else the profile asked for', () => {
    expect(profileTarget({ mesosMasters: ['http://a:5050'], name: 'dev' })).toEqual({
      connect: { masters: ['http://a:5050'], name: 'dev' },
    });
    expect(profileTarget({ profile: 'dev' })).toEqual({ profileId: 'dev' });
    expect(profileTarget({})).toEqual({});
  });

  it('--aurora and --name need --mesos-master, and --profile is one or the other', () => {
    expect(parseHostArgs(['--aurora', 'http://a:8081'], { allowUnknown: false })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/give its --mesos-master/),
    });
    expect(parseHostArgs(['--profile', 'dev', '--mesos-master', 'http://a:5050'], { allowUnknown: false }).ok).toBe(false);
  });
});

describe('where data lives', () => {
  it('follows XDG on Linux, Application Support on macOS, APPDATA on Windows', () => {
    expect(defaultDataDir({}, 'linux', '/home/ana')).toBe('/home/ana/.local/share/cantareira-console');
    expect(defaultDataDir({ XDG_DATA_HOME: '/data' }, 'linux', '/home/ana')).toBe('/data/cantareira-console');
    expect(defaultDataDir({ XDG_DATA_HOME: 'relative' }, 'linux', '/home/ana')).toBe('/home/ana/.local/share/cantareira-console');
    expect(defaultDataDir({}, 'darwin', '/Users/ana')).toBe('/Users/ana/Library/Application Support/Cantareira Console');
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ana')).toMatch(
      /Roaming.Cantareira Console$/,
    );
  });

  it('CANTAREIRA_DATA_DIR overrides the convention', () => {
    expect(defaultDataDir({ CANTAREIRA_DATA_DIR: '/srv/cc', XDG_DATA_HOME: '/data' }, 'linux', '/home/ana')).toBe('/srv/cc');
  });
});

describe('sandbox garbage collection settings', () => {
  it('keep finished sandboxes 7 days and 20 GiB unless the environment says otherwise', async () => {
    const { sandboxGcSettings } = await import('../../core/embedded/runtime.js');
    expect(sandboxGcSettings({})).toMatchObject({ maxAgeMs: 7 * 86_400_000, maxTotalBytes: 20 * 1024 ** 3 });
    expect(sandboxGcSettings({ CANTAREIRA_SANDBOX_MAX_AGE_HOURS: '12', CANTAREIRA_SANDBOX_MAX_GB: '1.5' })).toMatchObject({
      maxAgeMs: 12 * 3_600_000,
      maxTotalBytes: 1.5 * 1024 ** 3,
    });
    expect(sandboxGcSettings({ CANTAREIRA_SANDBOX_MAX_AGE_HOURS: 'soon', CANTAREIRA_SANDBOX_MAX_GB: '-1' })).toMatchObject({
      maxAgeMs: 7 * 86_400_000,
      maxTotalBytes: 20 * 1024 ** 3,
    });
  });
});
