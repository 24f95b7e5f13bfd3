import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultDataDir } from '../core/paths.js';
import { parseHostArgs, profileTarget } from './args.js';
import { defaultDemoJobsDir, defaultRendererDir, startHeadlessHost } from './headless.js';

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
  const host = await startHeadlessHost({
    dataDir,
    rendererDir,
    ...(args.port === undefined ? {} : { port: args.port }),
    ...profileTarget(args),
    version: process.env.CANTAREIRA_VERSION ?? 'dev',
    demoJobsDir: defaultDemoJobsDir(hostDir),
  });

  // Scripts find the running host here; readable by this user only, since it holds the token.
  const infoFile = path.join(dataDir, 'headless.json');
  fs.writeFileSync(infoFile, JSON.stringify({ url: host.url, port: host.port, pid: process.pid }, null, 2) + '\n', {
    mode: 0o600,
  });

  const startup = host.console.status.startupError;
  if (startup) console.error(`warning: ${startup.message}${startup.hint ? `\n  ${startup.hint}` : ''}`);
  console.log(`Cantareira Console (headless) is running. Open: ${host.url}`);
  console.log(`Data: ${dataDir}. Stop with Ctrl+C.`);

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  fs.rmSync(infoFile, { force: true });
  await host.close();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error('Cantareira Console (headless) could not start:', err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
