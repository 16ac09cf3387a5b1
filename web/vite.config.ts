import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The web interface: web/ → dist/web/, served by goosed at `/`. Everything it needs is bundled,
// so the page loads nothing from elsewhere (goosed often runs offline); file names carry content
// hashes so goosed can let browsers cache them for good.
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
  },
});
