import type { Agent } from '../../../core/contract';
import type { Column } from '../../components/columns';
import { CellTag } from '../../components/CellTag';
import { RelativeTime } from '../../components/RelativeTime';
import { ResourceBar } from '../../components/ResourceBar';
import { usedShare } from '../../components/resources';
import { attributeText, extraAttributes } from './format';

export const stateIntent = { registered: 'success', unreachable: 'warning', gone: 'none' } as const;

/** A resource column: a used/total bar; sorting by it puts the fullest agents at one end. */
function usageColumn(id: 'cpus' | 'mem' | 'disk', label: string, kind: 'cpus' | 'memMb' | 'diskMb', description: string): Column<Agent> {
  return {
    id,
    label,
    description,
    width: 124,
    getValue: (a) => usedShare(a.used[kind], a.resources[kind]),
    render: (a) => <ResourceBar kind={kind} used={a.used[kind]} total={a.resources[kind]} of={a.hostname} />,
  };
}

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
  usageColumn('cpus', 'CPUs', 'cpus', 'CPUs held by tasks / offered; sorts by the share in use'),
  usageColumn('mem', 'Mem GiB', 'memMb', 'Memory held by tasks / offered, in GiB; sorts by the share in use'),
  usageColumn('disk', 'Disk GiB', 'diskMb', 'Disk held by task sandboxes / offered, in GiB; sorts by the share in use'),
  {
    id: 'tasks',
    label: 'Tasks',
    description: 'Active tasks on the agent',
    width: 52,
    align: 'end',
    getValue: (a) => a.activeTasks,
  },
  {
    id: 'attributes',
    label: 'Attributes',
    description: 'Mesos attributes, as used in job constraints (slave-type and instance-type have their own columns)',
    width: 120,
    cellClassName: 'agent-attributes',
    grow: 1,
    searchable: true,
    getValue: attributeText,
    render: (a) =>
      extraAttributes(a).map(([k, v]) => (
        <CellTag key={k} className="agent-attribute">
          {k}={v}
        </CellTag>
      )),
  },
  {
    id: 'state',
    label: 'State',
    width: 92,
    getValue: (a) => a.state,
    render: (a) => <CellTag intent={stateIntent[a.state]}>{a.state}</CellTag>,
  },
  {
    id: 'registered',
    label: 'Registered',
    description: 'When the agent registered with the master',
    width: 86,
    getValue: (a) => a.registeredAt,
    render: (a) => <RelativeTime at={a.registeredAt} />,
  },
];

/** With an agent open beside the table, only what tells agents apart and how full they are. */
const compactIds = new Set(['hostname', 'slaveType', 'cpus', 'mem', 'disk', 'tasks', 'state']);
export const compactAgentColumns: readonly Column<Agent>[] = agentColumns.filter((c) => compactIds.has(c.id));

/**
 * While a big cluster's tasks are still loading (agents first, `partial`), an agent's task count
 * is not known: its cell says so rather than showing 0.
 */
function withTaskCountsLoading(columns: readonly Column<Agent>[]): readonly Column<Agent>[] {
  return columns.map((c) =>
    c.id === 'tasks'
      ? {
          ...c,
          render: () => (
            <span className="muted" title="Task counts load with the cluster’s full state">
              …
            </span>
          ),
        }
      : c,
  );
}

/** The same column sets while task counts load (made once: a new array per render would re-sort 5,000 rows). */
export const loadingAgentColumns = withTaskCountsLoading(agentColumns);
export const loadingCompactAgentColumns = withTaskCountsLoading(compactAgentColumns);
