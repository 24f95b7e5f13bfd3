import type { Task } from '../../core/contract';

/** Mesos reasons people meet at night, in plain words; the raw name stays in the tooltip. */
const mesosReasons: Record<string, string> = {
  REASON_COMMAND_EXECUTOR_FAILED: 'command failed',
  REASON_CONTAINER_LIMITATION_MEMORY: 'out of memory (container limit)',
  REASON_CONTAINER_LIMITATION_DISK: 'out of disk (sandbox limit)',
  REASON_CONTAINER_LIMITATION: 'hit a container limit',
  REASON_CONTAINER_LAUNCH_FAILED: 'container did not launch',
  REASON_EXECUTOR_TERMINATED: 'executor died',
  REASON_EXECUTOR_UNREGISTERED: 'executor never registered',
  REASON_AGENT_REMOVED: 'agent removed',
  REASON_SLAVE_REMOVED: 'agent removed',
  REASON_AGENT_DISCONNECTED: 'agent disconnected',
  REASON_SLAVE_DISCONNECTED: 'agent disconnected',
  REASON_AGENT_RESTARTED: 'agent restarted',
  REASON_SLAVE_RESTARTED: 'agent restarted',
  REASON_TASK_KILLED_DURING_LAUNCH: 'killed while launching',
  REASON_RECONCILIATION: 'lost in reconciliation',
  REASON_INVALID_OFFERS: 'invalid offer',
};

export function plainMesosReason(reason: string | null): string | null {
  if (!reason) return null;
  return (
    mesosReasons[reason] ??
    reason
      .replace(/^REASON_/, '')
      .toLowerCase()
      .replaceAll('_', ' ')
  );
}

/**
 * How an ended attempt ended, in one line: "exit 1 · command failed · Process 'score' exited
 * with code 1". Parts that are unknown are left out.
 */
export function endingText(t: Pick<Task, 'exitCode' | 'reason' | 'message'>): string {
  const parts = [t.exitCode === null ? null : `exit ${t.exitCode}`, plainMesosReason(t.reason), t.message].filter((p): p is string =>
    Boolean(p),
  );
  return parts.join(' · ');
}
