import { Tag } from '@blueprintjs/core';
import type { Agent } from '../../../core/contract';
import type { Column } from '../../components/columns';
import { CopyableText } from '../../components/CopyableText';
import { RelativeTime } from '../../components/RelativeTime';
import { attributeText, extraAttributes, formatGib, formatPorts, gib } from './format';

const stateIntent = { registered: 'success', unreachable: 'warning', gone: 'none' } as const;

export const agentColumns: readonly Column<Agent>[] = [
  {
    id: 'hostname',
    label: 'Hostname',
    width: 200,
    fitContent: true,
    searchable: true,
    getValue: (a) => a.hostname,
    render: (a) => <span className="agent-hostname">{a.hostname}</span>,
  },
  {
    id: 'slaveType',
    label: 'Slave type',
    description: 'The slave-type attribute: the pool the agent belongs to',
    width: 132,
    getValue: (a) => a.slaveType,
  },
  {
    id: 'instanceType',
    label: 'Instance type',
    width: 100,
    getValue: (a) => a.instanceType,
  },
  { id: 'cpus', label: 'CPUs', width: 50, align: 'end', getValue: (a) => a.resources.cpus },
  {
    id: 'mem',
    label: 'Mem GiB',
    description: 'Memory offered to tasks, in GiB',
    width: 68,
    align: 'end',
    getValue: (a) => gib(a.resources.memMb),
    render: (a) => formatGib(a.resources.memMb),
  },
  {
    id: 'disk',
    label: 'Disk GiB',
    description: 'Disk offered to task sandboxes, in GiB',
    width: 68,
    align: 'end',
    getValue: (a) => gib(a.resources.diskMb),
    render: (a) => formatGib(a.resources.diskMb),
  },
  {
    id: 'ports',
    label: 'Ports',
    description: 'Port ranges offered to tasks',
    width: 92,
    cellClassName: 'mono',
    getValue: (a) => formatPorts(a.resources.ports),
  },
  {
    id: 'attributes',
    label: 'Attributes',
    description: 'Mesos attributes, as used in job constraints (slave-type and instance-type have their own columns)',
    width: 150,
    cellClassName: 'agent-attributes',
    grow: 1,
    searchable: true,
    getValue: attributeText,
    render: (a) =>
      extraAttributes(a).map(([k, v]) => (
        <Tag key={k} minimal className="agent-attribute">
          {k}={v}
        </Tag>
      )),
  },
  {
    id: 'state',
    label: 'State',
    width: 92,
    getValue: (a) => a.state,
    render: (a) => (
      <Tag minimal intent={stateIntent[a.state]}>
        {a.state}
      </Tag>
    ),
  },
  {
    id: 'registered',
    label: 'Registered',
    description: 'When the agent registered with the master',
    width: 92,
    getValue: (a) => a.registeredAt,
    render: (a) => <RelativeTime at={a.registeredAt} />,
  },
  {
    id: 'sandboxRoot',
    label: 'Sandbox root',
    description: 'Where the agent keeps task sandboxes (its work_dir)',
    width: 170,
    grow: 1,
    getValue: (a) => a.sandboxRoot,
    render: (a) => <CopyableText text={a.sandboxRoot} label={`sandbox root of ${a.hostname}`} truncate="start" />,
  },
];
