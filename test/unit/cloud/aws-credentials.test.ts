import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsProvider } from '../../../core/cloud/aws.js';
import { ConsoleError } from '../../../core/errors.js';

// An SSO profile with no cached token: what a laptop looks like when the SSO session ended.
let dir: string;
const saved = { config: process.env.AWS_CONFIG_FILE, credentials: process.env.AWS_SHARED_CREDENTIALS_FILE };
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cantareira-aws-'));
  fs.writeFileSync(
    path.join(dir, 'config'),
    [
      '[profile cantareira-dev]',
      'sso_session = corp',
      'sso_account_id = 123456789012',
      'sso_role_name = Ops',
      'region = us-east-1',
      '[sso-session corp]',
      'sso_start_url = https://corp.awsapps.example/start',
      'sso_region = us-east-1',
      '',
    ].join('\n'),
  );
  fs.writeFileSync(path.join(dir, 'credentials'), '');
  process.env.AWS_CONFIG_FILE = path.join(dir, 'config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials');
});
afterAll(() => {
  for (const [key, value] of [
    ['AWS_CONFIG_FILE', saved.config],
    ['AWS_SHARED_CREDENTIALS_FILE', saved.credentials],
  ] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('AWS credentials from a profile', () => {
  it('an SSO profile without a session asks for aws sso login with that profile', async () => {
    // The endpoint is never reached: signing needs credentials first.
    const aws = awsProvider({ profile: 'cantareira-dev', endpoint: 'http://127.0.0.1:9' });
    try {
      const e = await aws.listInstances('cantareira-dev-').then(
        () => null,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(ConsoleError);
      expect((e as ConsoleError).code).toBe('AWS_AUTH_EXPIRED');
      expect((e as ConsoleError).hint).toBe('Run aws sso login --profile cantareira-dev, then retry.');
    } finally {
      aws.close();
    }
  });
});
