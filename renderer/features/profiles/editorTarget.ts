import type { Profile } from '../../../core/contract';
import { copyName } from './format';
import { formOfProfile, newProfileForm, type ProfileForm } from './draft';

/** What the editor was opened for. */
export type EditorTarget = { kind: 'new' } | { kind: 'edit'; profile: Profile } | { kind: 'copy'; profile: Profile };

/** The editor's title, first form, and the id it saves to (none: a new profile). */
export function editorStart(target: EditorTarget, taken: readonly string[]): { title: string; form: ProfileForm; id: string | null } {
  switch (target.kind) {
    case 'new':
      return { title: 'New profile', form: newProfileForm(), id: null };
    case 'edit':
      return { title: `Edit profile ${target.profile.name}`, form: formOfProfile(target.profile), id: target.profile.id };
    case 'copy':
      return {
        title: `Copy of ${target.profile.name}`,
        form: formOfProfile(target.profile, copyName(target.profile.name, taken)),
        id: null,
      };
  }
}
