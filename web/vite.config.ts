import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The web interface (web/index.html, served at `/`) and the API reference (web/docs.html, served at
// `/api/docs`): web/ → dist/web/. Everything they need is bundled, so the pages load nothing from
// elsewhere (goosed often runs offline); file names carry content hashes so goosed can let browsers
// cache them for good.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  publicDir: 'public',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // Modern browsers preload modules themselves; the polyfill would be dead code.
    modulePreload: { polyfill: false },
    // No inline data: URLs, so the page's CSP can stay at 'self'.
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: false,
    // Swagger UI, prebuilt and loaded only by the reference page, is larger than Vite's warning limit.
    chunkSizeWarningLimit: 2048,
    rolldownOptions: {
      input: {
        main: fileURLToPath(new URL('index.html', import.meta.url)),
        docs: fileURLToPath(new URL('docs.html', import.meta.url)),
      },
      // Swagger UI's stylesheet makes the CSS step slow enough for Rolldown to print a timing report
      // at every build; the report is about this machine's load, not something to act on.
      checks: { bundlerTimings: false },
    },
  },
});
