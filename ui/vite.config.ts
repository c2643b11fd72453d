import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The dashboard page: built into dist/dashboard, which `baton ui` serves. `base: './'` keeps every
// asset URL relative, so the page works under its token path (`/<token>/assets/…`).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/dashboard', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1024,
  },
});
