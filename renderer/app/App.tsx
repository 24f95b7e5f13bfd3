import { NonIdealState, Spinner } from '@blueprintjs/core';
import { useAppStatus } from '../api/queries';
import { ErrorView } from '../components/ErrorView';
import { RefusedScreen, useConnectionState } from './ConnectionBanner';
import { Shell } from './Shell';
import { StartupErrorScreen } from './StartupErrorScreen';
import { useColorScheme } from './useColorScheme';
import { useRefetchOnReconnect } from './useLiveUpdates';

export function App() {
  useColorScheme();
  useRefetchOnReconnect();
  const status = useAppStatus();
  const connection = useConnectionState();

  if (connection.kind === 'refused' && !status.data) return <RefusedScreen reason={connection.reason} />;
  if (status.isPending) {
    return <NonIdealState className="app-loading" icon={<Spinner size={32} />} title="Connecting to the console host…" />;
  }
  if (status.isError) {
    return (
      <div className="app-unreachable">
        <ErrorView
          title="Cannot reach the console host"
          error={status.error}
          onRetry={() => void status.refetch()}
          retrying={status.isFetching}
        />
      </div>
    );
  }
  if (status.data.startupError) return <StartupErrorScreen status={status.data} error={status.data.startupError} />;
  return <Shell status={status.data} />;
}
