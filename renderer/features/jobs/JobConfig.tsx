import { Button, Tag } from '@blueprintjs/core';
import { useState } from 'react';
import type { CallOutput, JobSummary } from '../../../core/contract';
import { Facts, type Fact } from '../../components/Facts';
import { formatInstant, RelativeTime } from '../../components/RelativeTime';
import { formatMb } from '../../components/resources';
import { jobType } from './jobGroups';

type Process = CallOutput<'jobs.get'>['processes'][number];

function typeFact(job: JobSummary) {
  if (!job.cron) return job.service ? 'service (restarted whenever it ends)' : 'batch (runs to completion)';
  return (
    <span>
      cron <code>{job.cron.schedule}</code> · {job.cron.collisionPolicy}
      {' · next run '}
      {job.cron.nextRun === null ? (
        <span className="muted">none</span>
      ) : (
        <span title={formatInstant(job.cron.nextRun)}>{formatInstant(job.cron.nextRun)}</span>
      )}
    </span>
  );
}

function failuresFact(job: JobSummary): string {
  if (job.service) return `${job.maxTaskFailures} (ignored: a service is always rescheduled)`;
  if (job.maxTaskFailures === -1) return 'unlimited (retried until it succeeds)';
  if (job.maxTaskFailures <= 1) return `${job.maxTaskFailures} (a failed task is not retried)`;
  return `${job.maxTaskFailures} (retried until ${job.maxTaskFailures} failures)`;
}

/** The job's config summary, the way Aurora's job page lists it, with the tier (AURORA-1458). */
export function JobConfig({ job }: { job: JobSummary }) {
  const r = job.resources;
  const facts: Fact[] = [
    ['Type', typeFact(job)],
    ['Instances', String(job.instances)],
    ['Tier / priority', `${job.tier} · priority ${job.priority}`],
    ['max_task_failures', failuresFact(job)],
    [
      'Constraints',
      job.constraints.length === 0 ? null : (
        <span className="constraint-list">
          {job.constraints.map((c) => (
            <Tag key={c} minimal className="constraint">
              {c}
            </Tag>
          ))}
        </span>
      ),
    ],
    ['Resources', `${r.cpus} CPU · ${formatMb(r.ramMb)} RAM · ${formatMb(r.diskMb)} disk per instance`],
    ['Job file', job.source],
    ['Created', job.createdAt === null ? null : <RelativeTime key="c" at={job.createdAt} />],
  ];
  return <Facts items={facts} label={`Config of ${job.key} (${jobType(job)})`} columns={2} />;
}

/** Each process of the task and its command line; long ones folded to their first lines. */
export function JobProcesses({ processes }: { processes: readonly Process[] }) {
  return (
    <ol className="processes" aria-label="Processes">
      {processes.map((p) => (
        <ProcessItem key={p.name} process={p} />
      ))}
    </ol>
  );
}

const foldedLines = 3;

function ProcessItem({ process }: { process: Process }) {
  const [open, setOpen] = useState(false);
  const lines = process.cmdline.split('\n');
  const long = lines.length > foldedLines;
  return (
    <li className="process">
      <div className="process-head">
        <span className="process-name">{process.name}</span>
        {long && (
          <Button
            size="small"
            variant="minimal"
            text={open ? 'Fold' : `Show all ${lines.length} lines`}
            onClick={() => setOpen(!open)}
            aria-expanded={open}
          />
        )}
      </div>
      <pre className="process-cmdline">{open || !long ? process.cmdline : `${lines.slice(0, foldedLines).join('\n')}\n…`}</pre>
    </li>
  );
}
