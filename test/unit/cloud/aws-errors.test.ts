import { describe, expect, it } from 'vitest';
import { clientToken } from '../../../core/cloud/aws-clients.js';
import { awsError } from '../../../core/cloud/aws-errors.js';

// Shaped like the SDK's ServiceException: the AWS code is the error's name.
const sdkError = (name: string, message: string, httpStatusCode = 400, attempts = 1) =>
  Object.assign(new Error(message), { name, $fault: httpStatusCode >= 500 ? 'server' : 'client', $metadata: { httpStatusCode, attempts } });

const ctx = { action: 'ec2:RunInstances', profile: 'cantareira-dev' };

describe('AWS errors as console errors', () => {
  it('throttling that outlasted the retries is AWS_THROTTLED, with the attempts', () => {
    const e = awsError(sdkError('RequestLimitExceeded', 'Request limit exceeded.', 400, 3), ctx);
    expect(e.code).toBe('AWS_THROTTLED');
    expect(e.message).toBe('AWS is throttling ec2:RunInstances (after 3 attempts).');
    expect(awsError(sdkError('Throttling', 'Rate exceeded'), ctx).code).toBe('AWS_THROTTLED');
  });

  it('an expired SSO session says which aws sso login to run', () => {
    const e = awsError(
      Object.assign(
        new Error(
          "The SSO session associated with this profile has expired. To refresh this SSO session run 'aws sso login' with the corresponding profile.",
        ),
        {
          name: 'CredentialsProviderError',
        },
      ),
      ctx,
    );
    expect(e.code).toBe('AWS_AUTH_EXPIRED');
    expect(e.hint).toBe('Run aws sso login --profile cantareira-dev, then retry.');
    expect(awsError(sdkError('ExpiredToken', 'The security token included in the request is expired'), ctx).code).toBe('AWS_AUTH_EXPIRED');
  });

  it('a denied call names the missing action, from the message when AWS gives it', () => {
    const denied = awsError(
      sdkError(
        'AccessDenied',
        'User: arn:aws:sts::1:assumed-role/x is not authorized to perform: autoscaling:SetDesiredCapacity on resource: g',
      ),
      ctx,
    );
    expect(denied.code).toBe('AWS_UNAUTHORIZED');
    expect(denied.message).toContain('autoscaling:SetDesiredCapacity');
    const encoded = awsError(
      sdkError('UnauthorizedOperation', 'You are not authorized to perform this operation. Encoded authorization failure message: abc'),
      ctx,
    );
    expect(encoded.message).toContain('ec2:RunInstances');
  });

  it('missing capacity names the type and the zone', () => {
    const e = awsError(
      sdkError(
        'InsufficientInstanceCapacity',
        'We currently do not have sufficient m5.2xlarge capacity in the Availability Zone you requested (us-east-1a).',
        500,
      ),
      ctx,
    );
    expect(e.code).toBe('AWS_CAPACITY');
    expect(e.message).toBe('AWS has no capacity for m5.2xlarge in us-east-1a right now.');
    const fromCtx = awsError(sdkError('InsufficientInstanceCapacity', 'Insufficient capacity.'), {
      ...ctx,
      instanceType: 'r5.4xlarge',
      zone: 'eu-west-1b',
    });
    expect(fromCtx.message).toBe('AWS has no capacity for r5.4xlarge in eu-west-1b right now.');
  });

  it('quotas, missing resources, invalid values, 5xx, network and the rest', () => {
    expect(awsError(sdkError('VcpuLimitExceeded', 'You have requested more vCPU capacity'), ctx).code).toBe('AWS_LIMIT');
    expect(awsError(sdkError('InvalidInstanceID.NotFound', "The instance ID 'i-1' does not exist"), ctx).code).toBe('AWS_NOT_FOUND');
    expect(awsError(sdkError('InvalidLaunchTemplateName.NotFoundException', 'no template'), ctx).code).toBe('AWS_NOT_FOUND');
    expect(awsError(sdkError('ValidationError', 'New SetDesiredCapacity value 9 is above max value 5'), ctx).code).toBe('AWS_INVALID');
    expect(awsError(sdkError('IdempotentParameterMismatch', 'token reused'), ctx).code).toBe('AWS_INVALID');
    expect(awsError(sdkError('ServiceUnavailable', 'down', 503, 3), ctx).code).toBe('AWS_UNAVAILABLE');
    expect(awsError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), ctx).code).toBe('AWS_UNAVAILABLE');
    expect(awsError(new Error('Region is missing'), ctx).hint).toBe(
      'Set the region in the cluster profile or in the AWS profile cantareira-dev.',
    );
    const other = awsError(sdkError('SomethingNew', 'odd'), ctx);
    expect([other.code, other.message]).toEqual(['AWS_FAILED', 'ec2:RunInstances failed: SomethingNew: odd']);
  });
});

describe('client tokens', () => {
  it('are stable per operation and launch, 64 characters, and differ when either differs', () => {
    const t = clientToken('op-1', 'specific:m5.large:');
    expect(t).toHaveLength(64);
    expect(clientToken('op-1', 'specific:m5.large:')).toBe(t);
    expect(clientToken('op-2', 'specific:m5.large:')).not.toBe(t);
    expect(clientToken('op-1', 'specific:m5n.large:')).not.toBe(t);
  });
});
