import { Tag } from '@blueprintjs/core';
import type { ProfileSummary } from '../../core/contract';
import { useProfiles } from '../api/queries';
import { useCapabilities } from './profile';
import { hrefs } from './links';

/**
 * Which cluster everything on screen belongs to: the first thing to check before acting. It
 * leads to the Profiles screen, where another one is opened.
 */
export function ProfileIndicator({ active, enabled }: { active: ProfileSummary | null; enabled: boolean }) {
  const profiles = useProfiles(enabled);
  const capabilities = useCapabilities();
  if (!active) {
    return (
      <a className="profile-indicator muted" href={hrefs.profiles()}>
        No cluster profile open
      </a>
    );
  }
  const others = (profiles.data?.profiles.length ?? 1) - 1;
  const otherNames = profiles.data?.profiles.filter((p) => p.id !== active.id).map((p) => p.name) ?? [];
  return (
    <a
      className="profile-indicator"
      href={hrefs.profiles()}
      data-testid="active-profile"
      title={`Profiles: open another one${otherNames.length > 0 ? ` (${otherNames.join(', ')})` : ''}, edit or import one`}
    >
      <span className="muted">Profile</span>
      <strong className="profile-name">{active.name}</strong>
      {capabilities && (
        // A cluster elsewhere stands out: actions there reach real machines.
        <Tag minimal round intent={capabilities.local ? 'none' : 'primary'}>
          {capabilities.label}
        </Tag>
      )}
      {others > 0 && (
        <span className="muted">
          +{others} other profile{others === 1 ? '' : 's'}
        </span>
      )}
    </a>
  );
}
