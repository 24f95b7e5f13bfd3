import type { CallInput } from '../../core/contract';

/**
 * One query-key function per kind of server object. Everything that belongs to a cluster
 * profile starts with that profile's id, so switching profiles never shows another's data.
 */
export const appKeys = {
  status: () => ['app', 'status'] as const,
};

export const profileKeys = {
  list: () => ['profiles', 'list'] as const,
};

export const agentKeys = {
  /** Every agent query of a profile (for invalidation). */
  all: (profileId: string) => ['agents', profileId] as const,
  list: (profileId: string, filter: CallInput<'agents.list'> = {}) => ['agents', profileId, 'list', filter] as const,
};
