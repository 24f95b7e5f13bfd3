import type { AgentRecord } from '../model/agent.js';
import type { MesosAgent } from './types.js';

/**
 * A Mesos agent as the console's store and screens hold agents (the `Agent` of
 * core/contract/agents.ts without its usage, which comes from tasks). `workDir` is the agent's
 * `--work_dir` when known (its `/state` flags), else "".
 */
export function agentRecordOf(agent: MesosAgent, workDir = ''): AgentRecord {
  return {
    id: agent.id,
    hostname: agent.hostname,
    ip: agent.ip,
    slaveType: agent.slaveType ?? '',
    // Mesos does not know the EC2 type; some clusters set it as an attribute.
    instanceType: agent.attributes['instance-type'] ?? agent.attributes.instance_type ?? '',
    resources: {
      cpus: agent.resources.cpus,
      memMb: Math.round(agent.resources.memMb),
      diskMb: Math.round(agent.resources.diskMb),
      ports: agent.resources.ports,
    },
    attributes: agent.attributes,
    sandboxRoot: workDir,
    // A recovered agent was known before a master failover and has not come back (yet).
    state: agent.recovered ? 'unreachable' : 'registered',
    registeredAt: agent.registeredAt?.ms ?? 0,
  };
}
