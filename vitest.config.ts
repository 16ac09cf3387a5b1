import { defineConfig } from 'vitest/config';

/** Test files that run a second time with goosed on PostgreSQL (the `postgres` project). */
const ON_BOTH_STORES = ['sessions', 'replies', 'events', 'approvals', 'crash-restart', 'session-model', 'context-compact', 'websocket'].map((name) => `test/${name}.test.ts`);
/** Test files about PostgreSQL itself: they run only in the `postgres` project. */
const POSTGRES_ONLY = ['test/store-contract-postgres.test.ts', 'test/reply-end-across-instances.test.ts', 'test/database-url.test.ts', 'test/multi-instance.test.ts', 'test/nginx.test.ts'];

/** The goosed bundle that tests start as a command, built once per run. */
const BUNDLE = 'test/support/goosed-bundle-setup.ts';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Two cores: more workers only make the server-spawning tests fight for CPU.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'sqlite', include: ['test/**/*.test.ts'], exclude: POSTGRES_ONLY, globalSetup: [BUNDLE] },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: [...POSTGRES_ONLY, ...ON_BOTH_STORES],
          // One real PostgreSQL for the run (or GOOSED_TEST_DATABASE_URL); each test makes its own databases.
          globalSetup: [BUNDLE, 'test/support/postgres-server.ts'],
          env: { GOOSED_TEST_STORE: 'postgres' },
        },
      },
    ],
  },
});
