import { Button, Callout, Intent } from '@blueprintjs/core';
import { isApiError, toApiError } from '../api/errors';
import { ErrorCode, ErrorMessage } from './ErrorMessage';
import { ErrorIcon, OfflineIcon, RefreshIcon } from './icons';
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
 * runbook, and a retry. Never a stack trace.
 */
export function ErrorView({ title, error, onRetry, retrying }: ErrorViewProps) {
  const e = isApiError(error) ? error : toApiError(error);
  const offline = e.code === 'HOST_UNREACHABLE';
  return (
    <Callout
      className="error-view"
      intent={offline ? Intent.WARNING : Intent.DANGER}
      icon={offline ? <OfflineIcon /> : <ErrorIcon />}
      title={title}
      role="alert"
    >
      <ErrorMessage error={e} showCode={false} />
      <div className="error-view-footer">
        {onRetry && <Button icon={<RefreshIcon />} onClick={onRetry} loading={retrying ?? false} text="Try again" />}
        <ErrorCode code={e.code} />
      </div>
    </Callout>
  );
}
