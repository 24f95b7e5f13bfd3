import type { Overview, Pool } from '../../../core/contract';
import { hrefs } from '../../app/links';
import { ResourceBar } from '../../components/ResourceBar';
import { count } from '../agents/format';

type TypeRow = Overview['agentsByType'][number] & { kind: Pool['kind'] | null };

/**
 * Every slave type with agents, plus the profile's pools that have none: an empty `model` pool
 * is exactly why a model job waits, so it is listed rather than left out.
 */
export function typeRows(byType: Overview['agentsByType'], pools: readonly Pool[]): TypeRow[] {
  const kindOf = new Map(pools.map((p) => [p.name, p.kind]));
  const rows: TypeRow[] = byType.map((t) => ({ ...t, kind: kindOf.get(t.slaveType) ?? null }));
  const seen = new Set(byType.map((t) => t.slaveType));
  for (const p of pools) {
    if (seen.has(p.name)) continue;
    const none = { used: 0, total: 0 };
    rows.push({ slaveType: p.name, agents: 0, cpus: none, memMb: none, diskMb: none, kind: p.kind });
  }
  const poolOrder = new Map(pools.map((p, i) => [p.name, i]));
  return rows.sort(
    (a, b) => (poolOrder.get(a.slaveType) ?? Infinity) - (poolOrder.get(b.slaveType) ?? Infinity) || a.slaveType.localeCompare(b.slaveType),
  );
}

export function AgentTypeUsage({ rows }: { rows: readonly TypeRow[] }) {
  return (
    <ul className="type-usage" aria-label="Agents by slave type">
      {rows.map((t) => (
        <li key={t.slaveType} className={t.agents === 0 ? 'type-usage-row type-usage-empty' : 'type-usage-row'} aria-label={t.slaveType}>
          <div className="type-usage-name">
            <a href={hrefs.agentsOfType(t.slaveType)} className="type-usage-link" title={`Show the ${t.slaveType} agents`}>
              {t.slaveType}
            </a>
            <span className="type-usage-count" data-testid="type-agent-count">
              {count(t.agents, 'agent')}
            </span>
            {t.kind && <span className="type-usage-kind muted">{t.kind}</span>}
          </div>
          {t.agents === 0 ? (
            <p className="type-usage-none muted">No agents: tasks constrained to slave-type={t.slaveType} wait in PENDING.</p>
          ) : (
            <div className="type-usage-bars">
              <ResourceBar kind="cpus" used={t.cpus.used} total={t.cpus.total} of={t.slaveType} showLabel />
              <ResourceBar kind="memMb" used={t.memMb.used} total={t.memMb.total} of={t.slaveType} showLabel />
              <ResourceBar kind="diskMb" used={t.diskMb.used} total={t.diskMb.total} of={t.slaveType} showLabel />
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}
