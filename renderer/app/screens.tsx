import type { ReactElement, ReactNode } from 'react';
import { DesktopIcon } from '../components/icons';
import { AgentsScreen } from '../features/agents/AgentsScreen';

/**
 * The screens in the left navigation, in order. A screen is listed only once it works end to
 * end; the first one is where the console opens.
 */
export interface Screen {
  id: string;
  label: string;
  icon: ReactElement;
  render: () => ReactNode;
}

export const screens: readonly [Screen, ...Screen[]] = [
  { id: 'agents', label: 'Agents', icon: <DesktopIcon />, render: () => <AgentsScreen /> },
];
