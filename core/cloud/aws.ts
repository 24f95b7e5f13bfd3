import { SetInstanceProtectionCommand, TerminateInstanceInAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import {
  CreateTagsCommand,
  DeleteTagsCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
  type _InstanceType,
} from '@aws-sdk/client-ec2';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { ConsoleError } from '../errors.js';
import { awsClients, clientToken, type AwsClients, type AwsConnection } from './aws-clients.js';
import { awsCall, awsError } from './aws-errors.js';
import { createSpotGroup, deleteSpotGroup, groupCapacity, scaleGroup } from './aws-groups.js';
import { chunks, describeByIds, listByNamePrefix } from './aws-instances.js';
import {
  cloudTags,
  type CloudInstance,
  type CloudProvider,
  type HoldRequest,
  type SpecificInstanceRequest,
  type SpecificInstanceResult,
} from './provider.js';

/** The `aws` CloudProvider: EC2 and Auto Scaling through SDK v3, for one profile and region. */
export function awsProvider(conn: AwsConnection): CloudProvider {
  const c = awsClients(conn);
  return {
    kind: 'aws',
    listInstances: (prefix) => listByNamePrefix(c, prefix),
    groupCapacity: (group) => groupCapacity(c, group),
    scaleGroup: (req) => scaleGroup(c, req),
    createSpotGroup: (req) => createSpotGroup(c, req),
    // Terminations are journaled by the caller; there is nothing new to tag.
    deleteSpotGroup: (_operationId, groupId) => deleteSpotGroup(c, groupId),
    launchSpecific: (req) => launchSpecific(c, req),
    downscale: (_operationId, ids, now) => downscale(c, ids, now),
    setHold: (req) => setHold(c, req),
    releaseHold: (_operationId, ids) => releaseHold(c, ids),
    async whoAmI() {
      const res = await awsCall({ action: 'sts:GetCallerIdentity', profile: c.profile }, () =>
        c.sts.send(new GetCallerIdentityCommand({})),
      );
      return res.Arn ?? null;
    },
    close() {
      c.ec2.destroy();
      c.autoScaling.destroy();
      c.sts.destroy();
    },
  };
}

async function launchSpecific(c: AwsClients, req: SpecificInstanceRequest): Promise<SpecificInstanceResult> {
  const token = clientToken(req.operationId, `specific:${req.instanceType}:${req.subnetId ?? ''}`);
  const tags = [
    { Key: cloudTags.name, Value: req.name },
    { Key: cloudTags.slaveType, Value: req.slaveType },
    { Key: cloudTags.operation, Value: req.operationId },
  ];
  const template = req.launchTemplate.startsWith('lt-')
    ? { LaunchTemplateId: req.launchTemplate, Version: '$Latest' }
    : { LaunchTemplateName: req.launchTemplate, Version: '$Latest' };
  try {
    const res = await c.ec2.send(
      new RunInstancesCommand({
        LaunchTemplate: template,
        InstanceType: req.instanceType as _InstanceType,
        // Min = Max: all or nothing (moto ignores MaxCount anyway).
        MinCount: 1,
        MaxCount: 1,
        ClientToken: token,
        ...(req.subnetId !== undefined ? { SubnetId: req.subnetId } : {}),
        // Tagged at launch, not afterwards: no window where the instance exists untagged.
        TagSpecifications: [
          { ResourceType: 'instance', Tags: tags },
          { ResourceType: 'volume', Tags: tags },
        ],
      }),
    );
    const id = res.Instances?.[0]?.InstanceId;
    if (!id)
      throw new ConsoleError(
        'AWS_FAILED',
        'RunInstances answered without an instance.',
        'Check the instances list for one tagged with this operation.',
      );
    return { clientToken: token, instanceId: id };
  } catch (e) {
    // Since 2025 EC2 answers a replayed token whose instance is gone with this error: the launch
    // happened, and its machine has been terminated since.
    if ((e as { name?: string }).name === 'IdempotentInstanceTerminated') return { clientToken: token, instanceId: null };
    throw awsError(e, { action: 'ec2:RunInstances', profile: c.profile, instanceType: req.instanceType });
  }
}

function refuseHeld(instances: CloudInstance[], now: number): void {
  const held = instances.filter((i) => i.hold !== null && i.hold.until > now);
  if (held.length === 0) return;
  throw new ConsoleError(
    'INSTANCE_HELD',
    `${held.length} of these instances are held: ${held
      .map((i) => `${i.id} until ${new Date(i.hold!.until).toISOString()} (${i.hold!.reason || 'no reason given'})`)
      .join('; ')}. Nothing was terminated.`,
    'Release the hold first, or leave these instances out.',
  );
}

async function downscale(c: AwsClients, ids: string[], now: number) {
  const instances = (await describeByIds(c, ids)).filter((i) => i.state !== 'terminated' && i.state !== 'shutting-down');
  refuseHeld(instances, now);
  const members = instances.filter((i) => i.autoScalingGroup !== null);
  const others = instances.filter((i) => i.autoScalingGroup === null).map((i) => i.id);
  for (const m of members) {
    // A plain TerminateInstances on a member would have the group launch a replacement.
    await awsCall({ action: 'autoscaling:TerminateInstanceInAutoScalingGroup', profile: c.profile }, () =>
      c.autoScaling.send(new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: m.id, ShouldDecrementDesiredCapacity: true })),
    );
  }
  for (const chunk of chunks(others, 100)) {
    await awsCall({ action: 'ec2:TerminateInstances', profile: c.profile }, () =>
      c.ec2.send(new TerminateInstancesCommand({ InstanceIds: chunk })),
    );
  }
  return { fromGroups: members.map((m) => m.id), terminated: others };
}

