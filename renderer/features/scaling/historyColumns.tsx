import type { Operation } from '../../../core/contract';
import type { Column } from '../../components/columns';
import { formatInstant, RelativeTime } from '../../components/RelativeTime';
import { compactResult, resultJson } from './format';
import { OperationStateTag } from './OperationStateTag';

export const historyColumns: readonly Column<Operation>[] = [
  {
    id: 'time',
    label: 'When',
    description: 'When the operation was asked for',
    width: 196,
    getValue: (o) => o.createdAt,
    render: (o) => (
      <span className="op-when">
        <span className="mono">{formatInstant(o.createdAt).slice(5, 19)}</span> <RelativeTime at={o.createdAt} />
      </span>
    ),
  },
  { id: 'summary', label: 'Summary', width: 240, grow: 2, searchable: true, getValue: (o) => o.summary },
  {
    id: 'state',
    label: 'State',
    width: 92,
    getValue: (o) => o.state,
    render: (o) => <OperationStateTag state={o.state} />,
  },
  { id: 'kind', label: 'Kind', width: 120, fitContent: true, getValue: (o) => o.kind },
  { id: 'actor', label: 'Actor', width: 110, getValue: (o) => o.actor },
  {
    id: 'result',
    label: 'Result',
    description: 'What it did, in short; click the operation for the whole result',
    width: 140,
    grow: 1,
    getValue: (o) => resultJson(o.result),
    render: (o) => <span className="op-result-text">{compactResult(resultJson(o.result))}</span>,
  },
  {
    id: 'error',
    label: 'Error',
    width: 160,
    grow: 1,
    getValue: (o) => o.error,
    render: (o) => (o.error ? <span className={o.state === 'failed' ? 'op-error' : 'muted'}>{o.error}</span> : null),
  },
];
