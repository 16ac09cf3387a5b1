import { NotFound } from '../../api/domain-errors.js';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { databaseTypes, toDatabaseValues } from './database-text.js';

/** What the store's tables run their statements on: the pool, or one client inside a transaction. */
export interface Queryable {
  query(config: pg.QueryConfig): Promise<pg.QueryResult>;
}

const names = new Map<string, string>();

/**
 * Each statement text gets a name of its own: node-postgres prepares a named statement once per
 * connection and then only binds values. The few shapes built at run time are named the same way.
 */
function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `goosed_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    names.set(text, name);
  }
  return name;
}

/** The rows a prepared statement answers, its strings escaped for PostgreSQL (database-text.ts). */
export async function rows<T>(db: Queryable, text: string, values: readonly unknown[] = []): Promise<T[]> {
  return (await run(db, text, values)).rows as T[];
}

/** The first row, or null. */
export async function row<T>(db: Queryable, text: string, values: readonly unknown[] = []): Promise<T | null> {
  return ((await run(db, text, values)).rows[0] as T | undefined) ?? null;
}

/** How many rows the statement changed. */
export async function changes(db: Queryable, text: string, values: readonly unknown[] = []): Promise<number> {
  return (await run(db, text, values)).rowCount ?? 0;
}

export function run(db: Queryable, text: string, values: readonly unknown[]): Promise<pg.QueryResult> {
  return db.query({ name: statementName(text), text, values: toDatabaseValues(values) });
}

/** Runs `work` in one transaction on one client of the pool. */
export async function transaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

export interface ConnectionOptions {
  url: string;
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /** Shown in pg_stat_activity. */
  applicationName?: string;
  /** Connecting gives up after this long: the server down or unreachable (default 10 s). */
  connectTimeoutMs?: number;
  /**
   * A statement waits at most this long for a free connection of the pool (default 2 minutes):
   * hundreds of replies at once queue there, and must wait their turn rather than fail.
   */
  poolWaitMs?: number;
}

/** The settings of every connection goosed opens: its strings and numbers read as goosed keeps them. */
export function clientConfig({ url, applicationName = 'goosed', connectTimeoutMs = 10_000 }: ConnectionOptions): pg.ClientConfig {
  return { connectionString: url, application_name: applicationName, types: databaseTypes, keepAlive: true, connectionTimeoutMillis: connectTimeoutMs };
}

export function createPool(options: ConnectionOptions, onIdleError: (error: Error) => void): pg.Pool {
  const config = clientConfig(options);
  // node-postgres's pool bounds both a new connection and the wait for a free one by one setting:
  // the pool's is the wait, and each connection it opens keeps the connect timeout of its own.
  class BoundedConnectClient extends pg.Client {
    constructor() {
      super(config);
    }
  }
  const pool = new pg.Pool({ ...config, max: options.poolSize ?? 10, connectionTimeoutMillis: options.poolWaitMs ?? 120_000, Client: BoundedConnectClient });
  // A connection the server closed while idle (a restart, a failover): the pool drops it and makes a
  // new one on demand. Without a listener the error would end the process.
  pool.on('error', onIdleError);
  return pool;
}

/** The SQLSTATE of a PostgreSQL error, if it is one. */
export function sqlState(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

export const FOREIGN_KEY_VIOLATION = '23503';

/**
 * A write for a session, made while it may be deleted (by another request, or on another
 * instance): the row it refers to going away under it is the session's NotFound, not a failure.
 */
export async function forSession<T>(sessionId: string, write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if (sqlState(error) === FOREIGN_KEY_VIOLATION) throw NotFound.of('session', sessionId);
    throw error;
  }
}
