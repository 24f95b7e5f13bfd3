import { Callout, Intent } from '@blueprintjs/core';
import type { ApiError } from '../api/errors';
import { WarningSignIcon } from './icons';
import { formatInstant } from './RelativeTime';

/**
 * A refresh failed but older data is on screen: keep it (it is still the best picture there
 * is) and say how old it is and why it is not newer. A lost connection is already explained by
 * the banner above, so then one line is enough.
 */
export function StaleWarning({ error, asOf, what = 'the agents' }: { error: ApiError; asOf: number; what?: string }) {
  const at = formatInstant(asOf);
  const offline = error.code === 'HOST_UNREACHABLE';
  return (
    <Callout className="stale-warning" intent={Intent.WARNING} icon={<WarningSignIcon />} compact role="status">
      <strong title={at}>
        Showing {what} as of {at.slice(11, 19)}:{' '}
      </strong>
      {offline ? (
        'not refreshed while the console host is out of reach.'
      ) : (
        <>
          refreshing failed. {error.message}
          {error.hint && <span className="stale-warning-hint"> {error.hint}</span>}
        </>
      )}
    </Callout>
  );
}
