import type { Profile } from '../../../core/contract';
import { ActionButton } from '../../components/ActionButton';
import { DuplicateIcon, EditIcon, LogInIcon, PulseIcon } from '../../components/icons';

export interface ProfileRowActions {
  activeId: string | null;
  /** The profile being opened now, if any: every Open waits for it. */
  openingId: string | null;
  onOpen: (p: Profile) => void;
  onEdit: (p: Profile) => void;
  onCopy: (p: Profile) => void;
  onTest: (p: Profile) => void;
}

/** Open, Edit…, Copy… of one profile; each says why when it does not apply. */
export function ProfileActions({ profile: p, actions: a }: { profile: Profile; actions: ProfileRowActions }) {
  const openWhy = p.id === a.activeId ? 'This profile is open' : a.openingId !== null ? 'Another profile is being opened' : null;
  return (
    <span className="profile-actions">
      <ActionButton
        size="small"
        icon={<LogInIcon />}
        text="Open"
        aria-label={`Open ${p.name}`}
        loading={a.openingId === p.id}
        disabledReason={a.openingId === p.id ? null : openWhy}
        onClick={() => a.onOpen(p)}
      />
      <ActionButton
        size="small"
        variant="minimal"
        icon={<EditIcon />}
        text="Edit…"
        aria-label={`Edit ${p.name}`}
        disabledReason={p.builtin ? `${p.name} is built in; save a copy instead` : null}
        onClick={() => a.onEdit(p)}
      />
      <ActionButton
        size="small"
        variant="minimal"
        icon={<DuplicateIcon />}
        text="Copy…"
        aria-label={`Copy ${p.name}`}
        onClick={() => a.onCopy(p)}
      />
      <ActionButton
        size="small"
        variant="minimal"
        icon={<PulseIcon />}
        text="Test…"
        aria-label={`Test connection of ${p.name}`}
        disabledReason={p.kind === 'embedded' ? 'The embedded cluster runs in this console: there is nothing to connect to' : null}
        onClick={() => a.onTest(p)}
      />
    </span>
  );
}
