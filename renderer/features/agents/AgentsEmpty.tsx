import { Button, NonIdealState } from '@blueprintjs/core';
import type { ProfileSummary } from '../../../core/contract';
import { DesktopIcon, FilterRemoveIcon } from '../../components/icons';

/** The profile has no agents at all: say why that can be, and where to look. */
export function NoAgents({ profile }: { profile: ProfileSummary }) {
  const description =
    profile.kind === 'embedded'
      ? 'The embedded cluster starts the agents its pools call for, and no pool of this profile has any nodes. ' +
        'To see a working cluster, start the console with --profile embedded: the built-in profile starts three agents.'
      : 'The Mesos master of this profile reports no registered agents. Check that the agents are running and ' +
        'can reach the master (its /master/slaves endpoint lists them), then refresh.';
  return <NonIdealState icon={<DesktopIcon size={40} />} title="No agents in this profile" description={description} layout="horizontal" />;
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
