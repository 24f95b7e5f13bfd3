import { NonIdealState } from '@blueprintjs/core';
import type { ReactNode } from 'react';
import type { ProfileSummary } from '../../core/contract';
import { useAppStatus } from '../api/queries';

/** Renders a screen for the open cluster profile, or says that none is open. */
export function WithProfile({ children }: { children: (profile: ProfileSummary) => ReactNode }) {
  const profile = useAppStatus().data?.activeProfile ?? null;
  if (!profile) {
    return <NonIdealState title="No cluster profile is open" description="Start the console with --profile NAME." />;
  }
  return children(profile);
}
