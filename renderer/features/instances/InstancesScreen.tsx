import { Button, InputGroup, NonIdealState, Spinner } from '@blueprintjs/core';
import { useMemo, useState } from 'react';
import type { InstanceView, ProfileSummary } from '../../../core/contract';
import { usePreference } from '../../app/preferences';
import { WithProfile } from '../../app/profile';
import { useRouteParam } from '../../app/route';
import { filterRows, type SortState } from '../../components/columns';
import { DataTable } from '../../components/DataTable';
import { ErrorView } from '../../components/ErrorView';
import { CloudServerIcon, CrossIcon, RefreshIcon, SearchIcon } from '../../components/icons';
import { formatInstant } from '../../components/RelativeTime';
import { StaleWarning } from '../../components/StaleWarning';
import { count } from '../agents/format';
import { HoldDialog } from '../scaling/HoldDialog';
import { AgentsWithoutInstance } from './AgentsWithoutInstance';
import { instanceColumns } from './columns';
import { countByPool, missingAgent } from './format';
import { PoolFilter } from './PoolFilter';
import { useInstances } from './useInstances';
import './instances.css';

export function InstancesScreen() {
  return <WithProfile>{(profile) => <InstancesOfProfile profile={profile} />}</WithProfile>;
}

const isSortState = (v: unknown): v is SortState =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as SortState).columnId === 'string' &&
  ['asc', 'desc'].includes((v as SortState).direction);

function InstancesOfProfile({ profile }: { profile: ProfileSummary }) {
  const instances = useInstances(profile.id);
  const [pool, setPool] = useRouteParam('pool');
  const [query, setQuery] = useRouteParam('q');
  const [sort, setSort] = usePreference<SortState>('instances.sort', { columnId: 'pool', direction: 'asc' }, isSortState);
  const [holding, setHolding] = useState<InstanceView | null>(null);
  const columns = useMemo(() => instanceColumns(profile.id, setHolding), [profile.id]);

  const all = useMemo(() => instances.data?.instances ?? [], [instances.data]);
  const counts = useMemo(() => countByPool(all), [all]);
  const shown = useMemo(() => filterRows(pool ? all.filter((i) => i.pool === pool) : all, columns, query), [all, pool, query, columns]);

  if (instances.isPending) return <NonIdealState icon={<Spinner size={32} />} title={`Loading the instances of ${profile.name}…`} />;
  if (instances.isError && !instances.data) {
    return (
      <ErrorView
        title={`Could not load the instances of profile ${profile.name}`}
        error={instances.error}
        onRetry={() => void instances.refetch()}
        retrying={instances.isFetching}
      />
    );
  }
  const data = instances.data;
  const noAgent = shown.filter(missingAgent).length;

  return (
    <section className="instances" aria-label="Instances">
      <header className="screen-header">
        <h1 className="screen-title">Instances</h1>
        <span className="screen-summary" data-testid="instances-summary">
          {shown.length === all.length ? count(all.length, 'instance') : `${count(shown.length)} of ${count(all.length, 'instance')}`}
          {noAgent > 0 && ` · ${count(noAgent, 'running instance')} with no agent`}
        </span>
        <span className="screen-asof muted" title={formatInstant(data.asOf)}>
          as of {formatInstant(data.asOf).slice(11, 19)}
        </span>
        <Button
          size="small"
          variant="minimal"
          icon={<RefreshIcon />}
          aria-label="Refresh instances"
          title="Refresh"
          loading={instances.isFetching}
          onClick={() => void instances.refetch()}
        />
      </header>
      {instances.isError && <StaleWarning error={instances.error} asOf={data.asOf} what="the instances" />}
      <AgentsWithoutInstance agents={data.agentsWithoutInstance} />
      <div className="instances-toolbar">
        <PoolFilter counts={counts} total={all.length} selected={pool} onSelect={setPool} />
        <InputGroup
          className="instances-filter"
          size="small"
          type="search"
          leftElement={<SearchIcon className="instances-filter-icon" />}
          placeholder="Filter by id, name, IP, agent or hold"
          aria-label="Filter instances"
          value={query}
          onValueChange={setQuery}
          rightElement={
            query ? (
              <Button variant="minimal" size="small" icon={<CrossIcon />} aria-label="Clear filter" onClick={() => setQuery('')} />
            ) : undefined
          }
        />
      </div>
      <DataTable
        label={`Instances of profile ${profile.name}`}
        rows={shown}
        columns={columns}
        rowKey={(i) => i.id}
        sort={sort}
        onSortChange={setSort}
        rowClassName={(i) => (missingAgent(i) ? 'instance-no-agent' : i.state === 'terminated' ? 'instance-gone' : undefined)}
        empty={
          all.length === 0 ? (
            <NonIdealState
              icon={<CloudServerIcon size={40} />}
              title="No instances"
              description="No machine of this profile's pools is up."
              layout="horizontal"
            />
          ) : (
            <NonIdealState
              title="No instances match the filters"
              action={<Button text="Clear filters" onClick={() => (setPool(''), setQuery(''))} />}
              layout="horizontal"
            />
          )
        }
      />
      {holding && (
        <HoldDialog profileId={profile.id} target={{ kind: 'instance', instanceId: holding.id }} onClose={() => setHolding(null)} />
      )}
    </section>
  );
}
