import type { JobSummary } from '../../../core/contract';
import { useClusterAction } from '../../app/actions';
import { useCapabilities } from '../../app/profile';
import { ConfirmButton } from '../../components/ConfirmButton';
import { RepeatIcon, StopIcon } from '../../components/icons';
import { count } from '../agents/format';
import { activeInstances, instancesText, restartBlocker, type JobInstance } from './instanceRows';

interface Props {
  profileId: string;
  job: JobSummary;
  instances: readonly JobInstance[];
  selected: ReadonlySet<number>;
  onDone: () => void;
}

const invalidates = ['jobs', 'tasks', 'overview', 'agents'] as const;

/**
 * What can be done to the job: kill or restart the selected instances (two steps each), kill
 * the whole job (its name typed). Each button says why when it cannot be used.
 */
export function JobActions({ profileId, job, instances, selected, onDone }: Props) {
  const active = activeInstances(instances);
  const chosen = active.filter((i) => selected.has(i));

  const kill = useClusterAction({
    call: 'jobs.kill',
    profileId,
    invalidates,
    success: (data, input) =>
      input.instances
        ? `Killing ${instancesText(input.instances)} of ${input.key} (${count(data.killed.length, 'task')})`
        : `Killing job ${input.key} (${count(data.killed.length, 'task')})`,
    failure: (input) =>
      input.instances ? `Could not kill ${instancesText(input.instances)} of ${input.key}` : `Could not kill job ${input.key}`,
  });
  const restart = useClusterAction({
    call: 'jobs.restart',
    profileId,
    invalidates,
    success: (data, input) => `Restarting ${instancesText(input.instances)} of ${input.key} (${count(data.restarted.length, 'task')})`,
    failure: (input) => `Could not restart ${instancesText(input.instances)} of ${input.key}`,
  });

  const commands = useCapabilities()?.jobCommands ?? null;
  if (!commands) return null;
  const refused = commands.ok ? null : (commands.reason ?? 'This cluster does not take commands from the console');
  const killed = job.state === 'killed';
  const killReason =
    refused ??
    (killed
      ? 'This job was killed'
      : chosen.length === 0
        ? active.length === 0
          ? 'No instance is active: nothing to kill'
          : 'Select the instances to kill with the checkboxes'
        : null);
  const jobKillReason = refused ?? (killed ? 'This job was killed' : active.length === 0 ? 'No instance is active: nothing to kill' : null);
  const restartReason = refused ?? (killed ? 'This job was killed' : restartBlocker(chosen, instances));

  return (
    <div className="job-actions" role="toolbar" aria-label={`Actions on ${job.key}`}>
      <ConfirmButton
        icon={<StopIcon />}
        text={chosen.length > 1 ? `Kill ${chosen.length} instances` : 'Kill instance'}
        confirmText={`Yes, kill ${chosen.length ? instancesText(chosen) : 'them'}`}
        disabledReason={killReason}
        loading={kill.isPending && kill.variables?.instances !== undefined}
        onConfirm={() => kill.mutate({ key: job.key, instances: chosen }, { onSuccess: onDone })}
      />
      <ConfirmButton
        icon={<RepeatIcon />}
        intent="warning"
        text={chosen.length > 1 ? `Restart ${chosen.length} instances` : 'Restart instance'}
        confirmText={`Yes, restart ${chosen.length ? instancesText(chosen) : 'them'}`}
        disabledReason={restartReason}
        loading={restart.isPending}
        onConfirm={() => restart.mutate({ key: job.key, instances: chosen }, { onSuccess: onDone })}
      />
      <span className="job-actions-spacer" />
      <ConfirmButton
        icon={<StopIcon />}
        text="Kill job"
        confirmText={`Yes, kill all ${count(active.length, 'instance')}`}
        typedName={job.name}
        disabledReason={jobKillReason}
        loading={kill.isPending && kill.variables?.instances === undefined}
        onConfirm={() => kill.mutate({ key: job.key }, { onSuccess: onDone })}
      />
    </div>
  );
}
