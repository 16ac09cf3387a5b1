import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { SECRET_MASK, maskUrlSecrets, maskUrlSecretsInText } from '../api/secret-mask.js';
import { ThreadedSqliteStore } from '../store/sqlite/threaded-sqlite-store.js';
import type { Store } from '../store/store.js';
import { TieredStore } from '../store/tiered-store.js';

export interface OpenedStore {
  store: Store;
  /** Where the data lives, as it may be logged: the database URL with its password masked. */
  where: string;
}

/** The PostgreSQL store when a database URL is given, else SQLite in the data directory. */
export async function openStore(
  { dataDir, databaseUrl }: { dataDir: string; databaseUrl?: string | null },
  logger: Logger,
  { sqliteWriterScript }: { sqliteWriterScript?: URL } = {},
): Promise<OpenedStore> {
  if (!databaseUrl) {
    const databaseFile = join(dataDir, 'goosed.db');
    // Created owner-only before SQLite opens it: it holds provider keys.
    closeSync(openSync(databaseFile, 'a', 0o600));
    return { store: new TieredStore(new ThreadedSqliteStore(databaseFile, { script: sqliteWriterScript })), where: databaseFile };
  }
  const where = maskUrlSecrets(databaseUrl);
  const scrub = (text: string) => hidePassword(maskUrlSecretsInText(text), databaseUrl);
  // Loaded only here: a goosed on SQLite never loads the PostgreSQL driver.
  const { PostgresStore } = await import('../store/postgres/postgres-store.js');
  try {
    const store = await PostgresStore.open({
      url: databaseUrl,
      onError: (error) => logger.warn({ database: where, error: scrub(error.message) }, 'database connection error'),
    });
    return { store, where };
  } catch (error) {
    throw new Error(`cannot open the database ${where}: ${scrub((error as Error).message)}`);
  }
}

/** A message that quotes the password itself (not inside a URL) must not show it either. */
function hidePassword(text: string, url: string): string {
  let password = '';
  try {
    password = new URL(url).password;
  } catch {
    return text;
  }
  if (!password) return text;
  let decoded = password;
  try {
    decoded = decodeURIComponent(password);
  } catch {
    // Kept as written.
  }
  return [password, decoded].reduce((masked, secret) => masked.split(secret).join(SECRET_MASK), text);
}
