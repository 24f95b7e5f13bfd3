import { NonIdealState } from '@blueprintjs/core';
import { useState } from 'react';
import type { Task } from '../../../core/contract';
import { go, hrefs } from '../../app/links';
import type { SortState } from '../../components/columns';
import { DataTable } from '../../components/DataTable';
import { TickIcon } from '../../components/icons';
import { failureColumns } from './failureColumns';

/** The newest FAILED and LOST attempts, newest first; a click opens the attempt. */
export function LatestFailures({ tasks }: { tasks: readonly Task[] }) {
  // Unsorted is the server's order: newest first.
  const [sort, setSort] = useState<SortState | null>(null);
  return (
    <DataTable
      label="Latest failures"
      rows={tasks}
      columns={failureColumns}
      rowKey={(t) => t.taskId}
      sort={sort}
      onSortChange={setSort}
      onRowClick={(t) => go(hrefs.task(t.taskId))}
      empty={<NonIdealState icon={<TickIcon size={28} />} title="No failed or lost tasks" layout="horizontal" />}
    />
  );
}
