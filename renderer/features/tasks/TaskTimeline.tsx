import type { TaskEvent } from '../../../core/contract';
import { formatDuration } from '../../components/duration';
import { formatInstant } from '../../components/RelativeTime';
import { StateTag } from '../../components/StateTag';
import { isTerminal } from '../../components/taskStates';

/**
 * Every state the attempt went through, oldest first, with how long it stayed in each: the
 * table people copy into an incident channel (AURORA-561), so it is plain selectable text.
 */
export function TaskTimeline({ events, now }: { events: readonly TaskEvent[]; now: number }) {
  if (events.length === 0) return <p className="muted">No state changes recorded.</p>;
  const sorted = [...events].sort((a, b) => a.at - b.at);
  const zone = formatInstant(sorted[0]!.at).slice(20);
  return (
    <table className="timeline" aria-label="State timeline">
      <thead>
        <tr>
          <th scope="col">Time ({zone})</th>
          <th scope="col">State</th>
          <th scope="col" className="timeline-for">
            For
          </th>
          <th scope="col">Message</th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((e, i) => {
          const next = sorted[i + 1];
          const instant = formatInstant(e.at);
          return (
            <tr key={`${e.at}-${i}`}>
              <td className="timeline-time" title={instant}>
                {instant.slice(0, 19)}
              </td>
              <td>
                <StateTag state={e.state} />
              </td>
              <td className="timeline-for">
                {next ? formatDuration(next.at - e.at) : isTerminal(e.state) ? '' : `${formatDuration(now - e.at)} so far`}
              </td>
              <td className="timeline-message">{e.message ?? ''}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
