import { Checkbox, NonIdealState, Spinner } from '@blueprintjs/core';
import { useMemo, useState } from 'react';
import type { InstanceView, PoolView } from '../../../core/contract';
import { ErrorView } from '../../components/ErrorView';
import { LockIcon, TrashIcon } from '../../components/icons';
import { count } from '../agents/format';
import { useInstances } from '../instances/useInstances';
import { ScaleDialog, type Draft } from './ScaleDialog';
import './scaling.css';

/** Machines that are up or coming up; the others are already on their way out. */
const removable = (i: InstanceView) => i.state === 'running' || i.state === 'pending';

/** Any scalable pool: pick exactly which machines go; the plan lists what runs on them. */
export function RemoveInstancesDialog({ profileId, pool, onClose }: { profileId: string; pool: PoolView; onClose: () => void }) {
  const instances = useInstances(profileId, { pool: pool.name });
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const list = useMemo(() => (instances.data?.instances ?? []).filter(removable), [instances.data]);
  // Machines that went away since they were ticked are not sent.
  const ids = list.filter((i) => chosen.has(i.id)).map((i) => i.id);
  const draft: Draft =
    ids.length > 0
      ? { request: { kind: 'remove', pool: pool.name, instanceIds: ids } }
      : { request: null, problem: 'Tick the instances to remove' };
  const toggle = (id: string, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(id);
    else next.delete(id);
    setChosen(next);
  };

  return (
    <ScaleDialog profileId={profileId} title={`Remove instances from ${pool.name}`} icon={<TrashIcon />} draft={draft} onClose={onClose}>
      {instances.isPending ? (
        <NonIdealState icon={<Spinner size={20} />} title="Loading the instances…" layout="horizontal" />
      ) : instances.isError && !instances.data ? (
        <ErrorView
          title={`Could not list the instances of ${pool.name}`}
          error={instances.error}
          onRetry={() => void instances.refetch()}
        />
      ) : list.length === 0 ? (
        <p className="muted">{pool.name} has no running instances.</p>
      ) : (
        <table className="pick-table" aria-label={`Instances of ${pool.name}`}>
          <thead>
            <tr>
              <th scope="col" aria-label="Remove" />
              <th scope="col">Instance</th>
              <th scope="col">Type</th>
              <th scope="col">Agent</th>
              <th scope="col" className="pick-num">
                Tasks
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((i) => (
              <tr key={i.id} className={chosen.has(i.id) ? 'pick-chosen' : undefined}>
                <td>
                  <Checkbox
                    className="pick-box"
                    checked={chosen.has(i.id)}
                    onChange={(e) => toggle(i.id, e.currentTarget.checked)}
                    aria-label={`Remove ${i.name ?? i.id}`}
                  />
                </td>
                <td>
                  <span className="mono">{i.id}</span>
                  {i.name && i.name !== i.id && <span className="plan-name">{i.name}</span>}
                  {i.hold && (
                    <span className="pick-held" title={`Held (${i.hold.via}): ${i.hold.reason}`}>
                      <LockIcon size={12} /> held
                    </span>
                  )}
                </td>
                <td className="mono">{i.type}</td>
                <td>{i.agent ? i.agent.hostname : <span className="muted">no agent</span>}</td>
                <td className="pick-num">{i.agent ? i.agent.activeTasks : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {ids.length > 0 && <p className="muted pick-count">{count(ids.length, 'instance')} chosen</p>}
    </ScaleDialog>
  );
}
