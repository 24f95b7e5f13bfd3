import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CallInput, CallName, CallOutput } from '../../core/contract';
import { useApi } from '../api/context';
import { toApiError, type ApiError } from '../api/errors';
import { keysOfKind, type ClusterKind } from '../api/keys';
import { ErrorMessage } from '../components/ErrorMessage';
import { ErrorIcon, TickIcon } from '../components/icons';
import { useToast } from './toasts';

export interface Command<N extends CallName> {
  call: N;
  /** The cached queries the command makes stale; refetched once it succeeds (and once it fails: it may have half-run). */
  queryKeys: readonly (readonly unknown[])[];
  /** The toast after success, from the result. */
  success: (data: CallOutput<N>, input: CallInput<N>) => string;
  /**
   * Names what the result is about (an operation id): a second success about the same thing
   * (a retried press the host recognised) updates the first toast instead of adding another.
   */
  successKey?: (data: CallOutput<N>) => string;
  /** The toast title after a failure: "Could not kill instance 0 of …". */
  failure: (input: CallInput<N>) => string;
  /** Show failures as a toast; off where the caller shows them in place (a dialog's form). */
  toastErrors?: boolean;
}

/**
 * The one runner for every command: it calls the contract, refetches what the command made
 * stale, and reports the result the same way each time, as a toast with the message and what
 * to do next (never a stack).
 */
export function useCommand<N extends CallName>(command: Command<N>) {
  const api = useApi();
  const queryClient = useQueryClient();
  const toast = useToast();
  const refetch = () => Promise.all(command.queryKeys.map((queryKey) => queryClient.invalidateQueries({ queryKey })));

  return useMutation<CallOutput<N>, ApiError, CallInput<N>>({
    mutationFn: async (input) => {
      try {
        return await api.call(command.call, input);
      } catch (e) {
        throw toApiError(e);
      }
    },
    onSuccess: (data, input) => {
      const key = command.successKey?.(data);
      toast(
        { intent: 'success', icon: <TickIcon />, message: command.success(data, input), timeout: 5000 },
        key === undefined ? undefined : `${command.call}:${key}`,
      );
      return refetch();
    },
    onError: (error, input) => {
      if (command.toastErrors !== false) {
        toast({
          intent: 'danger',
          icon: <ErrorIcon />,
          timeout: 0,
          message: <ErrorMessage title={command.failure(input)} error={error} />,
        });
      }
      return refetch();
    },
  });
}

export interface ClusterAction<N extends CallName> extends Omit<Command<N>, 'queryKeys'> {
  profileId: string;
  /** What the action makes stale, by kind of cluster object of the profile. */
  invalidates: readonly ClusterKind[];
}

/** A command that changes the open cluster: what it makes stale is named by kind. */
export function useClusterAction<N extends CallName>({ profileId, invalidates, ...command }: ClusterAction<N>) {
  return useCommand({ ...command, queryKeys: invalidates.map((kind) => keysOfKind[kind](profileId)) });
}
