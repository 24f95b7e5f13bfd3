import crypto from 'node:crypto';

/**
 * The console's view of the machines behind a cluster's pools. One interface, two
 * implementations: `aws` (EC2 + Auto Scaling) and, later, `local` (the embedded cluster's agents).
 *
 * Every mutating method takes the id of the journaled operation it belongs to and tags what it
 * launches with it (`cantareira:operation`), so after a crash the journal can be reconciled from
 * the tags. Nothing here knows about Mesos: matching instances to agents happens in console.ts.
 */

/** Tag keys the console writes on instances. Renaming one orphans existing holds and launches. */
export const cloudTags = {
  name: 'Name',
  slaveType: 'slave-type',
  operation: 'cantareira:operation',
  /** The console's name of the spot group an instance was launched in. */
  spotGroup: 'cantareira:spot-group',
  holdUntil: 'cantareira:hold-until',
  holdReason: 'cantareira:hold-reason',
  /** Set by Auto Scaling itself on group members. */
  autoScalingGroup: 'aws:autoscaling:groupName',
} as const;

export type InstanceState = 'pending' | 'running' | 'stopping' | 'stopped' | 'shutting-down' | 'terminated';

export interface Hold {
  /** Epoch ms; a hold past this time no longer protects the instance. */
  until: number;
  reason: string;
}

export interface CloudInstance {
  id: string;
  name: string | null;
  type: string;
  state: InstanceState;
  lifecycle: 'spot' | 'on-demand';
  /** Auto Scaling group the instance belongs to, or null for spot-group and specific instances. */
  autoScalingGroup: string | null;
  launchTime: number | null;
  privateIp: string | null;
  zone: string | null;
  /** The spot group it was launched in (its `cantareira:spot-group` tag), or null. */
  spotGroup: string | null;
  /** The operation that launched it, from its `cantareira:operation` tag. */
  operationId: string | null;
  hold: Hold | null;
  tags: Record<string, string>;
}

export interface GroupCapacity {
  name: string;
  min: number;
  max: number;
  desired: number;
  /** Members InService and Healthy. */
  inService: number;
  instanceIds: string[];
}

export interface ScaleGroupRequest {
  operationId: string;
  group: string;
  desired: number;
}

export interface ScaleGroupResult {
  group: string;
  previous: number;
  desired: number;
  min: number;
  max: number;
}

export interface SpotGroupRequest {
  operationId: string;
  /** The console's name for the group, tagged on its instances (the fleet id is AWS's). */
  groupName: string;
  launchTemplate: string;
  /** Compatible types (core/model/spot.ts); one Fleet override per type and subnet. */
  instanceTypes: string[];
  subnetIds: string[];
  count: number;
  /** Name tag of every instance; the Name-tag prefix of the pool followed by the run's id. */
  name: string;
  slaveType: string;
}

export interface SpotGroupResult {
  groupId: string;
  requested: number;
  instanceIds: string[];
  /** Why fewer than `requested` arrived, one line per Fleet error; empty when fulfilled. */
  shortfall: string[];
}

export interface SpecificInstanceRequest {
  operationId: string;
  launchTemplate: string;
  instanceType: string;
  name: string;
  slaveType: string;
  subnetId?: string;
}

export interface SpecificInstanceResult {
  clientToken: string;
  /** Null when the token's instance was launched before and has since been terminated. */
  instanceId: string | null;
}

export interface DownscaleResult {
  /** Group members removed with their group's desired capacity lowered. */
  fromGroups: string[];
  /** Other instances terminated. */
  terminated: string[];
}

export interface HoldRequest {
  operationId: string;
  instanceIds: string[];
  until: number;
  reason: string;
}

export interface CloudProvider {
  readonly kind: 'aws' | 'local';
  /** Live instances whose Name tag starts with `namePrefix` (terminated ones are left out). */
  listInstances(namePrefix: string): Promise<CloudInstance[]>;
  groupCapacity(group: string): Promise<GroupCapacity>;
  /** Sets the group's desired capacity; refuses values outside its min/max. */
  scaleGroup(req: ScaleGroupRequest): Promise<ScaleGroupResult>;
  createSpotGroup(req: SpotGroupRequest): Promise<SpotGroupResult>;
  /** Deletes the group and terminates its instances. */
  deleteSpotGroup(operationId: string, groupId: string): Promise<void>;
  launchSpecific(req: SpecificInstanceRequest): Promise<SpecificInstanceResult>;
  /** Removes exactly these instances; refuses all of them if any is held. */
  downscale(operationId: string, instanceIds: string[], now: number): Promise<DownscaleResult>;
  setHold(req: HoldRequest): Promise<void>;
  releaseHold(operationId: string, instanceIds: string[]): Promise<void>;
  /** The AWS principal calls are made as (STS GetCallerIdentity), or null for local machines. */
  whoAmI(): Promise<string | null>;
  /** Frees connections; called when the profile is switched or the console quits. */
  close(): void;
}

/**
 * The idempotency token of one launch of an operation. EC2 returns the original result when a
 * call is repeated with the same token (a retry, a double-click, a re-run after a crash), so it
 * must be derived from the journaled operation, never random. The slot includes what the call
 * launches (type, subnet): EC2 rejects a reused token with different parameters.
 */
export function clientToken(operationId: string, slot: string): string {
  return crypto.createHash('sha256').update(`${operationId}:${slot}`).digest('hex').slice(0, 64);
}
