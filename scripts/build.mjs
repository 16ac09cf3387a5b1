// `npm run build`: one ESM file, dist/cli.js. Bundling matters for start-up time: loading
// hundreds of small modules (zod, hono) costs more than the code in them. Packages that are
// loaded only on demand (providers, MCP) and the native SQLite binding stay outside the bundle.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli.ts'],
  outfile: 'dist/cli.js',
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
