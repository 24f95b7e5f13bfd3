import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isConsoleError } from '../core/errors.js';
import { defaultDataDir, writePrivateFile } from '../core/paths.js';
import { parseHostArgs, profileTarget } from './args.js';
import { defaultDemoJobsDir, defaultRendererDir, startHeadlessHost, type HeadlessHost } from './headless.js';
import { handleStops } from './lifecycle.js';

/** `node out/electron/headless.mjs [--data-dir DIR] [--port N] [--profile NAME]` */
async function main(argv: string[]): Promise<number> {
  const parsed = parseHostArgs(argv, { allowUnknown: false });
  if (!parsed.ok) {
    console.error(parsed.message);
    return 2;
  }
  const { args } = parsed;
  const hostDir = path.dirname(fileURLToPath(import.meta.url));
  const rendererDir = process.env.CANTAREIRA_RENDERER_DIR ?? defaultRendererDir(hostDir);
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
    console.error(`The renderer is not built (no ${rendererDir}/index.html): run npm run build first.`);
    return 1;
  }
  const dataDir = path.resolve(args.dataDir ?? defaultDataDir());
  // Everything this process and the tasks it starts create is readable by this user only:
  // job command lines, logs and the token can hold secrets.
  process.umask(0o077);
  const infoFile = path.join(dataDir, 'headless.json');
  const starting = startHeadlessHost({
    dataDir,
    rendererDir,
    ...(args.port === undefined ? {} : { port: args.port }),
    ...profileTarget(args),
    version: process.env.CANTAREIRA_VERSION ?? 'dev',
    demoJobsDir: defaultDemoJobsDir(hostDir),
  });
  // Installed at once, so a signal or a crash during the start still stops what has started.
  const life = handleStops(
    process,
    async () => {
      const started = await starting.catch(() => null);
      if (!started) return;
      fs.rmSync(infoFile, { force: true });
      await started.close();
    },
    (msg, err) => console.error(msg, err ?? ''),
  );
  let host: HeadlessHost;
  try {
    host = await starting;
  } catch (e) {
    console.error(`Cantareira Console (headless) could not start: ${e instanceof Error ? e.message : String(e)}`);
    if (isConsoleError(e) && e.hint) console.error(`  ${e.hint}`);
    return 1;
  }

  // Scripts find the running host here; readable by this user only, since it holds the token.
  writePrivateFile(infoFile, JSON.stringify({ url: host.url, port: host.port, pid: process.pid }, null, 2) + '\n');

  const startup = host.console.status.startupError;
  if (startup) console.error(`warning: ${startup.message}${startup.hint ? `\n  ${startup.hint}` : ''}`);
  console.log(`Cantareira Console (headless) is running. Open: ${host.url}`);
  console.log(`Data: ${dataDir}. Stop with Ctrl+C.`);
  return life.stopped;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error('Cantareira Console (headless) could not start:', err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
