/** Sizes as people read them: 0 B, 812 B, 4.2 KiB, 1.3 GiB. */
export function humanSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

/** The two files of one Thermos process run: `sandbox/.logs/<process>/<run>/stdout|stderr`. */
export interface ProcessLog {
  process: string;
  run: string;
  stream: 'stdout' | 'stderr';
}

const processLog = /^sandbox\/\.logs\/([^/]+)\/([^/]+)\/(stdout|stderr)$/;

export function parseProcessLog(path: string): ProcessLog | null {
  const m = processLog.exec(path);
  return m ? { process: m[1] ?? '', run: m[2] ?? '', stream: m[3] === 'stderr' ? 'stderr' : 'stdout' } : null;
}

export function processLogPath(p: ProcessLog): string {
  return `sandbox/.logs/${p.process}/${p.run}/${p.stream}`;
}
