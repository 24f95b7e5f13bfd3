import { Tag } from '@blueprintjs/core';
import type { InstanceView } from '../../../core/contract';
import { hrefs } from '../../app/links';
import type { Column } from '../../components/columns';
import { LockIcon, WarningSignIcon } from '../../components/icons';
import { formatInstant, RelativeTime } from '../../components/RelativeTime';
import { missingAgent } from './format';
import { InstanceActions } from './InstanceActions';
import { InstanceStateTag } from './InstanceStateTag';

/** The machines table; `onHold` opens the hold dialog for one instance. */
export function instanceColumns(profileId: string, onHold: (i: InstanceView) => void): readonly Column<InstanceView>[] {
  return [
    { id: 'id', label: 'Instance', width: 150, fitContent: true, searchable: true, cellClassName: 'mono', getValue: (i) => i.id },
    { id: 'name', label: 'Name', width: 90, grow: 1, searchable: true, getValue: (i) => i.name },
    { id: 'pool', label: 'Pool', width: 120, fitContent: true, searchable: true, getValue: (i) => i.pool },
    {
      id: 'type',
      label: 'Type',
      description: 'Instance type; spot instances are marked',
      width: 124,
      searchable: true,
      getValue: (i) => (i.lifecycle === 'spot' ? `${i.type} spot` : i.type),
      render: (i) => (
        <>
          <span className="mono">{i.type}</span>
          {i.lifecycle === 'spot' && (
            <Tag minimal className="instance-spot" title="A spot instance: EC2 may take it back at two minutes' notice">
              spot
            </Tag>
          )}
        </>
      ),
    },
    { id: 'state', label: 'State', width: 84, getValue: (i) => i.state, render: (i) => <InstanceStateTag state={i.state} /> },
    {
      id: 'group',
      label: 'Group',
      description: 'The Auto Scaling group, or the spot group the instance was started in',
      width: 96,
      grow: 1,
      searchable: true,
      cellClassName: 'mono',
      getValue: (i) => i.autoScalingGroup ?? i.spotGroup,
    },
    {
      id: 'launched',
      label: 'Launched',
      width: 76,
      getValue: (i) => i.launchTime,
      render: (i) => (i.launchTime === null ? null : <RelativeTime at={i.launchTime} />),
    },
    { id: 'ip', label: 'Private IP', width: 96, searchable: true, cellClassName: 'mono', getValue: (i) => i.privateIp },
    {
      id: 'agent',
      label: 'Agent',
      description: 'The agent registered from this machine (matched by private IP), and its active tasks',
      width: 160,
      grow: 2,
      searchable: true,
      getValue: (i) => i.agent?.hostname ?? (missingAgent(i) ? 'no agent' : null),
      render: (i) =>
        i.agent ? (
          <span className="instance-agent">
            <a href={hrefs.agent(i.agent.id)}>{i.agent.hostname}</a>
            <span className="muted"> · {i.agent.activeTasks} tasks</span>
          </span>
        ) : missingAgent(i) ? (
          <Tag minimal intent="warning" icon={<WarningSignIcon size={12} />} title="Running, but no agent registered from its IP">
            no agent
          </Tag>
        ) : null,
    },
    {
      id: 'hold',
      label: 'Hold',
      description: 'Kept up until, and why (on the instance, or through its pool)',
      width: 110,
      grow: 2,
      searchable: true,
      getValue: (i) => (i.hold ? i.hold.reason : null),
      render: (i) =>
        i.hold ? (
          <span
            className="instance-hold"
            title={`Held ${i.hold.via === 'pool' ? 'with its pool' : 'on its own'} until ${formatInstant(i.hold.until)}: ${i.hold.reason}${i.hold.id === null ? ' (known only from the machine’s tag: set outside this console)' : ''}`}
          >
            <LockIcon size={12} className="instance-hold-icon" />
            {formatInstant(i.hold.until).slice(5, 16)}
            {i.hold.via === 'pool' && <span className="muted"> (pool)</span>} · {i.hold.reason}
          </span>
        ) : null,
    },
    {
      id: 'actions',
      label: '',
      width: 164,
      sortable: false,
      getValue: () => null,
      render: (i) => <InstanceActions profileId={profileId} instance={i} onHold={onHold} />,
    },
  ];
}
