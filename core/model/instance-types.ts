/**
 * EC2 instance sizes, as DescribeInstanceTypes reports them (vCPUs, MiB of memory, instance
 * store). Local agents of the embedded cluster get exactly these resources, so a job that fits
 * here fits on the real pool.
 */

export interface InstanceSize {
  cpus: number;
  memMb: number;
  /** Instance-store NVMe in MB, or null for EBS-only types. */
  instanceStoreMb: number | null;
}

/** vCPUs per size suffix, shared by the general, memory and compute families we run. */
const vcpusBySize: Record<string, number> = {
  large: 2,
  xlarge: 4,
  '2xlarge': 8,
  '4xlarge': 16,
  '8xlarge': 32,
  '12xlarge': 48,
  '16xlarge': 64,
  '24xlarge': 96,
};

/** MiB of memory per vCPU by family letter (m = 4 GiB, r = 8 GiB, c = 2 GiB). */
const memPerVcpuMb: Record<string, number> = { m: 4096, r: 8192, c: 2048 };

/** Instance store per vCPU in GB for the `d` variants (m5d.2xlarge = 1 x 300 GB). */
const instanceStoreGbPerVcpu = 37.5;

/** EBS root volume the launch templates give EBS-only agents. */
export const defaultEbsDiskMb = 100 * 1024;

const typePattern = /^([mrc])(\d)([a-z]*)\.(large|xlarge|\d+xlarge)$/;

export interface InstanceTypeName {
  family: string;
  generation: number;
  options: string;
  size: string;
}

export function parseInstanceType(name: string): InstanceTypeName | null {
  const m = typePattern.exec(name);
  if (!m) return null;
  const [, family, generation, options, size] = m as unknown as [string, string, string, string, string];
  if (!(size in vcpusBySize)) return null;
  return { family, generation: Number(generation), options, size };
}

export function instanceSize(name: string): InstanceSize | null {
  const t = parseInstanceType(name);
  if (!t) return null;
  const cpus = vcpusBySize[t.size]!;
  const memMb = cpus * memPerVcpuMb[t.family]!;
  const hasStore = t.options.includes('d');
  return {
    cpus,
    memMb,
    instanceStoreMb: hasStore ? Math.round(cpus * instanceStoreGbPerVcpu * 1000) : null,
  };
}

export function agentDiskMb(size: InstanceSize): number {
  return size.instanceStoreMb ?? defaultEbsDiskMb;
}
