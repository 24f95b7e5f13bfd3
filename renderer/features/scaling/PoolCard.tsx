import { Tag } from '@blueprintjs/core';
import { useState, type ReactNode } from 'react';
import type { PoolView } from '../../../core/contract';
import { hrefs } from '../../app/links';
import { LockIcon } from '../../components/icons';
import { poolKindDescription } from './format';
import { PoolActions } from './PoolActions';
import { PoolDialogs, type PoolDialog } from './PoolDialogs';
import { PoolHolds } from './PoolHolds';
import { SpotGroups } from './SpotGroups';

/** One pool: what it is, how many machines and agents it has, its holds, and what can be done. */
export function PoolCard({ profileId, pool }: { profileId: string; pool: PoolView }) {
  const [dialog, setDialog] = useState<PoolDialog | null>(null);
  const poolHeld = pool.holds.some((h) => h.target.kind === 'pool');
  return (
    <section className="pool-card panel" aria-label={`Pool ${pool.name}`}>
      <header className="pool-header">
        <h2 className="pool-name">{pool.name}</h2>
        <Tag minimal className="pool-kind" title={poolKindDescription[pool.kind]}>
          {pool.kind}
        </Tag>
        <span className="mono pool-types" title="Instance types">
          {pool.instanceTypes.join(', ')}
        </span>
        {poolHeld && (
          <Tag minimal intent="warning" icon={<LockIcon size={12} />} className="pool-held-tag">
            held
          </Tag>
        )}
      </header>
      <dl className="pool-stats" aria-label={`Counts of ${pool.name}`}>
        <Stat label="Instances" testId="pool-instances" title="Machines up or coming up">
          <a href={hrefs.instancesOfPool(pool.name)}>{pool.instances}</a>
          {pool.pending > 0 && <span className="pool-stat-note"> ({pool.pending} pending)</span>}
        </Stat>
        <Stat label="Agents" testId="pool-agents" title="Agents of this slave type registered with the cluster">
          <a href={hrefs.agentsOfType(pool.name)}>{pool.agents}</a>
        </Stat>
        {pool.kind === 'on-demand' && (
          <Stat label="Desired" testId="pool-desired" title="The Auto Scaling group's desired capacity, and its limits">
            {pool.desired ?? '—'}
            {pool.min !== null && pool.max !== null && (
              <span className="pool-stat-note">
                {' '}
                ({pool.min}–{pool.max})
              </span>
            )}
          </Stat>
        )}
        {pool.kind === 'spot' && (
          <Stat label="Groups" testId="pool-groups" title="Spot groups, one per run">
            {pool.groups.length}
          </Stat>
        )}
        <Stat label="Running tasks" testId="pool-tasks" title="Tasks running on this pool's agents">
          {pool.runningTasks}
        </Stat>
      </dl>
      {pool.kind === 'spot' && <SpotGroups pool={pool} onRelease={(groupId) => setDialog({ kind: 'delete-spot-group', groupId })} />}
      <PoolHolds profileId={profileId} pool={pool.name} holds={pool.holds} />
      <PoolActions pool={pool} onOpen={setDialog} />
      <PoolDialogs profileId={profileId} pool={pool} open={dialog} onClose={() => setDialog(null)} />
    </section>
  );
}

function Stat({ label, title, testId, children }: { label: string; title: string; testId: string; children: ReactNode }) {
  return (
    <div className="pool-stat" title={title}>
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </div>
  );
}
