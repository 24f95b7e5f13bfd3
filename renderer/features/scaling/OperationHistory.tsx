import { NonIdealState, Spinner } from '@blueprintjs/core';
import { useState } from 'react';
import type { SortState } from '../../components/columns';
import { DataTable } from '../../components/DataTable';
import { ErrorView } from '../../components/ErrorView';
import { historyColumns } from './historyColumns';
import { OperationPanel } from './OperationPanel';
import { historyLimit, useOperationHistory } from './useScaling';
import './operations.css';

interface Props {
  profileId: string;
  anyActive: boolean;
  openId: string;
  onOpen: (id: string) => void;
}

/** The latest operations, newest first; one opens beside the list with its steps. */
export function OperationHistory({ profileId, anyActive, openId, onOpen }: Props) {
  const history = useOperationHistory(profileId, anyActive);
  const [sort, setSort] = useState<SortState | null>(null);
  if (history.isPending) return <NonIdealState icon={<Spinner size={16} />} title="Loading the history…" layout="horizontal" />;
  if (history.isError && !history.data) {
    return <ErrorView title="Could not load the operation history" error={history.error} onRetry={() => void history.refetch()} />;
  }
  const list = history.data.operations;
  return (
    <div className={openId ? 'ops-history ops-history-open' : 'ops-history'}>
      <div className="ops-history-list">
        <DataTable
          label="Operation history"
          rows={list}
          columns={historyColumns}
          rowKey={(o) => o.id}
          sort={sort}
          onSortChange={setSort}
          onRowClick={(o) => onOpen(o.id === openId ? '' : o.id)}
          selectedKey={openId || null}
          empty={<p className="muted">No scaling or hold operation yet.</p>}
        />
        {list.length === historyLimit && (
          <p className="muted ops-history-note">The {historyLimit} newest operations; the audit log has them all.</p>
        )}
      </div>
      {openId && <OperationPanel profileId={profileId} id={openId} onClose={() => onOpen('')} />}
    </div>
  );
}
