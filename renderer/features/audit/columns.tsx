import type { AuditEntry } from '../../../core/contract';
import type { Column } from '../../components/columns';
import { formatInstant, RelativeTime } from '../../components/RelativeTime';
import { compactResult } from '../scaling/format';
import { OperationStateTag } from '../scaling/OperationStateTag';

export const auditColumns: readonly Column<AuditEntry>[] = [
  {
    id: 'at',
    label: 'Time',
    description: 'Local time, with how long ago',
    width: 216,
    getValue: (e) => e.at,
    render: (e) => (
      <span className="audit-time" title={formatInstant(e.at)}>
        <span className="mono">{formatInstant(e.at).slice(0, 19)}</span> <RelativeTime at={e.at} />
      </span>
    ),
  },
  { id: 'actor', label: 'Actor', width: 110, searchable: true, getValue: (e) => e.actor },
  { id: 'kind', label: 'Kind', width: 130, fitContent: true, searchable: true, getValue: (e) => e.kind },
  { id: 'target', label: 'Target', width: 150, fitContent: true, searchable: true, getValue: (e) => e.target },
  { id: 'summary', label: 'Summary', width: 240, grow: 2, searchable: true, getValue: (e) => e.summary },
  { id: 'state', label: 'State', width: 92, getValue: (e) => e.state, render: (e) => <OperationStateTag state={e.state} /> },
  {
    id: 'result',
    label: 'Result',
    description: 'What it did, in short; the whole result is in the tooltip and in the details',
    width: 180,
    grow: 1,
    searchable: true,
    getValue: (e) => e.result,
    render: (e) => <span className="op-result-text">{compactResult(e.result)}</span>,
  },
  {
    id: 'error',
    label: 'Error',
    description: 'Why it failed or was cancelled',
    width: 160,
    grow: 1,
    searchable: true,
    getValue: (e) => e.error,
    render: (e) => (e.error === null ? null : <span className={e.state === 'failed' ? 'op-error' : 'muted'}>{e.error}</span>),
  },
];

/** With an entry open beside the table: when, what, and how it ended. */
const compactIds = new Set(['at', 'kind', 'summary', 'state']);
export const compactAuditColumns: readonly Column<AuditEntry>[] = auditColumns.filter((c) => compactIds.has(c.id));
