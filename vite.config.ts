import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * The renderer build. The page runs under `script-src 'self'; style-src 'self'`, so nothing may
 * be inlined into index.html or turned into a data: URL: every script, stylesheet and font is
 * emitted as its own file and loaded relative to the page (base './', for app:// and file://).
 */
export default defineConfig({
  root: here('./renderer'),
  base: './',
  plugins: [react()],
  build: {
    outDir: here('./out/renderer'),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    sourcemap: true,
    target: 'chrome120',
    // A desktop app loads from local disk; one warning per big vendor chunk says nothing useful.
    chunkSizeWarningLimit: 2000,
  },
});
