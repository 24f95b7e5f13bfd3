import { Navbar, NavbarDivider, NavbarGroup, NavbarHeading, Tag } from '@blueprintjs/core';
import type { AppStatus } from '../../core/contract';
import { ProfileIndicator } from './ProfileIndicator';

const hostLabel: Record<AppStatus['host'], { text: string; title: string }> = {
  electron: { text: 'desktop app', title: 'Running in the desktop app' },
  headless: { text: 'headless host', title: 'Served by the headless host on 127.0.0.1 (npm start without Electron)' },
};

export function TopBar({ status }: { status: AppStatus }) {
  const host = hostLabel[status.host];
  return (
    <Navbar className="top-bar">
      <NavbarGroup align="left">
        <NavbarHeading className="top-bar-title">Cantareira Console</NavbarHeading>
        <NavbarDivider />
        <ProfileIndicator active={status.activeProfile} enabled={status.startupError === null} />
      </NavbarGroup>
      <NavbarGroup align="right">
        <Tag minimal title={host.title} className="top-bar-host">
          {host.text}
        </Tag>
        <span className="top-bar-version muted" title={`Data folder: ${status.dataDir}`}>
          {/^\d/.test(status.version) ? `v${status.version}` : status.version}
        </span>
      </NavbarGroup>
    </Navbar>
  );
}
