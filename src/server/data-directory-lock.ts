import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { isProcessAlive, readRuntimeFile, removeRuntimeFile, writeRuntimeFile, type RuntimeInfo } from '../config/runtime-file.js';

// One goosed per data directory. The lock is an exclusive SQLite transaction, opened and never
// committed, on an empty file beside the database (goosed.lock). Chosen over a pid file because:
// - it is an fcntl lock, which the OS drops when the process dies (SIGKILL too): a crash never leaves
//   the directory locked, and a dead goosed's pid reused by another process cannot make it look held;
// - SQLite also keeps connections of one process apart (fcntl locks alone are per process), so a
//   second server in the same process is refused as well, and close() hands the directory on;
// - two starts at the same moment are settled by SQLite's locking: exactly one gets the transaction;
// - better-sqlite3 is already here: no other native addon.

const LOCK_FILE = 'goosed.lock';
/** SQLite retries this long while another start holds the file for a moment; the one further along wins. */
const BUSY_TIMEOUT_MS = 200;
/** How long the loser of a simultaneous start waits for the winner to publish its address. */
const WAIT_FOR_ADDRESS_MS = 10_000;
const POLL_MS = 50;

export interface DataDirectoryLock {
  /** Writes <data-dir>/server.json (once the server listens). */
  publish(info: RuntimeInfo): void;
  /** Removes the runtime file, then releases the lock; only the first call does anything. */
  release(): void;
}

/** Takes the directory, or fails with one sentence naming the goosed that holds it. */
export async function lockDataDirectory(dataDir: string): Promise<DataDirectoryLock> {
  const file = join(dataDir, LOCK_FILE);
  closeSync(openSync(file, 'a', 0o600));
  const deadline = Date.now() + WAIT_FOR_ADDRESS_MS;
  for (;;) {
    const transaction = beginExclusive(file);
    if (transaction) return holding(transaction, dataDir);
    // Held: the holder publishes its address once it listens (a starting one has not yet).
    const owner = readRuntimeFile(dataDir);
    if (owner && isProcessAlive(owner.pid)) throw new Error(`another goosed (pid ${owner.pid}) is serving this data directory at ${owner.url}`);
    if (Date.now() >= deadline) throw new Error(`another goosed is starting on this data directory (${dataDir})`);
    await sleep(POLL_MS);
  }
}

function beginExclusive(file: string): Database.Database | null {
  const connection = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  try {
    // Nothing is written: without this SQLite would still keep an empty journal file beside it.
    connection.pragma('journal_mode = MEMORY');
    // Takes the file's exclusive lock at once; it is held until the connection closes.
    connection.exec('BEGIN EXCLUSIVE');
    return connection;
  } catch (error) {
    connection.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') return null;
    throw error;
  }
}

function holding(connection: Database.Database, dataDir: string): DataDirectoryLock {
  // Any runtime file there now was left by a goosed that died; it must not name it while this one starts.
  removeRuntimeFile(dataDir);
  let held = true;
  return {
    publish: (info) => writeRuntimeFile(dataDir, info),
    release: () => {
      if (!held) return;
      held = false;
      try {
        removeRuntimeFile(dataDir);
      } finally {
        connection.close();
      }
    },
  };
}
