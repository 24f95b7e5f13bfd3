import { Button, NonIdealState, Spinner, Tag } from '@blueprintjs/core';
import type { ProfileSummary } from '../../../core/contract';
import { WithProfile } from '../../app/profile';
import { useRouteParam } from '../../app/route';
import { ErrorView } from '../../components/ErrorView';
import { RefreshIcon } from '../../components/icons';
import { formatInstant } from '../../components/RelativeTime';
import { StaleWarning } from '../../components/StaleWarning';
import { count } from '../agents/format';
import { ActiveOperations } from './ActiveOperations';
import { OperationHistory } from './OperationHistory';
import { PoolCard } from './PoolCard';
import { useOperationsEnding } from './useOperationsEnding';
import { useActiveOperations, usePools } from './useScaling';
import './scaling.css';

export function ScalingScreen() {
  return <WithProfile>{(profile) => <ScalingOfProfile profile={profile} />}</WithProfile>;
}

function ScalingOfProfile({ profile }: { profile: ProfileSummary }) {
  const pools = usePools(profile.id);
  const active = useActiveOperations(profile.id);
  const [openOp, setOpenOp] = useRouteParam('op');
  useOperationsEnding(profile.id, active.data?.operations);
  const anyActive = (active.data?.operations.length ?? 0) > 0;

  return (
    <section className="scaling" aria-label="Scaling">
      <header className="screen-header">
        <h1 className="screen-title">Scaling</h1>
        {pools.data && (
          <span className="screen-summary">
            {count(pools.data.pools.length, 'pool')} ·{' '}
            <Tag minimal title="Where machines come from">
              {pools.data.cloud === 'aws' ? 'AWS' : 'local machines'}
            </Tag>
          </span>
        )}
        <span className="screen-asof muted" title={pools.data ? formatInstant(pools.data.asOf) : undefined}>
          {pools.data && `as of ${formatInstant(pools.data.asOf).slice(11, 19)}`}
        </span>
        <Button
          size="small"
          variant="minimal"
          icon={<RefreshIcon />}
          aria-label="Refresh pools"
          title="Refresh"
          loading={pools.isFetching}
          onClick={() => void pools.refetch()}
        />
      </header>
      {pools.isError && pools.data && <StaleWarning error={pools.error} asOf={pools.data.asOf} what="the pools" />}
      {pools.isPending ? (
        <NonIdealState icon={<Spinner size={32} />} title={`Loading the pools of ${profile.name}…`} />
      ) : pools.isError && !pools.data ? (
        <ErrorView
          title={`Could not load the pools of ${profile.name}`}
          error={pools.error}
          onRetry={() => void pools.refetch()}
          retrying={pools.isFetching}
        />
      ) : pools.data.pools.length === 0 ? (
        <NonIdealState title="This profile has no pools" description="Pools are declared in the cluster profile." />
      ) : (
        <div className="pools">
          {pools.data.pools.map((p) => (
            <PoolCard key={p.name} profileId={profile.id} pool={p} />
          ))}
        </div>
      )}
      <section className="panel ops-section" aria-label="Running operations section">
        <h2 className="panel-title">Running operations</h2>
        <ActiveOperations profileId={profile.id} active={active} onOpen={setOpenOp} />
      </section>
      <section className="panel ops-section" aria-label="History section">
        <h2 className="panel-title">
          History <span className="panel-note muted">click an operation for the calls it made</span>
        </h2>
        <OperationHistory profileId={profile.id} anyActive={anyActive} openId={openOp} onOpen={setOpenOp} />
      </section>
    </section>
  );
}
