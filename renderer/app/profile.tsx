import { AnchorButton, NonIdealState } from '@blueprintjs/core';
import type { ReactNode } from 'react';
import type { Capabilities, ProfileSummary } from '../../core/contract';
import { useAppStatus } from '../api/queries';
import { hrefs } from './links';

/** Renders a screen for the open cluster profile, or says that none is open. */
export function WithProfile({ children }: { children: (profile: ProfileSummary) => ReactNode }) {
  const profile = useAppStatus().data?.activeProfile ?? null;
  if (!profile) {
    return (
      <NonIdealState
        title="No cluster profile is open"
        description="Open one on the Profiles screen, or start the console with --profile NAME."
        action={<AnchorButton href={hrefs.profiles()} text="Profiles" />}
      />
    );
  }
  return children(profile);
}

/** What the open cluster can do; null when no profile is open (hide what depends on it). */
export function useCapabilities(): Capabilities | null {
  return useAppStatus().data?.capabilities ?? null;
}
