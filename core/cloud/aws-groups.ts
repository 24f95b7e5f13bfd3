import { CreateOrUpdateTagsCommand, DescribeAutoScalingGroupsCommand, SetDesiredCapacityCommand } from '@aws-sdk/client-auto-scaling';
import { CreateFleetCommand, DeleteFleetsCommand, type FleetLaunchTemplateOverridesRequest, type _InstanceType } from '@aws-sdk/client-ec2';
import { ConsoleError } from '../errors.js';
import { compatibleInstanceTypes } from '../model/spot.js';
import { clientToken, type AwsClients } from './aws-clients.js';
import { awsCall } from './aws-errors.js';
import {
  cloudTags,
  type GroupCapacity,
  type ScaleGroupRequest,
  type ScaleGroupResult,
  type SpotGroupRequest,
  type SpotGroupResult,
} from './provider.js';

export async function groupCapacity(c: AwsClients, group: string): Promise<GroupCapacity> {
  const res = await awsCall({ action: 'autoscaling:DescribeAutoScalingGroups', profile: c.profile }, () =>
    c.autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [group] })),
  );
  const g = res.AutoScalingGroups?.[0];
  if (!g) {
    throw new ConsoleError('AWS_NOT_FOUND', `Auto Scaling group ${group} does not exist.`, "Check the pool's group name in the profile.");
  }
  const members = g.Instances ?? [];
  return {
    name: group,
    min: g.MinSize ?? 0,
    max: g.MaxSize ?? 0,
    desired: g.DesiredCapacity ?? 0,
    inService: members.filter((m) => m.LifecycleState === 'InService' && m.HealthStatus === 'Healthy').length,
    instanceIds: members.flatMap((m) => (m.InstanceId ? [m.InstanceId] : [])),
  };
}

export async function scaleGroup(c: AwsClients, req: ScaleGroupRequest): Promise<ScaleGroupResult> {
  const g = await groupCapacity(c, req.group);
  // AWS refuses this too, but moto does not, and the user deserves the limits up front.
  if (!Number.isInteger(req.desired) || req.desired < g.min || req.desired > g.max) {
    throw new ConsoleError(
      'SCALE_OUT_OF_RANGE',
      `${req.group} can run between ${g.min} and ${g.max} instances; ${req.desired} is outside that range.`,
      `Choose a count from ${g.min} to ${g.max}, or change the group's limits in AWS first.`,
    );
  }
  // A propagated group tag is how instances the group launches carry the operation's id.
  await awsCall({ action: 'autoscaling:CreateOrUpdateTags', profile: c.profile }, () =>
    c.autoScaling.send(
      new CreateOrUpdateTagsCommand({
        Tags: [
          {
            ResourceId: req.group,
            ResourceType: 'auto-scaling-group',
            Key: cloudTags.operation,
            Value: req.operationId,
            PropagateAtLaunch: true,
          },
        ],
      }),
    ),
  );
  await awsCall({ action: 'autoscaling:SetDesiredCapacity', profile: c.profile }, () =>
    c.autoScaling.send(
      new SetDesiredCapacityCommand({ AutoScalingGroupName: req.group, DesiredCapacity: req.desired, HonorCooldown: false }),
    ),
  );
  return { group: req.group, previous: g.desired, desired: req.desired, min: g.min, max: g.max };
}

const templateSpec = (t: string) =>
  t.startsWith('lt-') ? { LaunchTemplateId: t, Version: '$Latest' } : { LaunchTemplateName: t, Version: '$Latest' };

