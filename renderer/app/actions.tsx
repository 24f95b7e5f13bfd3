import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CallInput, CallName, CallOutput } from '../../core/contract';
import { useApi } from '../api/context';
import { toApiError, type ApiError } from '../api/errors';
import { keysOfKind, type ClusterKind } from '../api/keys';
import { ErrorMessage } from '../components/ErrorMessage';
import { ErrorIcon, TickIcon } from '../components/icons';
import { useToast } from './toasts';

export interface ClusterAction<N extends CallName> {
  call: N;
  profileId: string;
  /** What the action makes stale; refetched once it succeeds (and once it fails: it may have half-run). */
  invalidates: readonly ClusterKind[];
  /** The toast after success, from the result. */
  success: (data: CallOutput<N>, input: CallInput<N>) => string;
  /** The toast title after a failure: "Could not kill instance 0 of …". */
  failure: (input: CallInput<N>) => string;
  /** Show failures as a toast; off where the caller shows them in place (a dialog's form). */
  toastErrors?: boolean;
}

/**
 * The one runner for every command that changes the cluster: it calls the contract, refetches
 * what the command made stale, and reports the result the same way each time, as a toast with
 * the message and what to do next (never a stack).
 */
export function useClusterAction<N extends CallName>(action: ClusterAction<N>) {
  const api = useApi();
  const queryClient = useQueryClient();
  const toast = useToast();
  const refetch = () =>
    Promise.all(action.invalidates.map((kind) => queryClient.invalidateQueries({ queryKey: keysOfKind[kind](action.profileId) })));

  return useMutation<CallOutput<N>, ApiError, CallInput<N>>({
    mutationFn: async (input) => {
      try {
        return await api.call(action.call, input);
      } catch (e) {
        throw toApiError(e);
      }
    },
    onSuccess: (data, input) => {
      toast({ intent: 'success', icon: <TickIcon />, message: action.success(data, input), timeout: 5000 });
      return refetch();
    },
    onError: (error, input) => {
      if (action.toastErrors !== false) {
        toast({
          intent: 'danger',
          icon: <ErrorIcon />,
          timeout: 0,
          message: <ErrorMessage title={action.failure(input)} error={error} />,
        });
      }
      return refetch();
    },
  });
}
