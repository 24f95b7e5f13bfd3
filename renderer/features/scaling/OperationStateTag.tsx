import type { OperationState } from '../../../core/contract';
import { operationFamily } from './format';
import '../../components/StateTag.css';

/** An operation's state, in the colours of the task states (succeeded green, failed red). */
export function OperationStateTag({ state }: { state: OperationState }) {
  return (
    <span className={`state-tag state-${operationFamily[state]}`} data-state={state}>
      {state}
    </span>
  );
}
