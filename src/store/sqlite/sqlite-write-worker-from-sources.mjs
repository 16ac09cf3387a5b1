// The SQLite write thread's entry when goosed runs from its TypeScript sources (tsx, vitest): a
// worker thread starts without its parent's loaders, so it registers tsx itself first. A build runs
// dist/sqlite-writer.cjs instead (see write-thread.ts).
import { register } from 'tsx/esm/api';

register();
await import('./sqlite-write-worker.ts');
