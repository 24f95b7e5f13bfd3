import { Button, NonIdealState } from '@blueprintjs/core';
import { useCapabilities } from '../../app/profile';
import { DesktopIcon, FilterRemoveIcon } from '../../components/icons';

/** The profile has no agents at all: say where agents come from on this cluster, and where to look. */
export function NoAgents() {
  const hint = useCapabilities()?.noAgentsHint;
  return <NonIdealState icon={<DesktopIcon size={40} />} title="No agents in this profile" description={hint} layout="horizontal" />;
}

/** Agents exist, but none pass the filters: show which filters, and one click to clear them. */
export function NoMatches({ filters, onClear }: { filters: string; onClear: () => void }) {
  return (
    <NonIdealState
      icon={<FilterRemoveIcon size={40} />}
      title="No agents match the filters"
      description={filters}
      action={<Button text="Clear filters" onClick={onClear} />}
      layout="horizontal"
    />
  );
}
