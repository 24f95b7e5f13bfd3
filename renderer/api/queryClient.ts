import { QueryClient } from '@tanstack/react-query';

/**
 * No automatic retries. Every error but one is an answer (a damaged store, a bad input), and
 * asking again gives the same answer later. The one exception, a host out of reach, is handled
 * by the transport: it reconnects by itself, and every query is refetched once it is back
 * (`useRefetchOnReconnect`), so a retry here would only delay the error the user should see.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 5_000, retry: false, refetchOnWindowFocus: true },
      mutations: { retry: false },
    },
  });
}