export async function createSpotGroup(c: AwsClients, req: SpotGroupRequest): Promise<SpotGroupResult> {
  // Checked before any call: a mixed group would break placement on the Mesos side.
  const fit = compatibleInstanceTypes(req.instanceTypes);
  if (!fit.ok) {
    throw new ConsoleError(
      'SPOT_TYPES_INCOMPATIBLE',
      fit.reason,
      'Use variants of one type only, e.g. m5.2xlarge, m5n.2xlarge and m5d.2xlarge.',
    );
  }
  if (!Number.isInteger(req.count) || req.count < 1) {
    throw new ConsoleError('AWS_INVALID', `A spot group needs at least one instance; ${req.count} was asked for.`);
  }
  const subnets: (string | undefined)[] = req.subnetIds.length > 0 ? req.subnetIds : [undefined];
  // The SDK's type union lags new instance types; the names were checked above.
  const overrides: FleetLaunchTemplateOverridesRequest[] = req.instanceTypes.flatMap((name) => {
    const type = name as _InstanceType;
    return subnets.map((subnet) => (subnet === undefined ? { InstanceType: type } : { InstanceType: type, SubnetId: subnet }));
  });
  const tags = [
    { Key: cloudTags.name, Value: req.name },
    { Key: cloudTags.slaveType, Value: req.slaveType },
    { Key: cloudTags.operation, Value: req.operationId },
    { Key: cloudTags.spotGroup, Value: req.groupName },
  ];
  const res = await awsCall({ action: 'ec2:CreateFleet', profile: c.profile, instanceType: req.instanceTypes.join(', ') }, () =>
    c.ec2.send(
      new CreateFleetCommand({
        Type: 'instant',
        ClientToken: clientToken(req.operationId, `spot:${req.instanceTypes.join(',')}:${req.subnetIds.join(',')}`),
        LaunchTemplateConfigs: [{ LaunchTemplateSpecification: templateSpec(req.launchTemplate), Overrides: overrides }],
        TargetCapacitySpecification: { TotalTargetCapacity: req.count, DefaultTargetCapacityType: 'spot' },
        // AllocationStrategy is always sent: moto fails without it, AWS would pick lowest-price.
        SpotOptions: { AllocationStrategy: 'price-capacity-optimized', InstanceInterruptionBehavior: 'terminate' },
        TagSpecifications: [
          { ResourceType: 'instance', Tags: tags },
          { ResourceType: 'fleet', Tags: tags },
        ],
      }),
    ),
  );
  if (!res.FleetId)
    throw new ConsoleError(
      'AWS_FAILED',
      'CreateFleet answered without a fleet id.',
      'Check the EC2 console for a fleet tagged with this operation.',
    );
  const instanceIds = (res.Instances ?? []).flatMap((i) => i.InstanceIds ?? []);
  // Partial fulfilment is normal for spot: report why, and let the user keep or release the group.
  const shortfall = (res.Errors ?? []).map((e) => {
    const o = e.LaunchTemplateAndOverrides?.Overrides;
    const where = o ? ` (${o.InstanceType ?? '?'}${o.SubnetId ? ` in ${o.SubnetId}` : ''})` : '';
    return `${e.ErrorCode ?? 'Error'}: ${e.ErrorMessage ?? ''}${where}`;
  });
  if (instanceIds.length < req.count && shortfall.length === 0)
    shortfall.push(`Only ${instanceIds.length} of ${req.count} instances were launched.`);
  return { groupId: res.FleetId, requested: req.count, instanceIds, shortfall };
}

export async function deleteSpotGroup(c: AwsClients, groupId: string): Promise<void> {
  // Deleting an instant fleet with TerminateInstances ends its instances with it.
  const res = await awsCall({ action: 'ec2:DeleteFleets', profile: c.profile }, () =>
    c.ec2.send(new DeleteFleetsCommand({ FleetIds: [groupId], TerminateInstances: true })),
  );
  const failed = res.UnsuccessfulFleetDeletions?.[0];
  if (failed) {
    const code = failed.Error?.Code ?? 'Error';
    throw new ConsoleError(
      code.includes('NotFound') ? 'AWS_NOT_FOUND' : 'AWS_FAILED',
      `Spot group ${groupId} was not deleted: ${code}: ${failed.Error?.Message ?? ''}`,
      'Retry, or terminate its instances from the instances list.',
    );
  }
}
