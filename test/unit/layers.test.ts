import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The layer rules of shared/DESIGN.md are ESLint rules; these cases prove they bite.
const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import boundaries between the layers', () => {
  it('core/ may not import electron, react or the renderer', async () => {
    const errors = await restrictedImports(
      'core/embedded/probe.ts',
      "import 'electron';\nimport 'react';\nimport '../../renderer/app/App.js';\nexport {};\n",
    );
    expect(errors).toHaveLength(3);
  });

  it('core/contract may not import Node built-ins or the rest of core (the browser loads it)', async () => {
    const errors = await restrictedImports(
      'core/contract/probe.ts',
      "import 'node:fs';\nimport '../console.js';\nimport 'zod';\nexport {};\n",
    );
    expect(errors).toHaveLength(2);
  });

  it('renderer/ may import core/contract and nothing else of core, and no Node', async () => {
    const ok = await restrictedImports('renderer/features/probe.ts', "import '../../core/contract/index.js';\nexport {};\n");
    expect(ok).toEqual([]);
    const errors = await restrictedImports(
      'renderer/features/probe.ts',
      "import '../../core/console.js';\nimport 'node:path';\nimport 'better-sqlite3';\nimport 'electron';\nexport {};\n",
    );
    expect(errors).toHaveLength(4);
  });

  it('the headless host and the modules tests load unmocked may not import electron', async () => {
    expect(await restrictedImports('electron/headless.ts', "import 'electron';\nexport {};\n")).toHaveLength(1);
    expect(await restrictedImports('electron/static.ts', "import 'electron';\nexport {};\n")).toHaveLength(1);
  });

  it('the sandboxed preload may import only electron at runtime, types from anywhere', async () => {
    const [result] = await eslint.lintText(
      "import { contextBridge } from 'electron';\nimport type { CallResult } from '../core/contract/errors.js';\nimport { z } from 'zod';\nexport const x: CallResult<number> | null = null;\nexport { contextBridge, z };\n",
      { filePath: 'electron/preload.ts' },
    );
    const refused = (result?.messages ?? []).filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports');
    expect(refused).toHaveLength(1);
    expect(refused[0]?.line).toBe(3);
  });

  it('a renderer that sets HTML from data is refused', async () => {
    const [result] = await eslint.lintText('export const x = <div dangerouslySetInnerHTML={{ __html: "x" }} />;\n', {
      filePath: 'renderer/features/probe.tsx',
    });
    expect(result?.messages.some((m) => m.ruleId === 'no-restricted-syntax')).toBe(true);
  });

  it('an Electron window with node integration or without isolation is refused', async () => {
    const [result] = await eslint.lintText('export const prefs = { nodeIntegration: true, contextIsolation: false, sandbox: false };\n', {
      filePath: 'electron/window.ts',
    });
    expect(result?.messages.filter((m) => m.ruleId === 'no-restricted-syntax')).toHaveLength(3);
  });
  it('adapters never import each other, the composition root, the handlers or the registry', async () => {
    const code = [
      "import '../mesos/client.js';",
      "import '../aurora/client.js';",
      "import '../cloud/aws.js';",
      "import '../real/backend.js';",
      "import '../console.js';",
      "import '../cluster-session.js';",
      "import '../handlers/cluster.js';",
      "import '../backend/registry.js';",
      "import type { ClusterBackend } from '../backend/backend.js';",
      "import '../model/job.js';",
      "import '../logs/local.js';",
      'export type X = ClusterBackend;',
    ].join('\n');
    const errors = await restrictedImports('core/embedded/probe.ts', code);
    // The seam's interface, the domain and the libraries are fine; the eight others are not.
    expect(errors).toHaveLength(8);
    expect(
      await restrictedImports('core/mesos/probe.ts', "import '../aurora/client.js';\nimport '../embedded/runtime.js';\nexport {};\n"),
    ).toHaveLength(2);
    expect(await restrictedImports('core/cloud/probe.ts', "import '../mesos/client.js';\nexport {};\n")).toHaveLength(1);
  });

  it('Mesos + Aurora (core/real) composes those two adapters and no other', async () => {
    const ok = await restrictedImports('core/real/probe.ts', "import '../mesos/client.js';\nimport '../aurora/client.js';\nexport {};\n");
    expect(ok).toEqual([]);
    const errors = await restrictedImports(
      'core/real/probe.ts',
      "import '../embedded/runtime.js';\nimport '../cloud/aws.js';\nimport '../handlers/context.js';\nimport '../console.js';\nexport {};\n",
    );
    expect(errors).toHaveLength(4);
  });

  it('the domain (core/model) imports neither the wire contract nor anything outside itself', async () => {
    expect(await restrictedImports('core/model/probe.ts', "import './job.js';\nexport {};\n")).toEqual([]);
    const errors = await restrictedImports(
      'core/model/probe.ts',
      "import '../contract/jobs.js';\nimport '../store/index.js';\nexport {};\n",
    );
    expect(errors.some((m) => m.includes('wire contract'))).toBe(true);
    expect(errors.some((m) => m.includes('outside itself'))).toBe(true);
  });

  it("nothing but the registry and a profile's own editor looks at a profile's kind", async () => {
    const checks = async (filePath: string, code: string) => {
      const [result] = await eslint.lintText(code, { filePath });
      return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-syntax' && m.message.includes('capabilities')).length;
    };
    const code =
      "declare const p: { kind: string };\nexport const a = p.kind === 'embedded';\nexport const b = 'mesos' !== p.kind;\n" +
      "export function c() {\n  switch (p.kind) {\n    case 'mesos':\n      return 1;\n  }\n  return 0;\n}\n";
    expect(await checks('core/handlers/probe.ts', code)).toBe(3);
    expect(await checks('renderer/features/jobs/probe.ts', code)).toBe(3);
    expect(await checks('core/real/probe.ts', code)).toBe(3);
    expect(await checks('core/backend/registry.ts', code)).toBe(0);
    expect(await checks('renderer/features/profiles/probe.ts', code)).toBe(0);
    // Other kinds (a pool's, an entry's) are not a profile's kind.
    expect(await checks('core/handlers/probe.ts', "declare const e: { kind: string };\nexport const d = e.kind === 'dir';\n")).toBe(0);
  });
});
