import type { Profile } from '../contract/profiles.js';

/**
 * The profile `npm start` opens with no configuration: one fixed agent and two on-demand ones,
 * plus empty spot and model pools that scaling fills later. Types match the real pools, so a
 * job that fits here fits there.
 */
export const embeddedProfile: Omit<Profile, 'createdAt' | 'updatedAt'> = {
  id: 'embedded',
  name: 'embedded',
  kind: 'embedded',
  builtin: true,
  aws: null,
  mesos: null,
  aurora: null,
  pools: [
    { name: 'mesos-fixed', kind: 'fixed', instanceTypes: ['m5.2xlarge'], count: 1 },
    { name: 'mesos-on-demand', kind: 'on-demand', instanceTypes: ['m5.xlarge'], count: 2 },
    { name: 'mesos-spot', kind: 'spot', instanceTypes: ['m5.2xlarge', 'm5n.2xlarge', 'm5d.2xlarge'], count: 0 },
    { name: 'model', kind: 'specific', instanceTypes: ['r5.2xlarge'], count: 0 },
  ],
};
