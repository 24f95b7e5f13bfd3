import { Button, Tag } from '@blueprintjs/core';
import type { Agent } from '../../../core/contract';
import { CopyableText } from '../../components/CopyableText';
import { Facts } from '../../components/Facts';
import { CrossIcon } from '../../components/icons';
import { formatInstant } from '../../components/RelativeTime';
import { ResourceBar } from '../../components/ResourceBar';
import { AgentTasks } from './AgentTasks';
import { stateIntent } from './columns';
import { formatPorts } from './format';

/** One agent beside the table: what it offers and holds, its attributes, and the tasks on it. */
export function AgentPanel({ profileId, agent, onClose }: { profileId: string; agent: Agent; onClose: () => void }) {
  const attributes = Object.entries(agent.attributes).sort(([a], [b]) => a.localeCompare(b));
  return (
    <aside className="agent-panel" aria-label={`Agent ${agent.hostname}`}>
      <header className="agent-panel-header">
        <h2 className="agent-panel-title">{agent.hostname}</h2>
        <Tag minimal intent={stateIntent[agent.state]}>
          {agent.state}
        </Tag>
        <Button
          className="agent-panel-close"
          variant="minimal"
          size="small"
          icon={<CrossIcon />}
          aria-label="Close agent details"
          onClick={onClose}
        />
      </header>
      <section className="agent-panel-section" aria-label="Resources">
        <h3 className="panel-title">Resources used / offered</h3>
        <div className="agent-panel-bars">
          <ResourceBar kind="cpus" used={agent.used.cpus} total={agent.resources.cpus} of={agent.hostname} showLabel />
          <ResourceBar kind="memMb" used={agent.used.memMb} total={agent.resources.memMb} of={agent.hostname} showLabel />
          <ResourceBar kind="diskMb" used={agent.used.diskMb} total={agent.resources.diskMb} of={agent.hostname} showLabel />
        </div>
      </section>
      <section className="agent-panel-section" aria-label="Agent facts">
        <Facts
          label="Agent facts"
          items={[
            ['Slave type', agent.slaveType],
            ['Instance type', agent.instanceType],
            ['Agent id', <CopyableText key="id" text={agent.id} label="agent id" />],
            [
              'Ports offered',
              <span key="p" className="mono">
                {formatPorts(agent.resources.ports)}
              </span>,
            ],
            ['Registered', formatInstant(agent.registeredAt)],
            [
              'Sandbox root',
              <CopyableText key="s" text={agent.sandboxRoot} label={`sandbox root of ${agent.hostname}`} truncate="start" />,
            ],
          ]}
        />
      </section>
      <section className="agent-panel-section" aria-label="Attributes">
        <h3 className="panel-title">Attributes</h3>
        <div className="agent-panel-attributes">
          {attributes.map(([k, v]) => (
            <Tag key={k} minimal className="agent-attribute">
              {k}={v}
            </Tag>
          ))}
        </div>
      </section>
      <section className="agent-panel-section agent-panel-tasks" aria-label="Tasks">
        <h3 className="panel-title">Tasks on this agent ({agent.activeTasks})</h3>
        <AgentTasks profileId={profileId} agentId={agent.id} />
      </section>
    </aside>
  );
}
