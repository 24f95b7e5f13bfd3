import fs from 'node:fs';
import path from 'node:path';
import { ConsoleError } from '../errors.js';

/**
 * Keeping every path inside a task's run directory. Paths come from the renderer (and, through
 * it, from whatever a task wrote into its sandbox), so they are checked twice: by their text
 * before anything touches the disk, and by their real path after every symlink is resolved.
 */

const outsideHint = 'Pick a file from the sandbox listing; paths are relative to the run directory.';

function outside(rel: string, why: string): ConsoleError {
  return new ConsoleError('SANDBOX_OUTSIDE_ROOT', `"${printable(rel)}" is outside the task's sandbox: ${why}.`, outsideHint);
}

/** Error messages quote the path; keep a hostile one short and free of control characters. */
function printable(rel: string): string {
  const clean = rel.replace(/[\x00-\x1f\x7f]/g, '?');
  return clean.length > 200 ? `${clean.slice(0, 200)}…` : clean;
}

/**
 * The segments of a sandbox path, or a SANDBOX_OUTSIDE_ROOT error. `''`, `.` and empty segments
 * mean the run directory itself. Refused: NUL, absolute paths, any `..` (even one that would
 * stay inside: the UI builds paths from listings and never needs it), and percent-encoded `.`,
 * `/`, `\` or NUL. Paths are never URL-decoded here, but the same path is passed to the Mesos
 * files API over HTTP, where a proxy that decodes twice would turn `%2e%2e` into `..`.
 */
export function pathSegments(rel: string): string[] {
  if (rel.includes('\0')) throw outside(rel, 'it contains a NUL byte');
  if (rel.startsWith('/') || rel.startsWith('\\') || /^[a-zA-Z]:/.test(rel)) throw outside(rel, 'it is an absolute path');
  const segments = rel.split('/').filter((s) => s !== '' && s !== '.');
  for (const s of segments) {
    if (s === '..') throw outside(rel, "it goes up with '..'");
    if (/%(2e|2f|5c|00)/i.test(s)) throw outside(rel, "it holds a percent-encoded '.', '/', '\\' or NUL, and paths are never decoded");
  }
  return segments;
}

export function isInside(root: string, real: string): boolean {
  return real === root || real.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

export interface Resolved {
  /** '/'-separated, relative to the run directory: how the UI names it. */
  rel: string;
  /** The run directory joined with `rel`, symlinks unresolved: what the user copies. */
  shown: string;
  /** After every symlink: what is opened. */
  real: string;
}

/**
 * Resolves `rel` inside the run directory whose real path is `realRoot`. A path that does not
 * exist is SANDBOX_NOT_FOUND; one whose real path (after symlinks, at any level) is outside the
 * root is SANDBOX_OUTSIDE_ROOT.
 */
export async function resolveInside(root: string, realRoot: string, rel: string): Promise<Resolved> {
  const segments = pathSegments(rel);
  const joined = path.join(realRoot, ...segments);
  const norm = segments.join('/');
  let real: string;
  try {
    real = await fs.promises.realpath(joined);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // ENAMETOOLONG: no file can have that name (a segment past the file system's 255 bytes).
    if (code !== 'ENOENT' && code !== 'ENOTDIR' && code !== 'ELOOP' && code !== 'ENAMETOOLONG') throw e;
    // A missing file inside a directory that itself escapes (through a symlink) is still outside.
    const parent = await fs.promises.realpath(path.dirname(joined)).catch(() => null);
    if (parent !== null && !isInside(realRoot, parent)) throw outside(rel, 'a symlink on the way leads out of it');
    if (code === 'ELOOP') throw new ConsoleError('SANDBOX_NOT_FOUND', `"${printable(norm)}" is a symlink loop.`, outsideHint);
    throw new ConsoleError(
      'SANDBOX_NOT_FOUND',
      `There is no "${printable(norm)}" in the task's sandbox.`,
      'The file may not be written yet; list the sandbox to see what is there.',
    );
  }
  if (!isInside(realRoot, real)) throw outside(rel, 'a symlink leads out of it');
  return { rel: norm, shown: segments.length === 0 ? root : path.join(root, ...segments), real };
}

/**
 * After opening: the descriptor really is inside the root. realpath-then-open leaves a window
 * in which a directory on the way can be swapped for a symlink; on Linux /proc/self/fd tells
 * where the descriptor actually points, which closes it. Elsewhere the O_NOFOLLOW open is all.
 */
export async function checkOpened(fd: number, realRoot: string, rel: string): Promise<void> {
  let target: string;
  try {
    target = await fs.promises.readlink(`/proc/self/fd/${fd}`);
  } catch {
    return;
  }
  // A file deleted since it was opened reads as "<path> (deleted)"; where it was is what counts.
  if (!isInside(realRoot, target.replace(/ \(deleted\)$/, '')))
    throw outside(rel, 'it was swapped for a link out of it while being opened');
}
