import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { ThreadedSqliteStore } from '../src/store/sqlite/threaded-sqlite-store.js';
import { TieredStore } from '../src/store/tiered-store.js';
import { removeDirectory, temporaryDirectory } from './support/goosed.js';
import { sqliteWriterScript } from './support/goosed-bundle.js';
import { storeContract } from './support/store-contract.js';

// The store contract suite against each SQLite store goosed can run on: the file as goosed opens it
// (TieredStore over the file with its write thread), the threaded store alone, SqliteStore on the
// file (what the write thread runs), and the in-memory store.

function inDirectory(make: (file: string) => SqliteStore | ThreadedSqliteStore | TieredStore) {
  return async () => {
    const dir = temporaryDirectory('goosed-store-');
    const file = join(dir, 'goosed.db');
    return { store: make(file), reopen: async () => make(file), alongside: async () => make(file), cleanup: () => removeDirectory(dir) };
  };
}

storeContract('SQLite file', inDirectory((file) => new SqliteStore(file)), { persists: true, alongside: true });
storeContract('SQLite in memory', async () => ({ store: new SqliteStore(':memory:') }), { persists: false });
storeContract('SQLite file, writes on a thread of their own', inDirectory((file) => new ThreadedSqliteStore(file, { script: sqliteWriterScript() })), { persists: true, alongside: true });
storeContract('TieredStore (file with a write thread + memory)', inDirectory((file) => new TieredStore(new ThreadedSqliteStore(file, { script: sqliteWriterScript() }))), { persists: true, alongside: true });

describe('TieredStore', () => {
  it('keeps a session created with persist false in memory only: listed with the rest, gone after a restart', async () => {
    const dir = temporaryDirectory('goosed-store-');
    const file = join(dir, 'goosed.db');
    const created = '2020-01-01T00:00:00.000Z';
    let store = new TieredStore(new ThreadedSqliteStore(file, { script: sqliteWriterScript() }));
    try {
      const saved = await store.createSession({ id: 'saved', name: 'saved', working_directory: '/tmp', execution_mode: null, created_at: created });
      const memory = await store.createSession({ id: 'memory', name: 'memory', working_directory: '/tmp', execution_mode: null, created_at: created }, { persist: false });
      expect([saved.persisted, memory.persisted]).toEqual([true, false]);
      await store.addMessage({
        id: 'm1', session_id: 'memory', role: 'user', content: 'hi', parts: [{ type: 'text', text: 'hi' }], status: 'complete',
        created_at: '2020-01-01T00:00:01.000Z', usage: null, error: null, reply_to: null, provider: null, model: null, client_id: null,
      });
      expect((await store.listSessions({ limit: 10 })).items.map((s) => s.id)).toEqual(['memory', 'saved']);
      expect((await store.listMessages('memory', {})).items).toHaveLength(1);
      await store.updateSession('memory', { status: 'running' });
      // Only saved sessions have replies that outlive the process.
      expect(await store.listBusySessions()).toEqual([]);
      await store.close();
      store = new TieredStore(new ThreadedSqliteStore(file, { script: sqliteWriterScript() }));
      expect((await store.listSessions({ limit: 10 })).items.map((s) => s.id)).toEqual(['saved']);
      expect(await store.getSession('memory')).toBeNull();
    } finally {
      await store.close();
      removeDirectory(dir);
    }
  });
});
