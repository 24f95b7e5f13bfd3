import { Callout } from '@blueprintjs/core';
import { ApiError, toApiError } from '../../api/errors';
import { ErrorMessage } from '../../components/ErrorMessage';
import { ErrorIcon } from '../../components/icons';

/** Why a profile was not saved or imported: the message, every problem with its field, and what to do. */
export function ProblemsCallout({ title, error }: { title: string; error: unknown }) {
  if (!error) return null;
  return (
    <Callout intent="danger" icon={<ErrorIcon />} title={title} className="profile-problems" role="alert">
      <ErrorMessage error={withoutRepeat(toApiError(error))} />
    </Callout>
  );
}

/**
 * "Profile x has 2 problems: <the first> …" followed by the list repeats the first problem;
 * with the list shown, the message stops before it.
 */
function withoutRepeat(e: ApiError): ApiError {
  const first = e.details[0];
  const at = first === undefined ? -1 : e.message.indexOf(first);
  if (at <= 0) return e;
  return new ApiError({ ...e.toContract(), message: `${e.message.slice(0, at).replace(/[\s:]+$/, '')}:` });
}
