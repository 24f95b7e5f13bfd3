import type { PoolKind } from '../../../core/contract';
import type { PoolForm, ProfileKind } from './draft';

/** What a pool field's default depends on. */
export interface DefaultsContext {
  /** The saved profile's id (an embedded profile's cloud names default to it); null before it is first saved. */
  profileId: string | null;
  /** A real cluster's cloud names default to its name. */
  profileName: string;
  profileKind: ProfileKind;
  pool: PoolForm;
}

/** A text field of a pool row, as data: which pools it applies to, and what empty means. */
export interface PoolField {
  id: Exclude<keyof PoolForm, 'key' | 'kind'>;
  label: string;
  description: string;
  /** Shown for this kind of profile (always shown when a pool has a value for it). */
  shownFor: readonly ProfileKind[];
  /** The kinds of pool that use it; for the others an empty field is disabled. */
  usedBy: readonly PoolKind[];
  /** What an empty field means. */
  placeholder: (c: DefaultsContext) => string;
  mono?: boolean;
  numeric?: boolean;
  /** The value that counts as not set, for showing a column only some profiles use (count's 0). */
  unset?: string;
  /** Column class, for its width. */
  className: string;
}

const allKinds: readonly PoolKind[] = ['fixed', 'on-demand', 'spot', 'specific'];
const idOf = (c: DefaultsContext) => (c.profileKind === 'mesos' ? c.profileName.trim() || '<profile>' : (c.profileId ?? '<profile id>'));
const nameOf = (c: DefaultsContext) => c.pool.name.trim() || '<pool>';

/** The first column, before the kind. */
export const poolNameField: PoolField = {
  id: 'name',
  label: 'Name',
  description: "The pool's name, also the slave-type attribute of its agents",
  shownFor: ['embedded', 'mesos'],
  usedBy: allKinds,
  placeholder: () => 'mesos-on-demand',
  mono: true,
  className: 'pool-col-name',
};

/** The columns after the kind. */
export const poolFields: readonly PoolField[] = [
  {
    id: 'instanceTypes',
    label: 'Instance types',
    description: 'One type; a spot pool may have several compatible ones (comma separated)',
    shownFor: ['embedded', 'mesos'],
    usedBy: allKinds,
    placeholder: () => 'm5.2xlarge',
    mono: true,
    className: 'pool-col-types',
  },
  {
    id: 'count',
    label: 'Starts with',
    description: 'Nodes the embedded cluster starts with',
    shownFor: ['embedded'],
    usedBy: allKinds,
    placeholder: () => '0',
    numeric: true,
    unset: '0',
    className: 'pool-col-num',
  },
  {
    id: 'namePrefix',
    label: 'Name-tag prefix',
    description: "The Name tag of the pool's instances starts with this; it is how the console finds them",
    shownFor: ['mesos'],
    usedBy: allKinds,
    placeholder: (c) => `${idOf(c)}-${nameOf(c)}-`,
    mono: true,
    className: 'pool-col-wide',
  },
  {
    id: 'autoScalingGroup',
    label: 'Auto Scaling group',
    description: 'The Auto Scaling group of an on-demand pool',
    shownFor: ['mesos'],
    usedBy: ['on-demand'],
    placeholder: (c) => `${idOf(c)}-${nameOf(c)}`,
    mono: true,
    className: 'pool-col-wide',
  },
  {
    id: 'launchTemplate',
    label: 'Launch template',
    description: 'Launch template (name or lt- id) of spot groups and specific instances',
    shownFor: ['mesos'],
    usedBy: ['spot', 'specific'],
    placeholder: (c) => `${idOf(c)}-${nameOf(c)}`,
    mono: true,
    className: 'pool-col-mid',
  },
  {
    id: 'subnetIds',
    label: 'Subnets',
    description: 'Subnets of spot groups and specific instances (comma separated)',
    shownFor: ['mesos'],
    usedBy: ['spot', 'specific'],
    placeholder: () => 'subnet-…, subnet-…',
    mono: true,
    className: 'pool-col-mid',
  },
  {
    id: 'maxCount',
    label: 'Max',
    description: 'The most nodes the console lets an on-demand pool reach',
    shownFor: ['embedded', 'mesos'],
    usedBy: ['on-demand'],
    placeholder: (c) => (c.profileKind === 'mesos' ? "group's" : String(Math.max(20, 2 * (Number(c.pool.count) || 0)))),
    numeric: true,
    className: 'pool-col-num',
  },
];

/** The fields to show: those of the profile's kind, and any other that a pool has a value for. */
export function shownFields(kind: ProfileKind, pools: readonly PoolForm[]): readonly PoolField[] {
  return poolFields.filter((f) => f.shownFor.includes(kind) || pools.some((p) => !['', f.unset].includes(p[f.id].trim())));
}
