import { AnchorButton, Button, Callout, Intent } from '@blueprintjs/core';
import { isApiError, toApiError } from '../api/errors';
import { hrefs } from '../app/links';
import { ErrorCode, ErrorMessage } from './ErrorMessage';
import { ErrorIcon, InfoSignIcon, OfflineIcon, RefreshIcon } from './icons';
import './ErrorView.css';

export interface ErrorViewProps {
  /** What failed, from the user's side: "Could not load the agents". */
  title: string;
  error: unknown;
  onRetry?: () => void;
  retrying?: boolean;
}

/**
 * A failed query: the error (message, details, what to do), the stable code for searching the
 * runbook, and a retry. Never a stack trace. A screen the open profile cannot have (a real
 * cluster whose Mesos is not read yet) is not a failure: it says so calmly, and instead of a
 * retry that would answer the same, it leads to the profiles.
 */
export function ErrorView({ title, error, onRetry, retrying }: ErrorViewProps) {
  const e = isApiError(error) ? error : toApiError(error);
  const offline = e.code === 'HOST_UNREACHABLE';
  const notHere = e.code === 'MESOS_NOT_CONNECTED';
  return (
    <Callout
      className="error-view"
      intent={notHere ? Intent.PRIMARY : offline ? Intent.WARNING : Intent.DANGER}
      icon={notHere ? <InfoSignIcon /> : offline ? <OfflineIcon /> : <ErrorIcon />}
      title={title}
      role="alert"
    >
      <ErrorMessage error={e} showCode={false} />
      <div className="error-view-footer">
        {notHere ? (
          <AnchorButton href={hrefs.profiles()} text="Open another profile…" />
        ) : (
          onRetry && <Button icon={<RefreshIcon />} onClick={onRetry} loading={retrying ?? false} text="Try again" />
        )}
        <ErrorCode code={e.code} />
      </div>
    </Callout>
  );
}
