// Types of electron-binary.mjs, for the tests that import it.
export interface Progress {
  transferred: number;
  total: number | null;
  percent: number;
}
export interface DownloadOptions {
  stallMs?: number;
  onProgress?: (p: Progress) => void;
  mirror?: string;
  checksums?: Record<string, string>;
  cacheRoot?: string;
  env?: NodeJS.ProcessEnv;
}
export function electronPackageDir(from?: string): string | null;
export function platformPath(platform?: string): string;
export function installedElectron(pkgDir: string, env?: NodeJS.ProcessEnv): string | null;
export function describeDownloadError(err: unknown, url: string | undefined): string;
export function progressLine(version: string, p: Pick<Progress, 'transferred' | 'total'>): string;
export function downloadElectron(
  pkgDir: string,
  options?: DownloadOptions,
): Promise<{ ok: true; executable: string } | { ok: false; reason: string }>;
export function chooseElectron(
  options?: DownloadOptions & { pkgDir?: string | null; platform?: string },
): Promise<{ executable: string; reason?: undefined } | { reason: string; executable?: undefined }>;
