import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * HTTP Basic credentials for a host from ~/.netrc, the file the Aurora CLI reads them from
 * (`machine <host> login <user> password <secret>`, or a `default` entry). The secret stays in
 * the user's file; the console never stores it.
 */
export function netrcCredentials(host: string, text: string): { user: string; password: string } | null {
  const tokens = text
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('#'))
    .join('\n')
    .split(/\s+/)
    .filter(Boolean);
  let current: { machine: string | null; user?: string; password?: string } | null = null;
  const entries: { machine: string | null; user?: string; password?: string }[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t === 'machine') entries.push((current = { machine: tokens[++i] ?? '' }));
    else if (t === 'default') entries.push((current = { machine: null }));
    else if (t === 'macdef')
      break; // macros run to a blank line; nothing after matters here
    else if (current && t === 'login') current.user = tokens[++i] ?? '';
    else if (current && t === 'password') current.password = tokens[++i] ?? '';
  }
  const found = entries.find((e) => e.machine === host) ?? entries.find((e) => e.machine === null);
  return found?.user !== undefined && found.password !== undefined ? { user: found.user, password: found.password } : null;
}

export function readNetrc(
  url: string,
  file = process.env.NETRC ?? path.join(os.homedir(), '.netrc'),
): { user: string; password: string } | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  return netrcCredentials(new URL(url).hostname, text);
}
