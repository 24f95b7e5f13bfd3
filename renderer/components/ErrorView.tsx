import { Button, Callout, Intent } from '@blueprintjs/core';
import { isApiError, toApiError } from '../api/errors';
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
 * A failed query: the contract's message and what to do next, the stable code for searching
 * the runbook, and a retry. Never a stack trace.
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
      <p className="error-view-message">{e.message}</p>
      {e.hint && (
        <p className="error-view-hint">
          <strong>What to do: </strong>
          {e.hint}
        </p>
      )}
      <div className="error-view-footer">
        {onRetry && (
          <Button icon={<RefreshIcon />} onClick={onRetry} loading={retrying ?? false} text="Try again" />
        )}
        <code className="error-view-code" title="Stable error code: search the runbook for it">
          {e.code}
        </code>
      </div>
    </Callout>
  );
}
