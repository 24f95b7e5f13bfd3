import { Button, Callout, Intent, NonIdealState } from '@blueprintjs/core';
import { useEffect, useState } from 'react';
import { useApi } from '../api/context';
import type { ConnectionState } from '../api/transport';
import { OfflineIcon } from '../components/icons';

export function useConnectionState(): ConnectionState {
  const api = useApi();
  const [state, setState] = useState<ConnectionState>({ kind: 'connecting' });
  useEffect(() => api.watchConnection(setState), [api]);
  return state;
}

function useSecondsUntil(at: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (at === null) return;
    const t = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(t);
  }, [at]);
  return at === null ? 0 : Math.max(0, Math.ceil((at - now) / 1000));
}

const reopen = 'Open the address the console printed when it started (it is also in headless.json in its data folder).';

/** The whole page, when the host refused it before anything was shown: nothing else can load. */
export function RefusedScreen({ reason }: { reason: string }) {
  return (
    <NonIdealState
      className="app-unreachable"
      icon={<OfflineIcon size={48} />}
      title="The console host refused this page."
      description={
        <>
          <p>{reason}</p>
          <p>{reopen}</p>
        </>
      }
    />
  );
}

/**
 * Says plainly when the window has lost its host, so nobody reads stale numbers as live ones.
 * Data already on screen stays; it refreshes by itself once the connection is back.
 */
export function ConnectionBanner() {
  const api = useApi();
  const state = useConnectionState();
  const seconds = useSecondsUntil(state.kind === 'reconnecting' ? state.retryAt : null);
  if (state.kind === 'refused') {
    return (
      <Callout className="connection-banner" intent={Intent.DANGER} icon={<OfflineIcon />} compact role="alert">
        <span>
          <strong>The console host refused this page.</strong> {state.reason} {reopen}
        </span>
      </Callout>
    );
  }
  if (state.kind !== 'reconnecting') return null;
  return (
    <Callout className="connection-banner" intent={Intent.WARNING} icon={<OfflineIcon />} compact role="status">
      <span>
        <strong>Lost the connection to the console host.</strong> What is on screen may be out of date.{' '}
        {seconds > 0 ? `Reconnecting in ${seconds} s (attempt ${state.attempt}).` : 'Reconnecting…'}
      </span>
      <Button size="small" text="Retry now" onClick={() => api.reconnectNow()} />
    </Callout>
  );
}
