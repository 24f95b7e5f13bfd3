import { isApiError, toApiError } from '../api/errors';
import './ErrorView.css';

/**
 * The body of any error the user sees: the contract's message, what to do next, every detail
 * line (e.g. each invalid field of a job file), and the stable code. Never a stack.
 */
export function ErrorMessage({ error, title, showCode = true }: { error: unknown; title?: string; showCode?: boolean }) {
  const e = isApiError(error) ? error : toApiError(error);
  return (
    <div className="error-message">
      {title && <strong className="error-message-title">{title}</strong>}
      <p className="error-view-message">{e.message}</p>
      {e.details.length > 0 && (
        <ul className="error-details" aria-label="Problems">
          {e.details.map((d, i) => (
            <li key={i}>{d}</li>
          ))}
        </ul>
      )}
      {e.hint && (
        <p className="error-view-hint">
          <strong>What to do: </strong>
          {e.hint}
        </p>
      )}
      {showCode && <ErrorCode code={e.code} />}
    </div>
  );
}

export function ErrorCode({ code }: { code: string }) {
  return (
    <code className="error-view-code" title="Stable error code: search the runbook for it">
      {code}
    </code>
  );
}
