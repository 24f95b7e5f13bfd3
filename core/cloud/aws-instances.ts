import { DescribeInstancesCommand, paginateDescribeInstances, type Instance } from '@aws-sdk/client-ec2';
import type { AwsClients } from './aws-clients.js';
import { awsCall } from './aws-errors.js';
import { cloudTags, type CloudInstance, type Hold, type InstanceState } from './provider.js';

// Terminated instances stay visible for about an hour; the console never shows them as machines.
const liveStates: InstanceState[] = ['pending', 'running', 'stopping', 'stopped', 'shutting-down'];

function holdOf(tags: Record<string, string>): Hold | null {
  const until = tags[cloudTags.holdUntil];
  if (until === undefined) return null;
  const at = Date.parse(until);
  return Number.isNaN(at) ? null : { until: at, reason: tags[cloudTags.holdReason] ?? '' };
}

export function toCloudInstance(i: Instance): CloudInstance {
  const tags: Record<string, string> = {};
  for (const t of i.Tags ?? []) if (t.Key !== undefined) tags[t.Key] = t.Value ?? '';
  return {
    id: i.InstanceId ?? '',
    name: tags[cloudTags.name] ?? null,
    type: i.InstanceType ?? '',
    state: (i.State?.Name ?? 'pending') as InstanceState,
    // EC2 sets InstanceLifecycle only for spot (and scheduled) instances.
    lifecycle: i.InstanceLifecycle === 'spot' ? 'spot' : 'on-demand',
    autoScalingGroup: tags[cloudTags.autoScalingGroup] ?? null,
    launchTime: i.LaunchTime ? i.LaunchTime.getTime() : null,
    privateIp: i.PrivateIpAddress ?? null,
    zone: i.Placement?.AvailabilityZone ?? null,
    spotGroup: tags[cloudTags.spotGroup] ?? null,
    operationId: tags[cloudTags.operation] ?? null,
    hold: holdOf(tags),
    tags,
  };
}

export async function listByNamePrefix(c: AwsClients, namePrefix: string): Promise<CloudInstance[]> {
  const out: CloudInstance[] = [];
  // Server-side filters only on what moto and AWS both support (not instance-lifecycle), paginated
  // because unpaginated DescribeInstances draws on a smaller throttle bucket.
  const pages = paginateDescribeInstances(
    { client: c.ec2, pageSize: 100 },
    {
      Filters: [
        { Name: `tag:${cloudTags.name}`, Values: [`${namePrefix.replace(/[*?\\]/g, '\\$&')}*`] },
        { Name: 'instance-state-name', Values: liveStates },
      ],
    },
  );
  await awsCall({ action: 'ec2:DescribeInstances', profile: c.profile }, async () => {
    for await (const page of pages) {
      for (const r of page.Reservations ?? []) for (const i of r.Instances ?? []) out.push(toCloudInstance(i));
    }
  });
  return out.sort((a, b) => (a.launchTime ?? 0) - (b.launchTime ?? 0) || a.id.localeCompare(b.id));
}

/** The given instances, in chunks (InstanceIds cannot be combined with MaxResults). */
export async function describeByIds(c: AwsClients, ids: string[]): Promise<CloudInstance[]> {
  const out: CloudInstance[] = [];
  for (let i = 0; i < ids.length; i += 100) {
    const res = await awsCall({ action: 'ec2:DescribeInstances', profile: c.profile }, () =>
      c.ec2.send(new DescribeInstancesCommand({ InstanceIds: ids.slice(i, i + 100) })),
    );
    for (const r of res.Reservations ?? []) for (const inst of r.Instances ?? []) out.push(toCloudInstance(inst));
  }
  return out;
}

export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
