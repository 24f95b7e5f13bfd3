/**
 * What a change to machines or holds makes stale: the pools and machines, the operations and
 * the audit log that record it, and the agents that come and go with it.
 */
export const scalingInvalidates = ['pools', 'instances', 'operations', 'holds', 'audit', 'agents', 'overview'] as const;

/**
 * One key per press of Run, sent with the request: the host starts nothing new for a key it has
 * seen, so a double click, or a retry after a lost answer, cannot start the operation twice.
 */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // Outside a secure context randomUUID is missing; the same 122 random bits, in hex.
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}
