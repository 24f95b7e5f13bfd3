import type { Capabilities, CallOutput, ClusterChange, Freshness, Overview, ParsedCallInput } from '../contract/index.js';
import type { CloudInstance } from '../cloud/provider.js';
import type { SandboxFiles } from '../logs/source.js';
import type { AgentOnMachine } from '../scaling/plan.js';

/**
 * The one cluster seam (shared/DESIGN.md): every screen's handlers are written once against
 * this, and each kind of cluster implements it (the embedded runtime in `embedded/`, Mesos +
 * Aurora in `real/`). The registry (`backend/registry.ts`) picks one by the profile's kind;
 * nothing else looks at the kind.
 *
 * Reads answer from what the backend holds (a live model, or the last-known state marked "as
 * of"); a read that cannot answer at all throws a ConsoleError with a stable code.
 */
export interface ClusterBackend {
  readonly capabilities: Capabilities;
  /** Resolves once the backend has what it needs to answer (the embedded cluster recovered, the first reads tried). */
  readonly ready: Promise<void>;

  agents(filter: ParsedCallInput<'agents.list'>): Promise<CallOutput<'agents.list'>>;
  overview(): Promise<Overview>;
  jobs(): Promise<CallOutput<'jobs.list'>>;
  job(key: string): Promise<CallOutput<'jobs.get'>>;
  task(taskId: string): Promise<CallOutput<'tasks.get'>>;
  tasks(filter: ParsedCallInput<'tasks.list'>): Promise<CallOutput<'tasks.list'>>;
  /** The run directory of a task, on this machine or on its agent. */
  sandbox(taskId: string): Promise<SandboxFiles>;

  /** Commands. Each is journaled by the caller (handlers) around `act`. */
  createJobs(text: string, fileName: string | null, actor: string): CommandPlan<{ created: string[] }>;
  kill(key: string, instances: number[] | undefined, actor: string): Promise<CommandPlan<{ killed: string[] }>>;
  restart(key: string, instances: number[], actor: string): Promise<CommandPlan<{ restarted: string[] }>>;

  /** For scaling: the agents and the tasks on each, so a plan names what a removal loses. */
  agentsOnMachines(): AgentOnMachine[];
  /** Whether a new machine has arrived (its agent registered); the scaling default when absent. */
  machineReady?: (instance: CloudInstance, agents: AgentOnMachine[]) => boolean;

  /** Which of the cluster's systems answer now. */
  freshness(): Freshness;
  /** Changes as they happen; returns the stop function. */
  onChange(listener: (changes: readonly ClusterChange[]) => void): () => void;

  close(): Promise<void>;
}

/**
 * A command the backend has checked and is ready to run: what the journal records before it
 * acts (`op`), and the act itself. A command refused outright (bad input, a read-only
 * cluster) throws before a plan exists, so nothing is journaled for it.
 */
export interface CommandPlan<T> {
  op: { kind: string; target: string; summary: string; intent: unknown };
  act(): T | Promise<T>;
}
