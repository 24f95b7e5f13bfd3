import type { ReactElement, ReactNode } from 'react';
import {
  ArrowsVerticalIcon,
  CloudServerIcon,
  DashboardIcon,
  DataConnectionIcon,
  DesktopIcon,
  LayersIcon,
  ThListIcon,
} from '../components/icons';
import { AgentsScreen } from '../features/agents/AgentsScreen';
import { AuditScreen } from '../features/audit/AuditScreen';
import { InstancesScreen } from '../features/instances/InstancesScreen';
import { JobsScreen } from '../features/jobs/JobsScreen';
import { LogScreen } from '../features/logs/LogScreen';
import { OverviewScreen } from '../features/overview/OverviewScreen';
import { ProfilesScreen } from '../features/profiles/ProfilesScreen';
import { SandboxScreen } from '../features/sandbox/SandboxScreen';
import { ScalingScreen } from '../features/scaling/ScalingScreen';
import { TaskScreen } from '../features/tasks/TaskScreen';

/**
 * The screens, in navigation order. A screen is listed only once it works end to end; the
 * first one is where the console opens. A screen reached only through links (a task) names
 * the navigation entry it belongs under.
 */
export interface Screen {
  id: string;
  label: string;
  icon: ReactElement;
  render: () => ReactNode;
  /** Not in the navigation: highlighted as this screen's entry instead. */
  under?: string;
}

export const screens: readonly [Screen, ...Screen[]] = [
  { id: 'overview', label: 'Overview', icon: <DashboardIcon />, render: () => <OverviewScreen /> },
  { id: 'jobs', label: 'Jobs', icon: <LayersIcon />, render: () => <JobsScreen /> },
  { id: 'agents', label: 'Agents', icon: <DesktopIcon />, render: () => <AgentsScreen /> },
  { id: 'scaling', label: 'Scaling', icon: <ArrowsVerticalIcon />, render: () => <ScalingScreen /> },
  { id: 'instances', label: 'Instances', icon: <CloudServerIcon />, render: () => <InstancesScreen /> },
  { id: 'audit', label: 'Audit log', icon: <ThListIcon />, render: () => <AuditScreen /> },
  { id: 'profiles', label: 'Profiles', icon: <DataConnectionIcon />, render: () => <ProfilesScreen /> },
  { id: 'task', label: 'Task', icon: <LayersIcon />, render: () => <TaskScreen />, under: 'jobs' },
  { id: 'sandbox', label: 'Sandbox', icon: <LayersIcon />, render: () => <SandboxScreen />, under: 'jobs' },
  { id: 'log', label: 'Log', icon: <LayersIcon />, render: () => <LogScreen />, under: 'jobs' },
];
