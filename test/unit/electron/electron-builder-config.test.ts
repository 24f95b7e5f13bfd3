import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';

// electron-builder.yml, read the way electron-builder reads it and checked against its own
// JSON schema (app-builder-lib/scheme.json), so a misspelt or misplaced key fails here instead
// of on the networked packaging machine.

const root = path.resolve(import.meta.dirname, '../../..');
const require = createRequire(path.join(root, 'package.json'));
const { findAndReadConfig } = require('app-builder-lib/out/util/config/load.js') as {
  findAndReadConfig: (r: {
    packageKey: string;
    configFilename: string;
    projectDir: string;
    packageMetadata: null;
  }) => Promise<{ configFile: string | null; result: Record<string, unknown> } | null>;
};
const schema = require('app-builder-lib/scheme.json') as object;
// The options electron-builder's own validator uses (app-builder-lib/out/util/config/schemaValidator.js).
const validate = new Ajv({ allErrors: true, coerceTypes: true, strict: false }).compile(schema);

const config = async () => {
  const read = await findAndReadConfig({
    packageKey: 'build',
    configFilename: 'electron-builder',
    projectDir: root,
    packageMetadata: null,
  });
  expect(read?.configFile).toBe(path.join(root, 'electron-builder.yml'));
  return read!.result;
};

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const b = fs.readFileSync(file);
  expect(b.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

describe('electron-builder.yml', () => {
  it("matches electron-builder's own schema", async () => {
    const ok = validate(structuredClone(await config()));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema check does catch a misspelt key (so the test above means something)', async () => {
    expect(validate({ ...(await config()), asarUnpak: ['**/*.node'] })).toBe(false);
    expect(validate({ ...(await config()), npmRebuild: 'sometimes' })).toBe(false);
  });

  it('unpacks the native SQLite driver and both worker bundles, and rebuilds nothing (better-sqlite3 13 is Node-API)', async () => {
    const c = await config();
    expect(c.asarUnpack).toEqual(expect.arrayContaining(['**/*.node', 'out/electron/scan-worker.mjs', 'out/electron/state-thread.mjs']));
    expect(c.npmRebuild).toBe(false);
    const build = fs.readFileSync(path.join(root, 'scripts/build.mjs'), 'utf8');
    for (const worker of ['out/electron/scan-worker.mjs', 'out/electron/state-thread.mjs']) expect(build).toContain(`outfile: '${worker}'`);
  });

  it('names icons that exist, at the sizes electron-builder wants', async () => {
    const c = (await config()) as { linux: { icon: string }; mac: { icon: string }; win: { icon: string } };
    expect(pngSize(path.join(root, c.mac.icon))).toEqual({ width: 512, height: 512 });
    expect(pngSize(path.join(root, c.win.icon))).toEqual({ width: 512, height: 512 });
    for (const n of [16, 32, 48, 64, 128, 256, 512]) {
      expect(pngSize(path.join(root, c.linux.icon, `${n}x${n}.png`))).toEqual({ width: n, height: n });
    }
  });
});
