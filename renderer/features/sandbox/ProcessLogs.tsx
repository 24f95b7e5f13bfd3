import { Tag } from '@blueprintjs/core';
import { hrefs } from '../../app/links';
import { RelativeTime } from '../../components/RelativeTime';
import { humanSize } from '../logs/format';
import { useProcessLogs } from './useSandbox';

/** The Thermos `.logs/<process>/<run>/` layout as a list: process → run → stdout, stderr. */
export function ProcessLogs({ profileId, taskId }: { profileId: string; taskId: string }) {
  const runs = useProcessLogs(profileId, taskId);
  if (!runs.data || runs.data.length === 0) return null;
  return (
    <section className="panel process-logs" aria-labelledby="process-logs">
      <h2 id="process-logs" className="panel-title">
        Process logs <span className="muted">newest first · sandbox/.logs/&lt;process&gt;/&lt;run&gt;/</span>
      </h2>
      <ul className="process-log-list">
        {runs.data.map((r, i) => (
          <li key={`${r.process}/${r.run}`} className="process-log-run">
            <span className="process-name">{r.process}</span>
            <span className="muted">run {r.run}</span>
            {i === 0 && <Tag minimal>latest</Tag>}
            {r.files.map((f) => (
              <a
                key={f.path}
                href={hrefs.log(taskId, f.path)}
                className={`process-log-file process-log-${f.name}${f.size === 0 ? ' process-log-empty' : ''}`}
              >
                {f.name} <span className="muted">{humanSize(f.size)}</span>
              </a>
            ))}
            <span className="muted process-log-time">
              <RelativeTime at={r.mtime} />
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
