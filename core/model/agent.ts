import type { Agent } from '../contract/agents.js';

/** An agent as registered: what it offers, before anything runs on it. */
export type AgentRecord = Omit<Agent, 'used' | 'activeTasks'>;
