import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';

const electron = vi.hoisted(() => ({
  protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
}));

vi.mock('electron', () => ({
  app: { enableSandbox: vi.fn(), on: vi.fn() },
  protocol: electron.protocol,
  shell: { openExternal: vi.fn() },
  BrowserWindow: class {},
}));

import { rendererResponder, serveRenderer } from '../../../electron/window.js';
import { contentSecurityPolicy } from '../../../electron/static.js';

const indexHtml = '<!doctype html><title>Cantareira</title><script src="/assets/app.js"></script>';
const secret = 'top secret, outside the renderer folder';
let root: string;
let rendererDir: string;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'cantareira-protocol-'));
  rendererDir = path.join(root, 'renderer');
  fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), indexHtml);
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  fs.writeFileSync(path.join(root, 'secret.txt'), secret);
  fs.symlinkSync(path.join(root, 'secret.txt'), path.join(rendererDir, 'link.txt'));
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/**
 * A request as the protocol handler may see it. Chromium canonicalises standard-scheme URLs
 * (and so does Node's Request), which folds `..`; the handler must not rely on that, so most
 * cases pass the URL exactly as written.
 */
function asWritten(url: string, method = 'GET'): Request {
  return { url, method } as Request;
}

async function get(url: string, method = 'GET') {
  const res = await rendererResponder(rendererDir)(asWritten(url, method));
  return { status: res.status, headers: res.headers, body: await res.text() };
}

describe('app://bundle', () => {
  test('serves index.html with our Content-Security-Policy', async () => {
    const res = await get('app://bundle/index.html');
    expect(res.status).toBe(200);
    expect(res.body).toBe(indexHtml);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(contentSecurityPolicy());
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  test('serves the bundle root and client-side routes as index.html, assets as themselves', async () => {
    expect((await get('app://bundle/')).body).toBe(indexHtml);
    expect((await get('app://bundle/agents/pool?x=1')).body).toBe(indexHtml);
    const js = await get('app://bundle/assets/app.js');
    expect(js.body).toBe('console.log(1)');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  test.each([
    'app://bundle/../secret.txt',
    'app://bundle/../../etc/passwd',
    'app://bundle/%2e%2e/secret.txt',
    'app://bundle/%2E%2E/%2e%2e/etc/passwd',
    'app://bundle/..%2fsecret.txt',
    'app://bundle/assets/..%2f..%2fsecret.txt',
    'app://bundle/assets%5c..%5c..%5csecret.txt',
    'app://bundle/link.txt',
  ])('refuses %s, which would leave the renderer folder', async (url) => {
    const res = await get(url);
    expect([400, 403, 404]).toContain(res.status);
    expect(res.body).not.toContain(secret);
    expect(res.body).not.toContain('root:');
  });

  test('after the URL parser folds a traversal, the result still stays inside the folder', async () => {
    for (const url of ['app://bundle/../secret.txt', 'app://bundle/%2e%2e/%2e%2e/etc/passwd']) {
      const res = await rendererResponder(rendererDir)(new Request(url));
      const body = await res.text();
      expect(body, url).not.toContain(secret);
      expect(body, url).not.toContain('root:');
    }
  });

  test.each(['app://other/index.html', 'app://bundle.evil/index.html', 'app://bundle:1/index.html', 'https://bundle/index.html'])(
    'refuses any host but bundle: %s',
    async (url) => {
      const res = await get(url);
      expect(res.status).toBe(404);
      expect(res.body).not.toContain(indexHtml);
    },
  );

  test('answers HEAD without a body and refuses other methods', async () => {
    const head = await get('app://bundle/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect((await get('app://bundle/index.html', 'POST')).status).toBe(405);
  });

  test('says the renderer is not built when its folder is missing, instead of throwing', async () => {
    const res = await rendererResponder(path.join(root, 'missing'))(asWritten('app://bundle/index.html'));
    expect(res.status).toBe(500);
    expect(await res.text()).toContain('npm run build');
  });

  test('serveRenderer handles the app scheme with this responder', async () => {
    serveRenderer(rendererDir);
    expect(electron.protocol.handle).toHaveBeenCalledTimes(1);
    const [scheme, handler] = electron.protocol.handle.mock.calls[0]! as [string, (r: Request) => Promise<Response>];
    expect(scheme).toBe('app');
    const res = await handler(new Request('app://bundle/index.html'));
    expect(await res.text()).toBe(indexHtml);
  });
});
