// Databases on the run's PostgreSQL server (postgres-server.ts), and the switch that runs a test
// file's goosed on PostgreSQL: GOOSED_TEST_STORE=postgres (the `postgres` project of vitest.config.ts).
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

/** Whether this file's goosed servers keep their data in PostgreSQL rather than SQLite. */
export const onPostgres = process.env.GOOSED_TEST_STORE === 'postgres';

/** A new, empty database of its own: its URL. */
export function createTestDatabase(): Promise<string> {
  return ensureDatabase(`${inject('postgresDatabasePrefix')}${randomBytes(6).toString('hex')}`);
}

/**
 * The database that stands for a data directory: the same directory gets the same database, so a
 * test that restarts goosed on its data directory finds its data again on PostgreSQL too.
 */
export function databaseForDataDir(dataDir: string): Promise<string> {
  return ensureDatabase(`${inject('postgresDatabasePrefix')}${createHash('sha1').update(dataDir).digest('hex').slice(0, 16)}`);
}

/** The flags that give a goosed process the data directory's database, when this file runs on PostgreSQL. */
export async function storeFlags(dataDir: string): Promise<string[]> {
  return onPostgres ? ['--database-url', await databaseForDataDir(dataDir)] : [];
}

export function databaseUrl(name: string): string {
  const url = new URL(inject('postgresUrl'));
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs `work` with a client of the server (its `postgres` database) or of `url`. */
export async function withClient<T>(work: (client: pg.Client) => Promise<T>, url = inject('postgresUrl')): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const DUPLICATE_DATABASE = '42P04';

async function ensureDatabase(name: string): Promise<string> {
  await withClient(async (client) => {
    try {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
    } catch (error) {
      if ((error as { code?: string }).code !== DUPLICATE_DATABASE) throw error;
    }
  });
  return databaseUrl(name);
}