/** Group members by group, for SetInstanceProtection (at most 50 instances per call). */
function byGroup(instances: CloudInstance[]): [string, string[]][] {
  const groups = new Map<string, string[]>();
  for (const i of instances)
    if (i.autoScalingGroup !== null) groups.set(i.autoScalingGroup, [...(groups.get(i.autoScalingGroup) ?? []), i.id]);
  return [...groups.entries()].flatMap(([g, members]) => chunks(members, 50).map((part): [string, string[]] => [g, part]));
}

async function protect(c: AwsClients, instances: CloudInstance[], on: boolean): Promise<void> {
  for (const [group, members] of byGroup(instances)) {
    await awsCall({ action: 'autoscaling:SetInstanceProtection', profile: c.profile }, () =>
      c.autoScaling.send(new SetInstanceProtectionCommand({ AutoScalingGroupName: group, InstanceIds: members, ProtectedFromScaleIn: on })),
    );
  }
}

// The tag is the hold for everyone (teammates, other consoles, a restart); scale-in protection
// additionally stops the group itself from choosing a held member when its capacity drops.
async function setHold(c: AwsClients, req: HoldRequest): Promise<void> {
  const instances = await describeByIds(c, req.instanceIds);
  const tags = [
    { Key: cloudTags.holdUntil, Value: new Date(req.until).toISOString() },
    { Key: cloudTags.holdReason, Value: req.reason },
  ];
  for (const chunk of chunks(req.instanceIds, 100)) {
    await awsCall({ action: 'ec2:CreateTags', profile: c.profile }, () =>
      c.ec2.send(new CreateTagsCommand({ Resources: chunk, Tags: tags })),
    );
  }
  await protect(c, instances, true);
}

async function releaseHold(c: AwsClients, ids: string[]): Promise<void> {
  const instances = await describeByIds(c, ids);
  for (const chunk of chunks(ids, 100)) {
    await awsCall({ action: 'ec2:DeleteTags', profile: c.profile }, () =>
      c.ec2.send(new DeleteTagsCommand({ Resources: chunk, Tags: [{ Key: cloudTags.holdUntil }, { Key: cloudTags.holdReason }] })),
    );
  }
  await protect(c, instances, false);
}
