import { Tag } from '@blueprintjs/core';
import type { ProfileSummary } from '../../core/contract';
import { useProfiles } from '../api/queries';

const kindLabel: Record<ProfileSummary['kind'], string> = {
  embedded: 'embedded cluster',
  mesos: 'Mesos cluster',
};

/** Which cluster everything on screen belongs to: the first thing to check before acting. */
export function ProfileIndicator({ active, enabled }: { active: ProfileSummary | null; enabled: boolean }) {
  const profiles = useProfiles(enabled);
  if (!active) {
    return <span className="profile-indicator muted">No cluster profile open</span>;
  }
  const others = (profiles.data?.profiles.length ?? 1) - 1;
  return (
    <span className="profile-indicator" data-testid="active-profile">
      <span className="muted">Profile</span>
      <strong className="profile-name">{active.name}</strong>
      <Tag minimal round intent={active.kind === 'embedded' ? 'none' : 'primary'}>
        {kindLabel[active.kind]}
      </Tag>
      {others > 0 && (
        <span className="muted" title={profiles.data?.profiles.map((p) => p.name).join(', ')}>
          +{others} other profile{others === 1 ? '' : 's'}
        </span>
      )}
    </span>
  );
}
