import { Button, NonIdealState, Spinner } from '@blueprintjs/core';
import type { Operation, OperationStep } from '../../../core/contract';
import { CopyableText } from '../../components/CopyableText';
import { ErrorView } from '../../components/ErrorView';
import { Facts } from '../../components/Facts';
import { CrossIcon } from '../../components/icons';
import { formatInstant } from '../../components/RelativeTime';
import { OperationStateTag } from './OperationStateTag';
import { useOperation } from './useScaling';
import './operations.css';

/** One operation beside the list: its facts and every external call it made, with the result. */
export function OperationPanel({ profileId, id, onClose }: { profileId: string; id: string; onClose: () => void }) {
  const op = useOperation(profileId, id);
  return (
    <aside className="op-panel" aria-label="Operation details">
      {op.isPending ? (
        <NonIdealState icon={<Spinner size={20} />} title="Loading the operation…" layout="horizontal" />
      ) : op.isError && !op.data ? (
        <>
          <PanelClose onClose={onClose} />
          <ErrorView title="Could not load this operation" error={op.error} onRetry={() => void op.refetch()} />
        </>
      ) : (
        <>
          <header className="op-panel-header">
            <h2 className="op-panel-title">{op.data.operation.summary}</h2>
            <OperationStateTag state={op.data.operation.state} />
            <PanelClose onClose={onClose} />
          </header>
          <OperationFacts op={op.data.operation} />
          <section aria-label="Steps">
            <h3 className="panel-title">Steps ({op.data.steps.length})</h3>
            <Steps steps={op.data.steps} />
          </section>
        </>
      )}
    </aside>
  );
}

function PanelClose({ onClose }: { onClose: () => void }) {
  return (
    <Button
      className="op-panel-close"
      variant="minimal"
      size="small"
      icon={<CrossIcon />}
      aria-label="Close operation details"
      onClick={onClose}
    />
  );
}

function OperationFacts({ op }: { op: Operation }) {
  const result = op.result === null || op.result === undefined ? null : JSON.stringify(op.result, null, 2);
  return (
    <>
      <Facts
        label="Operation facts"
        items={[
          ['Id', <CopyableText key="id" text={op.id} label="operation id" />],
          [
            'Kind',
            <span key="k" className="mono">
              {op.kind}
            </span>,
          ],
          ['Target', op.target],
          ['Actor', op.actor],
          ['Asked', formatInstant(op.createdAt)],
          ['Updated', formatInstant(op.updatedAt)],
          ...(op.startsAt !== null ? [['Starts', formatInstant(op.startsAt)] as const] : []),
          ...(op.progress ? [['Progress', `${op.progress.done}/${op.progress.total} · ${op.progress.message}`] as const] : []),
          ...(op.error
            ? [
                [
                  op.state === 'failed' ? 'Error' : 'Note',
                  <span key="e" className={op.state === 'failed' ? 'op-error' : undefined}>
                    {op.error}
                  </span>,
                ] as const,
              ]
            : []),
        ]}
      />
      {result !== null && (
        <details className="op-result">
          <summary>Result</summary>
          <pre className="mono">{result}</pre>
        </details>
      )}
    </>
  );
}

function Steps({ steps }: { steps: readonly OperationStep[] }) {
  if (steps.length === 0) return <p className="muted">No external call was made.</p>;
  return (
    <ol className="op-steps" aria-label="External calls">
      {steps.map((s) => (
        <li key={s.seq} className="op-step">
          <div className="op-step-head">
            <span className="op-step-seq">{s.seq}</span>
            <span className="mono op-step-call">{s.call}</span>
            <span className="muted op-step-time" title={formatInstant(s.at)}>
              {formatInstant(s.at).slice(11, 19)}
            </span>
          </div>
          <div className={s.result === null ? 'op-step-result muted' : 'op-step-result mono'}>{s.result ?? 'no result recorded'}</div>
        </li>
      ))}
    </ol>
  );
}
