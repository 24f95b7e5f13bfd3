import { useEffect, useState } from 'react';

/** Milliseconds left until `at`, updated four times a second while it is ahead; null for no time. */
export function useCountdown(at: number | null): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (at === null) return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [at]);
  return at === null ? null : Math.max(0, at - now);
}
