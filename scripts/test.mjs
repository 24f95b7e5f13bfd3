// `npm test`: type-check, lint, unit + integration tests, build, then end-to-end tests in
// Chromium against the headless host. Ends with one line `N passed, N failed`.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

let passed = 0;
let failed = 0;
const failures = [];
const skipped = [];

function run(label, cmd, args) {
  return new Promise((resolve) => {
    console.log(`\n▶ ${label}`);
    const child = spawn(cmd, args, { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : '1' } });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

/** A step that is one check of its own (type-check, lint, build). */
async function step(label, cmd, args) {
  const code = await run(label, cmd, args);
  if (code === 0) passed++;
  else {
    failed++;
    failures.push(label);
  }
  return code === 0;
}

/** A vitest project: its tests count one by one. */
async function vitest(label, project) {
  const report = `test-results/vitest-${project}.json`;
  rmSync(report, { force: true });
  const code = await run(label, 'npx', [
    'vitest',
    'run',
    '--project',
    project,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
  ]);
  if (!existsSync(report)) {
    failed++;
    failures.push(`${label} (no report, exit ${code})`);
    return;
  }
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  if (r.numFailedTests > 0) failures.push(`${label}: ${r.numFailedTests} failed`);
  // A file that fails to load has no tests but is a failure all the same.
  const broken = r.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0);
  if (broken.length > 0) {
    failed += broken.length;
    failures.push(`${label}: ${broken.length} file(s) failed to run`);
  }
  // A test that skips itself says why (task.meta.skipReason): list it, so a skip is never silent.
  for (const f of r.testResults) {
    for (const a of f.assertionResults) {
      if (a.status === 'skipped' && a.meta?.skipReason) skipped.push(`${a.fullName}: ${a.meta.skipReason}`);
    }
  }
  if (code !== 0 && r.numFailedTests === 0 && broken.length === 0) {
    failed++;
    failures.push(`${label} (exit ${code})`);
  }
}

mkdirSync('test-results', { recursive: true });
await step('type-check (core, electron, tests)', 'npx', ['tsc', '-p', 'tsconfig.node.json']);
await step('type-check (renderer)', 'npx', ['tsc', '-p', 'tsconfig.renderer.json']);
await step('lint (ESLint, layer boundaries)', 'npx', ['eslint', '--max-warnings', '0', '.']);
await step('format (Prettier; npx prettier --write . fixes it)', 'npx', ['prettier', '--check', '--log-level', 'warn', '.']);
await vitest('unit and integration tests', 'unit');
if (await step('build (renderer + hosts)', process.execPath, ['scripts/build.mjs', '--quiet'])) {
  await vitest('end-to-end tests (Chromium, headless host)', 'e2e');
} else {
  failures.push('end-to-end tests skipped: the build failed');
}

if (skipped.length > 0) console.log(`\nSkipped:\n  ${skipped.join('\n  ')}`);
if (failures.length > 0) console.log(`\nFailed:\n  ${failures.join('\n  ')}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
