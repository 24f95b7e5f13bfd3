import { AnchorButton } from '@blueprintjs/core';
import { useEffect } from 'react';
import type { AppStatus } from '../../core/contract';
import { ConnectionBanner } from './ConnectionBanner';
import { FreshnessBanner } from './FreshnessBanner';
import { formatHash, useRoute } from './route';
import { screens } from './screens';
import { TopBar } from './TopBar';
import { useLiveUpdates } from './useLiveUpdates';
import './Shell.css';

/** The frame around every screen: top bar, connection warnings, left navigation. */
export function Shell({ status }: { status: AppStatus }) {
  const route = useRoute();
  const screen = screens.find((s) => s.id === route.screen) ?? screens[0];
  const navId = screen.under ?? screen.id;
  useLiveUpdates(status.activeProfile?.id ?? null);

  useEffect(() => {
    // An unknown or empty hash opens the first screen, and the address bar says so.
    if (route.screen !== screen.id) window.history.replaceState(null, '', formatHash(screen.id));
  }, [route.screen, screen.id]);

  useEffect(() => {
    const profile = status.activeProfile?.name;
    document.title = [screen.label, profile, 'Cantareira Console'].filter(Boolean).join(' · ');
  }, [screen.label, status.activeProfile?.name]);

  return (
    <div className="shell">
      <TopBar status={status} />
      <ConnectionBanner />
      <FreshnessBanner profileId={status.activeProfile?.id ?? null} />
      <div className="shell-body">
        <nav className="shell-nav" aria-label="Screens">
          {screens
            .filter((s) => !s.under)
            .map((s) => (
              <AnchorButton
                key={s.id}
                href={formatHash(s.id)}
                variant="minimal"
                alignText="start"
                fill
                icon={s.icon}
                text={s.label}
                active={s.id === navId}
                aria-current={s.id === navId ? 'page' : undefined}
              />
            ))}
        </nav>
        <main className="shell-main">{screen.render()}</main>
      </div>
    </div>
  );
}
