import { Button, InputGroup, NonIdealState, Spinner } from '@blueprintjs/core';
import { useEffect, useMemo, useState } from 'react';
import type { AuditEntry, ProfileSummary } from '../../../core/contract';
import { WithProfile } from '../../app/profile';
import { useRouteParam } from '../../app/route';
import { filterRows, type SortState } from '../../components/columns';
import { DataTable } from '../../components/DataTable';
import { ErrorView } from '../../components/ErrorView';
import { CrossIcon, RefreshIcon, SearchIcon, ThListIcon } from '../../components/icons';
import { count } from '../agents/format';
import { OperationPanel } from '../scaling/OperationPanel';
import { auditColumns, compactAuditColumns } from './columns';
import { KindFilter } from './KindFilter';
import { useAudit } from './useAudit';
import '../scaling/operations.css';
import './audit.css';

export function AuditScreen() {
  return <WithProfile>{(profile) => <AuditOfProfile profile={profile} />}</WithProfile>;
}

function AuditOfProfile({ profile }: { profile: ProfileSummary }) {
  const [kind, setKind] = useRouteParam('kind');
  const [query, setQuery] = useRouteParam('q');
  const [openId, setOpenId] = useRouteParam('op');
  const [sort, setSort] = useState<SortState | null>(null);
  const audit = useAudit(profile.id, kind);
  const [kinds, setKinds] = useState<readonly string[]>([]);

  // Entries of one time can span two pages; each is shown once.
  const entries = useMemo(() => {
    const seen = new Set<string>();
    const out: AuditEntry[] = [];
    for (const page of audit.data?.pages ?? []) for (const e of page.entries) if (!seen.has(e.id) && seen.add(e.id)) out.push(e);
    return out;
  }, [audit.data]);
  const shown = useMemo(() => filterRows(entries, auditColumns, query), [entries, query]);

  // The kind filter offers every kind seen in this window, so choosing one does not hide the others.
  useEffect(() => {
    setKinds((known) => {
      const more = entries.map((e) => e.kind).filter((k) => !known.includes(k));
      return more.length === 0 ? known : [...new Set([...known, ...more])];
    });
  }, [entries]);

  const body = () => {
    if (audit.isPending) return <NonIdealState icon={<Spinner size={32} />} title="Loading the audit log…" />;
    if (audit.isError && !audit.data) {
      return (
        <ErrorView
          title="Could not load the audit log"
          error={audit.error}
          onRetry={() => void audit.refetch()}
          retrying={audit.isFetching}
        />
      );
    }
    return (
      <div className={openId ? 'audit-body audit-body-open' : 'audit-body'}>
        <div className="audit-list">
          <DataTable
            label="Audit log"
            rows={shown}
            columns={openId ? compactAuditColumns : auditColumns}
            rowKey={(e) => e.id}
            sort={sort}
            onSortChange={setSort}
            onRowClick={(e) => setOpenId(e.id === openId ? '' : e.id)}
            selectedKey={openId || null}
            empty={
              <NonIdealState
                icon={<ThListIcon size={32} />}
                title={entries.length === 0 ? 'Nothing recorded yet' : 'No entries match'}
                description={entries.length === 0 ? 'Scaling, holds, kills and job changes are recorded here as they happen.' : undefined}
                layout="horizontal"
              />
            }
          />
          <div className="audit-more">
            {audit.hasNextPage ? (
              <Button size="small" text="Load more" loading={audit.isFetchingNextPage} onClick={() => void audit.fetchNextPage()} />
            ) : (
              entries.length > 0 && <span className="muted">That is the whole log{kind ? ` of kind ${kind}` : ''}.</span>
            )}
            {audit.isFetchNextPageError && <span className="op-error">{audit.error?.message}</span>}
          </div>
        </div>
        {openId && <OperationPanel profileId={profile.id} id={openId} onClose={() => setOpenId('')} />}
      </div>
    );
  };

  return (
    <section className="audit" aria-label="Audit log">
      <header className="screen-header">
        <h1 className="screen-title">Audit log</h1>
        <span className="screen-summary" data-testid="audit-summary">
          {audit.data &&
            `${shown.length === entries.length ? '' : `${count(shown.length)} of `}${count(entries.length)} ${entries.length === 1 ? 'entry' : 'entries'}`}
        </span>
        <span className="screen-asof" />
        <Button
          size="small"
          variant="minimal"
          icon={<RefreshIcon />}
          aria-label="Refresh the audit log"
          title="Refresh"
          loading={audit.isFetching}
          onClick={() => void audit.refetch()}
        />
      </header>
      <div className="audit-toolbar">
        <KindFilter kinds={kinds} value={kind} onChange={setKind} />
        <InputGroup
          className="audit-filter"
          size="small"
          type="search"
          leftElement={<SearchIcon className="audit-filter-icon" />}
          placeholder="Filter by actor, target, summary or result"
          aria-label="Filter the audit log"
          value={query}
          onValueChange={setQuery}
          rightElement={
            query ? (
              <Button variant="minimal" size="small" icon={<CrossIcon />} aria-label="Clear filter" onClick={() => setQuery('')} />
            ) : undefined
          }
        />
      </div>
      {body()}
    </section>
  );
}
