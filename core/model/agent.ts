/**
 * An agent as registered: what it offers, before anything runs on it. The contract's `Agent`
 * is this plus what its tasks use (a test keeps the two in step).
 */
export interface AgentRecord {
  id: string;
  hostname: string;
  /** The IP in the agent's pid (`slave(1)@10.0.0.1:5051`): how its machine is found, and how it is reached. */
  ip: string | null;
  /** The `slave-type` attribute: the pool this agent belongs to. */
  slaveType: string;
  instanceType: string;
  resources: { cpus: number; memMb: number; diskMb: number; ports: string };
  attributes: Record<string, string>;
  /** Where this agent keeps its task sandboxes on disk (embedded) or its work_dir (real agents). */
  sandboxRoot: string;
  state: 'registered' | 'unreachable' | 'gone';
  registeredAt: number;
}
