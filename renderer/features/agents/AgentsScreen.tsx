import { Button, InputGroup, NonIdealState, Spinner } from '@blueprintjs/core';
import { useDeferredValue, useEffect, useMemo, useRef } from 'react';
import type { Agent, ProfileSummary } from '../../../core/contract';
import { useProfiles } from '../../api/queries';
import { WithProfile } from '../../app/profile';
import { filterRows, naturalKey, type SortState } from '../../components/columns';
import { DataTable } from '../../components/DataTable';
import { ErrorView } from '../../components/ErrorView';
import { CrossIcon, RefreshIcon, SearchIcon } from '../../components/icons';
import { formatInstant } from '../../components/RelativeTime';
import { useRouteParam } from '../../app/route';
import { usePreference } from '../../app/preferences';
import { NoAgents, NoMatches } from './AgentsEmpty';
import { AgentPanel } from './AgentPanel';
import { StaleWarning } from '../../components/StaleWarning';
import { ApiError } from '../../api/errors';
import { agentColumns, compactAgentColumns, loadingAgentColumns, loadingCompactAgentColumns } from './columns';
import { count, countBySlaveType, formatGib, totals } from './format';
import { SlaveTypeFilter } from './SlaveTypeFilter';
import { useAgents } from './useAgents';
import './agents.css';

export function AgentsScreen() {
  return <WithProfile>{(profile) => <AgentsOfProfile profile={profile} />}</WithProfile>;
}

const isSortState = (v: unknown): v is SortState =>
  typeof v === 'object' &&
  v !== null &&
  agentColumns.some((c) => c.id === (v as SortState).columnId) &&
  ['asc', 'desc'].includes((v as SortState).direction);

/** Agents in natural hostname order, a key made once per agent (a collator compare per pair is a long task at 5,000). */
function byHostname(agents: readonly Agent[]): Agent[] {
  return agents
    .map((a) => ({ a, key: naturalKey(a.hostname) }))
    .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0))
    .map((x) => x.a);
}

function AgentsOfProfile({ profile }: { profile: ProfileSummary }) {
  const agents = useAgents(profile.id);
  const pools = useProfiles().data?.profiles.find((p) => p.id === profile.id)?.pools ?? [];
  const [slaveType, setSlaveType] = useRouteParam('type');
  const [query, setQuery] = useRouteParam('q');
  const [openId, setOpenId] = useRouteParam('agent');
  const [sort, setSort] = usePreference<SortState>('agents.sort', { columnId: 'slaveType', direction: 'asc' }, isSortState);
  const filterBox = useFocusOnSlash();

  // A new list (5,000 agents on a big cluster) is sorted, counted and drawn in a background
  // render that yields to the browser between components, so its arrival is no long task;
  // until then the screen shows the list before it.
  const data = useDeferredValue(agents.data);
  // Hostname order underneath every sort, so ties (same type, same size) read in a fixed order.
  const all = useMemo(() => byHostname(data?.agents ?? []), [data]);
  const counts = useMemo(() => countBySlaveType(all, pools), [all, pools]);
  const shown = useMemo(() => {
    const ofType = slaveType ? all.filter((a) => a.slaveType === slaveType) : all;
    return filterRows(ofType, agentColumns, query);
  }, [all, slaveType, query]);

  const sum = useMemo(() => totals(shown), [shown]);

  if (agents.isPending || (!data && !agents.isError)) {
    return <NonIdealState icon={<Spinner size={32} />} title={`Loading the agents of ${profile.name}…`} />;
  }
  if (!data) {
    return (
      <ErrorView
        title={`Could not load the agents of profile ${profile.name}`}
        error={agents.error}
        onRetry={() => void agents.refetch()}
        retrying={agents.isFetching}
      />
    );
  }

  const open = openId ? all.find((a) => a.id === openId) : undefined;
  const columns = data.partial ? (open ? loadingCompactAgentColumns : loadingAgentColumns) : open ? compactAgentColumns : agentColumns;
  const filters = [slaveType && `slave type ${slaveType}`, query && `text “${query}”`].filter(Boolean).join(' and ');
  const clearFilters = () => {
    setSlaveType('');
    setQuery('');
  };

  return (
    <section className="agents" aria-label="Agents">
      <header className="agents-header">
        <h1 className="agents-title">Agents</h1>
        <span className="agents-summary" data-testid="agents-summary">
          {shown.length === all.length ? count(all.length, 'agent') : `${count(shown.length)} of ${count(all.length, 'agent')}`}
          {shown.length > 0 && ` · ${count(sum.cpus, 'CPU')} · ${formatGib(sum.memMb)} GiB memory`}
        </span>
        {data.partial && (
          <span className="agents-partial muted" role="status">
            <Spinner size={12} /> Task counts load with the cluster’s full state…
          </span>
        )}
        <span className="agents-asof muted" title={formatInstant(data.asOf)}>
          as of {formatInstant(data.asOf).slice(11, 19)}
        </span>
        <Button
          size="small"
          variant="minimal"
          icon={<RefreshIcon />}
          aria-label="Refresh agents"
          title="Refresh"
          loading={agents.isFetching}
          onClick={() => void agents.refetch()}
        />
      </header>
      {agents.isError && <StaleWarning error={agents.error} asOf={data.asOf} />}
      {!agents.isError && data.unreachable && <StaleWarning error={new ApiError(data.unreachable)} asOf={data.asOf} />}
      <div className="agents-toolbar">
        <SlaveTypeFilter counts={counts} total={all.length} selected={slaveType} onSelect={setSlaveType} />
        <InputGroup
          inputRef={filterBox}
          className="agents-filter"
          size="small"
          type="search"
          leftElement={<SearchIcon className="agents-filter-icon" />}
          placeholder="Filter by hostname or attribute (press /)"
          aria-label="Filter agents by hostname or attribute"
          value={query}
          onValueChange={setQuery}
          rightElement={
            query ? (
              <Button variant="minimal" size="small" icon={<CrossIcon />} aria-label="Clear filter" onClick={() => setQuery('')} />
            ) : undefined
          }
        />
      </div>
      <div className={open ? 'agents-body agents-body-open' : 'agents-body'}>
        <DataTable
          label={`Agents of profile ${profile.name}`}
          rows={shown}
          columns={columns}
          rowKey={(a) => a.id}
          sort={sort}
          onSortChange={setSort}
          rowClassName={(a) => (a.state === 'gone' ? 'agent-gone' : undefined)}
          onRowClick={(a) => setOpenId(a.id === openId ? '' : a.id)}
          selectedKey={openId || null}
          empty={all.length === 0 ? <NoAgents /> : <NoMatches filters={`Filtered by ${filters}.`} onClear={clearFilters} />}
        />
        {open && <AgentPanel profileId={profile.id} agent={open} onClose={() => setOpenId('')} />}
      </div>
    </section>
  );
}

/** "/" jumps to the filter box, as in most consoles, unless the user is already typing. */
function useFocusOnSlash() {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      const typing = target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
      if (e.key !== '/' || typing || e.ctrlKey || e.metaKey || e.altKey) return;
      e.preventDefault();
      ref.current?.focus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return ref;
}
