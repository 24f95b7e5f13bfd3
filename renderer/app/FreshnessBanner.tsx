import { Callout, Intent } from '@blueprintjs/core';
import { skipToken, useQuery } from '@tanstack/react-query';
import type { Freshness } from '../../core/contract';
import { freshnessKeys } from '../api/keys';
import { WarningSignIcon } from '../components/icons';
import { formatInstant } from '../components/RelativeTime';
import { freshnessText, whyText } from './freshnessText';

/**
 * Under the top bar on every screen: the cluster's systems do not all answer, so what the
 * screens show is last-known. Pushed by `cluster.changes` (never polled), and gone as soon as
 * they answer again. The per-screen "as of" marks stay; this one says it once for all.
 */
export function FreshnessBanner({ profileId }: { profileId: string | null }) {
  const freshness = useQuery<Freshness>({
    queryKey: freshnessKeys.get(profileId ?? ''),
    queryFn: skipToken,
    staleTime: Infinity,
    enabled: profileId !== null,
  });
  const text = freshness.data ? freshnessText(freshness.data) : null;
  if (!profileId || !text) return null;
  const at = text.asOf === null ? null : formatInstant(text.asOf);
  return (
    <Callout
      className="freshness-banner"
      intent={Intent.WARNING}
      icon={<WarningSignIcon />}
      compact
      role="status"
      data-testid="freshness-banner"
    >
      <span>
        <strong title={at ?? undefined}>
          Showing {text.what} {at ? `as of ${at.slice(11, 19)}` : 'as last known'}
        </strong>{' '}
        — {whyText(text.why)}
      </span>
    </Callout>
  );
}
