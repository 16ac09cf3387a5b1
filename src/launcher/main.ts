import { fileURLToPath } from 'node:url';
import { runCodeCached } from './code-cached-script.js';
import { onServerStarted } from './started-event.js';

// dist/cli.js, the `goosed` command once built: runs the bundled server (dist/server.cjs, from
// src/cli.ts) through V8's code cache (see code-cached-script.ts).

/** Late enough that the first requests have compiled what they use too, so the cache holds it. */
const SAVE_CACHE_AFTER_START_MS = 1000;

const run = runCodeCached(fileURLToPath(new URL('./server.cjs', import.meta.url)));
if (!run.usedCache) {
  onServerStarted(() => {
    setTimeout(() => run.saveCache(), SAVE_CACHE_AFTER_START_MS).unref();
    // A server stopped before that still leaves its cache (saveCache runs once).
    process.once('exit', () => run.saveCache());
  });
}
