import { Tag } from '@blueprintjs/core';
import type { Profile } from '../../../core/contract';
import type { Column } from '../../components/columns';
import { formatInstant, RelativeTime } from '../../components/RelativeTime';
import { machinesText, poolsText, profileKindLabel } from './format';
import { ProfileActions, type ProfileRowActions } from './ProfileActions';

/** The profiles table; the open one is marked, and each row carries its actions. */
export function profileColumns(actions: ProfileRowActions): readonly Column<Profile>[] {
  return [
    {
      id: 'name',
      label: 'Name',
      width: 180,
      fitContent: true,
      getValue: (p) => p.name,
      render: (p) => (
        <span className="profile-name-cell">
          <strong className="mono">{p.name}</strong>
          {p.id === actions.activeId && (
            <Tag intent="success" round className="profile-open-tag" title="The profile every other screen shows">
              open
            </Tag>
          )}
          {p.builtin && (
            <Tag minimal round title="Comes with the console; it cannot be changed, but a copy can">
              built in
            </Tag>
          )}
        </span>
      ),
    },
    { id: 'kind', label: 'Kind', width: 130, getValue: (p) => profileKindLabel[p.kind] },
    {
      id: 'pools',
      label: 'Pools',
      description: 'How many pools, and each with its kind',
      width: 240,
      grow: 3,
      getValue: (p) => poolsText(p),
      render: (p) => (
        <span>
          <strong className="profile-pool-count">{p.pools.length}</strong>{' '}
          <span className="muted">{p.pools.length === 0 ? 'no pools' : poolsText(p)}</span>
        </span>
      ),
    },
    {
      id: 'machines',
      label: 'Machines',
      description: 'Where its machines come from: an AWS account (AWS profile and region), or this computer',
      width: 240,
      grow: 1,
      getValue: (p) => (p.aws?.endpoint ? `${machinesText(p)} · endpoint ${p.aws.endpoint}` : machinesText(p)),
      render: (p) => (
        <span>
          {machinesText(p)}
          {p.aws?.endpoint && (
            <Tag minimal className="profile-endpoint-tag" title={`AWS calls go to ${p.aws.endpoint} (an emulator)`}>
              emulator
            </Tag>
          )}
        </span>
      ),
    },
    {
      id: 'updated',
      label: 'Saved',
      width: 90,
      getValue: (p) => p.updatedAt,
      render: (p) => (
        <span title={`Last saved ${formatInstant(p.updatedAt)}`}>
          <RelativeTime at={p.updatedAt} />
        </span>
      ),
    },
    {
      id: 'actions',
      label: '',
      width: 350,
      sortable: false,
      getValue: () => null,
      render: (p) => <ProfileActions profile={p} actions={actions} />,
    },
  ];
}
