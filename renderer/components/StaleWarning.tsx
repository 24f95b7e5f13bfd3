import { Callout, Intent } from '@blueprintjs/core';
import type { ApiError } from '../../api/errors';
import { WarningSignIcon } from '../../components/icons';
import { formatInstant } from '../../components/RelativeTime';

/**
 * A refresh failed but an older list is on screen: keep it (it is still the best picture there
 * is) and say how old it is and why it is not newer. A lost connection is already explained by
 * the banner above, so then one line is enough.
 */
export function StaleWarning({ error, asOf }: { error: ApiError; asOf: number }) {
  const at = formatInstant(asOf);
  const offline = error.code === 'HOST_UNREACHABLE';
  return (
    <Callout className="agents-stale" intent={Intent.WARNING} icon={<WarningSignIcon />} compact role="status">
      <strong title={at}>Showing the agents as of {at.slice(11, 19)}: </strong>
      {offline ? (
        'not refreshed while the console host is out of reach.'
      ) : (
        <>
          refreshing failed. {error.message}
          {error.hint && <span className="agents-stale-hint"> {error.hint}</span>}
        </>
      )}
    </Callout>
  );
}
