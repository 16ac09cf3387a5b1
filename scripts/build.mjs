// `npm run build` (also run by `npm ci` and `npm start`), three outputs built side by side:
// - dist/cli.js, the server as one ESM file. Bundling matters for start-up time: loading hundreds of
//   small modules (zod, hono) costs more than the code in them. Packages that are loaded only on
//   demand (providers, MCP) and the native SQLite binding stay outside the bundle.
// - dist/web/, the web interface served at `/` (Vite, config in web/vite.config.ts).
// - dist/client/, the typed API client exported as `goosed/client` (JavaScript and declarations).
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { build as buildWeb } from 'vite';

const buildServer = () =>
  build({
    entryPoints: ['src/cli.ts'],
    // Code splitting keeps `await import('./x.js')` of our own modules lazy: without it esbuild
    // inlines them, and their static imports of external packages (the MCP SDK and its ajv) load
    // at start-up. Chunks sit next to cli.js, so `import.meta.url`-relative paths still hold.
    outdir: 'dist',
    entryNames: '[name]',
    chunkNames: '[name]-[hash]',
    splitting: true,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    minifyWhitespace: true,
    legalComments: 'none',
    external: ['better-sqlite3', 'ai', '@ai-sdk/*', 'ollama-ai-provider-v2', '@modelcontextprotocol/sdk', '@modelcontextprotocol/sdk/*'],
    // Some bundled CommonJS packages call require(); give the ESM bundle one.
    banner: { js: "#!/usr/bin/env node\nimport { createRequire as createRequireForBundle } from 'node:module';\nconst require = createRequireForBundle(import.meta.url);" },
    logLevel: 'warning',
  });

// tsc runs in its own process so that it overlaps with the other two builds.
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const buildClient = () =>
  promisify(execFile)(process.execPath, [tsc, '-p', 'src/client/tsconfig.json']).catch((error) => {
    process.stderr.write(error.stdout ?? '');
    throw new Error('building dist/client failed: the type errors are above');
  });

await Promise.all([buildServer(), buildWeb({ configFile: 'web/vite.config.ts' }), buildClient()]);
