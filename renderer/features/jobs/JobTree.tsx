import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import { hrefs } from '../../app/links';
import { ChevronDownIcon, ChevronRightIcon } from '../../components/icons';
import { StateCounts } from '../../components/StateTag';
import { stateCounts } from '../../components/taskStates';
import { count } from '../agents/format';
import { jobType, type JobTreeRow } from './jobGroups';

const heights = { role: 32, env: 28, job: 46 } as const;

interface Props {
  rows: readonly JobTreeRow[];
  selectedKey: string;
  onToggle: (groupId: string) => void;
}

/**
 * Roles, their environments and their jobs, as one virtualized list (a cluster can have
 * thousands of jobs). Each job line carries its instance count and its tasks by state, so a
 * failing job stands out before it is opened.
 */
export function JobTree({ rows, selectedKey, onToggle }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => heights[rows[i]!.kind],
    overscan: 10,
  });

  return (
    <div className="job-tree" ref={scrollRef} role="tree" aria-label="Jobs by role and environment">
      <div className="job-tree-inner" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => {
          const row = rows[item.index]!;
          const place = { height: heights[row.kind], transform: `translateY(${item.start}px)` };
          if (row.kind === 'job') {
            const j = row.job;
            const selected = j.key === selectedKey;
            return (
              <a
                key={row.id}
                href={hrefs.job(j.key)}
                role="treeitem"
                aria-level={3}
                aria-selected={selected}
                aria-label={j.key}
                className={`job-tree-row job-tree-job${selected ? ' job-tree-selected' : ''}${j.state === 'killed' ? ' job-tree-killed' : ''}`}
                style={place}
              >
                <span className="job-tree-line">
                  <span className="job-tree-name">{j.name}</span>
                  <span className="job-type">{jobType(j)}</span>
                  {j.state === 'killed' && <span className="job-type job-type-killed">killed</span>}
                  <span className="job-tree-instances muted">{count(j.instances, 'instance')}</span>
                </span>
                <StateCounts counts={stateCounts(j.taskCounts)} label={`Tasks of ${j.key} by state`} />
              </a>
            );
          }
          const name = row.kind === 'role' ? row.role : row.environment;
          return (
            <button
              key={row.id}
              type="button"
              role="treeitem"
              aria-level={row.kind === 'role' ? 1 : 2}
              aria-expanded={!row.collapsed}
              className={`job-tree-row job-tree-group job-tree-${row.kind}`}
              style={place}
              onClick={() => onToggle(row.id)}
              title={row.collapsed ? `Show the jobs of ${row.id}` : `Hide the jobs of ${row.id}`}
            >
              {row.collapsed ? <ChevronRightIcon size={14} /> : <ChevronDownIcon size={14} />}
              <span className="job-tree-group-name">{name}</span>
              <span className="muted job-tree-group-count">{count(row.jobs, 'job')}</span>
              {row.collapsed && <StateCounts counts={stateCounts(row.counts)} label={`Tasks of ${row.id} by state`} />}
            </button>
          );
        })}
      </div>
    </div>
  );
}
