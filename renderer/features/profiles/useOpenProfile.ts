import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CallOutput, Profile } from '../../../core/contract';
import { useApi } from '../../api/context';
import { toApiError, type ApiError } from '../../api/errors';

/**
 * Opens another profile. The host closes the open one first (its cluster, its AWS clients), so
 * once it answers the window reloads: every cached query, stream and timer starts over for the
 * new profile, and nothing of the old one can show. If it fails the host reopens the old one,
 * which has restarted too: everything is fetched again.
 */
export function useOpenProfile() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation<CallOutput<'profiles.open'>, ApiError, Profile>({
    mutationFn: async (profile) => {
      try {
        return await api.call('profiles.open', { id: profile.id });
      } catch (e) {
        throw toApiError(e);
      }
    },
    onSuccess: () => window.location.reload(),
    onError: () => queryClient.invalidateQueries(),
  });
}

export type OpenProfile = ReturnType<typeof useOpenProfile>;
