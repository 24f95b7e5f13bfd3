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
});
