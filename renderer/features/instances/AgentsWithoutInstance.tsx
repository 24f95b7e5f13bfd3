import { Callout } from '@blueprintjs/core';
import type { CallOutput } from '../../../core/contract';
import { hrefs } from '../../app/links';
import { WarningSignIcon } from '../../components/icons';
import { count } from '../agents/format';

type Orphan = CallOutput<'instances.list'>['agentsWithoutInstance'][number];

/** Agents registered from an address no machine of the profile has: started by hand, or another account's. */
export function AgentsWithoutInstance({ agents }: { agents: readonly Orphan[] }) {
  if (agents.length === 0) return null;
  return (
    <Callout
      intent="warning"
      icon={<WarningSignIcon />}
      compact
      className="orphan-agents"
      title={`${count(agents.length, 'agent')} with no instance`}
      role="status"
    >
      <p className="orphan-agents-intro">No machine of this profile has their IP, so the console cannot scale or hold them.</p>
      <ul aria-label="Agents with no instance">
        {agents.map((a) => (
          <li key={a.id}>
            <a href={hrefs.agent(a.id)}>{a.hostname}</a>{' '}
            <span className="muted">
              ({a.slaveType}
              {a.ip ? `, ${a.ip}` : ', no IP'})
            </span>
          </li>
        ))}
      </ul>
    </Callout>
  );
}
