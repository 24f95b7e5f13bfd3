import fs from 'node:fs';
import path from 'node:path';

/**
 * Serving the built renderer, for both hosts (Electron's app:// protocol and the headless
 * HTTP server). Paths are confined to the renderer folder: no `..`, no encoded traversal,
 * no symlink out of it.
 */

export const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.eot': 'application/vnd.ms-fontobject',
  '.map': 'application/json; charset=utf-8',
};

/** The page's Content-Security-Policy: only our own scripts and styles, no inline code. */
export function contentSecurityPolicy(connectSrc: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src ${["'self'", ...connectSrc].join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

export type StaticLookup = { ok: true; file: string; contentType: string } | { ok: false; status: 400 | 403 | 404; reason: string };

/**
 * Maps a URL path (as received, still percent-encoded) to a file inside `root`.
 * Paths without an extension fall back to index.html (client-side routes).
 */
export function resolveStatic(root: string, urlPath: string): StaticLookup {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { ok: false, status: 400, reason: 'Malformed path encoding' };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { ok: false, status: 400, reason: 'Invalid character in path' };
  const segments = decoded.split('/');
  if (segments.some((s) => s === '..')) return { ok: false, status: 403, reason: 'Path leaves the renderer folder' };

  const realRoot = fs.realpathSync(root);
  let relative = path.posix.normalize(decoded).replace(/^\/+/, '');
  if (relative === '' || relative === '.') relative = 'index.html';
  if (path.extname(relative) === '') relative = 'index.html';

  const candidate = path.resolve(realRoot, relative);
  if (!isInside(realRoot, candidate)) return { ok: false, status: 403, reason: 'Path leaves the renderer folder' };

  let real: string;
  try {
    real = fs.realpathSync(candidate);
  } catch {
    return { ok: false, status: 404, reason: 'Not found' };
  }
  if (!isInside(realRoot, real)) return { ok: false, status: 403, reason: 'Path leaves the renderer folder' };
  if (!fs.statSync(real).isFile()) return { ok: false, status: 404, reason: 'Not found' };
  return { ok: true, file: real, contentType: contentTypes[path.extname(real).toLowerCase()] ?? 'application/octet-stream' };
}

function isInside(root: string, p: string): boolean {
  return p === root || p.startsWith(root + path.sep);
}
