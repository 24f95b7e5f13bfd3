import { ConsoleError } from '../errors.js';

/**
 * AWS SDK errors turned into the console's stable codes, each with a message naming what failed
 * and a hint saying what to do. By the time an error reaches here the SDK's standard retry mode
 * has already retried throttling, 5xx and dropped connections, so "throttled" means "still
 * throttled after the retries".
 */

export interface AwsErrorContext {
  /** The IAM action the call needed, e.g. `ec2:RunInstances`; named when access is denied. */
  action: string;
  profile: string | undefined;
  instanceType?: string;
  zone?: string;
}

interface SdkErrorShape {
  name?: string;
  message?: string;
  code?: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

const throttling = new Set([
  'RequestLimitExceeded',
  'Throttling',
  'ThrottlingException',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'EC2ThrottledException',
  'PriorRequestNotComplete',
  'SlowDown',
]);
const authExpired = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'RequestExpired',
  'TokenRefreshRequired',
  'AuthFailure',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'CredentialsProviderError',
  'SSOTokenProviderFailure',
]);
const unauthorized = new Set(['UnauthorizedOperation', 'AccessDenied', 'AccessDeniedException']);
const capacity = new Set(['InsufficientInstanceCapacity', 'InsufficientCapacity', 'InsufficientHostCapacity', 'SpotMaxPriceTooLow']);
const limits = new Set([
  'InstanceLimitExceeded',
  'VcpuLimitExceeded',
  'LimitExceeded',
  'MaxSpotInstanceCountExceeded',
  'MaxSpotFleetRequestCountExceeded',
]);
const networkCodes = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

const loginHint = (profile: string | undefined) =>
  profile === undefined ? 'Sign in again (for SSO: run aws sso login), then retry.' : `Run aws sso login --profile ${profile}, then retry.`;

export function awsError(e: unknown, ctx: AwsErrorContext): ConsoleError {
  if (e instanceof ConsoleError) return e;
  const err = (typeof e === 'object' && e !== null ? e : { message: String(e) }) as SdkErrorShape;
  const name = err.name ?? '';
  const text = err.message ?? name;
  const status = err.$metadata?.httpStatusCode;
  const attempts = err.$metadata?.attempts;
  const tried = attempts !== undefined && attempts > 1 ? ` (after ${attempts} attempts)` : '';

  if (/^Region is missing/.test(text)) {
    // The SDK has no default region for EC2; it comes from the client, AWS_REGION or the profile.
    return new ConsoleError(
      'AWS_INVALID',
      'No AWS region is set for this cluster profile.',
      `Set the region in the cluster profile${ctx.profile ? ` or in the AWS profile ${ctx.profile}` : ''}.`,
    );
  }
  if (throttling.has(name)) {
    return new ConsoleError(
      'AWS_THROTTLED',
      `AWS is throttling ${ctx.action}${tried}.`,
      'Wait a minute and retry; nothing was changed by the refused call.',
    );
  }
  if (authExpired.has(name) || /sso login|sso session|token.*expired/i.test(text)) {
    return new ConsoleError('AWS_AUTH_EXPIRED', `The AWS credentials are missing or expired: ${text}`, loginHint(ctx.profile));
  }
  if (unauthorized.has(name)) {
    // AWS names the action in the message ("... is not authorized to perform: ec2:RunInstances ...").
    const action = /perform:\s*([a-z0-9-]+:[A-Za-z0-9]+)/.exec(text)?.[1] ?? ctx.action;
    return new ConsoleError(
      'AWS_UNAUTHORIZED',
      `The AWS principal is not allowed to call ${action}.`,
      `Ask an administrator to grant ${action} to the console's role (see the least-privilege policy), or switch AWS profile.`,
    );
  }
  if (capacity.has(name)) {
    const type = /sufficient\s+([a-z0-9-]+\.[a-z0-9-]+)\s+capacity/i.exec(text)?.[1] ?? ctx.instanceType ?? 'the requested type';
    const zone = /\(([a-z]{2}(?:-[a-z]+)+-\d[a-z])\)/.exec(text)?.[1] ?? ctx.zone ?? 'the chosen zone';
    return new ConsoleError(
      'AWS_CAPACITY',
      `AWS has no capacity for ${type} in ${zone} right now.`,
      'Retry later, choose another zone (subnet), or another compatible instance type.',
    );
  }
  if (limits.has(name)) {
    return new ConsoleError(
      'AWS_LIMIT',
      `An AWS account limit stops ${ctx.action}: ${text}`,
      'Lower the count, remove unused instances, or request a quota increase.',
    );
  }
  if (name.includes('NotFound') || name === 'NoSuchEntity' || (name === 'ValidationError' && /not found|does not exist/i.test(text))) {
    return new ConsoleError(
      'AWS_NOT_FOUND',
      `${ctx.action} found nothing: ${text}`,
      "Check the pool's AWS names in the profile (group, launch template, subnets).",
    );
  }
  if (
    name === 'ValidationError' ||
    name.startsWith('InvalidParameter') ||
    name === 'IdempotentParameterMismatch' ||
    name === 'MissingParameter'
  ) {
    return new ConsoleError(
      'AWS_INVALID',
      `AWS refused ${ctx.action}: ${text}`,
      'Check the values sent (profile, pool settings) and retry.',
    );
  }
  const code = err.code ?? '';
  if ((status !== undefined && status >= 500) || err.$fault === 'server' || networkCodes.has(code) || name === 'TimeoutError') {
    return new ConsoleError(
      'AWS_UNAVAILABLE',
      `AWS did not answer ${ctx.action}${tried}: ${text}`,
      'Check the network or the AWS status page, then retry.',
    );
  }
  return new ConsoleError(
    'AWS_FAILED',
    `${ctx.action} failed: ${name ? `${name}: ` : ''}${text}`,
    'Retry; if it keeps failing, report the message.',
  );
}

/** Runs one SDK call and maps its failure. */
export async function awsCall<T>(ctx: AwsErrorContext, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    throw awsError(e, ctx);
  }
}
