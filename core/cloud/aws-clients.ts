import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EC2Client, type EC2ClientConfig } from '@aws-sdk/client-ec2';
import { STSClient } from '@aws-sdk/client-sts';
import { fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers';

/** Where and as whom the console talks to AWS; one per cluster profile. */
export interface AwsConnection {
  /** AWS profile of ~/.aws/config (static keys, role_arn, credential_process or SSO). */
  profile?: string;
  /** Taken from the profile when absent. */
  region?: string;
  /** Overrides the AWS endpoint: moto in tests, never set for real clusters. */
  endpoint?: string;
  /** Explicit credentials, for tests; otherwise the profile's. */
  credentials?: EC2ClientConfig['credentials'];
  /** Attempts per call including the first (SDK standard retry mode); default 3. */
  maxAttempts?: number;
}

export interface AwsClients {
  ec2: EC2Client;
  autoScaling: AutoScalingClient;
  sts: STSClient;
  profile: string | undefined;
}

export function awsClients(conn: AwsConnection): AwsClients {
  // fromIni reads one named profile (keys, assumed roles, SSO); without a profile the default
  // chain (env, SSO cache, ini, metadata) applies. The profile also names the region.
  const credentials = conn.credentials ?? (conn.profile !== undefined ? fromIni({ profile: conn.profile }) : fromNodeProviderChain());
  const config = {
    credentials,
    // Standard mode: exponential backoff with jitter for throttling, 5xx and dropped
    // connections, reusing the request's ClientToken on every attempt.
    retryMode: 'standard',
    maxAttempts: conn.maxAttempts ?? 3,
    ...(conn.profile !== undefined ? { profile: conn.profile } : {}),
    ...(conn.region !== undefined ? { region: conn.region } : {}),
    ...(conn.endpoint !== undefined ? { endpoint: conn.endpoint } : {}),
  };
  return { ec2: new EC2Client(config), autoScaling: new AutoScalingClient(config), sts: new STSClient(config), profile: conn.profile };
}

export { clientToken } from './provider.js';
