import { instanceStateFamily } from './format';
import '../../components/StateTag.css';

export function InstanceStateTag({ state }: { state: string }) {
  return (
    <span className={`state-tag state-${instanceStateFamily(state)}`} data-state={state}>
      {state}
    </span>
  );
}
