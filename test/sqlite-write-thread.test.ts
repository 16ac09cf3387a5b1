import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ThreadedSqliteStore } from '../src/store/sqlite/threaded-sqlite-store.js';
import { sqliteWriterScript } from './support/goosed-bundle.js';
import { removeDirectory, temporaryDirectory } from './support/goosed.js';
import { newMessage, newSession } from './support/store-records.js';

// The SQLite store with its writes on a thread of their own (what goosed opens for its data
// directory): what a caller may count on beyond the store contract (store-contract-sqlite.test.ts,
// which this store passes too), since its writes now commit on another thread, later.

const dirs: string[] = [];
const stores: ThreadedSqliteStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close().catch(() => {})));
  for (const dir of dirs.splice(0)) removeDirectory(dir);
});

function open(script = sqliteWriterScript()): { store: ThreadedSqliteStore; file: string } {
  const dir = temporaryDirectory('goosed-write-thread-');
  dirs.push(dir);
  const file = join(dir, 'goosed.db');
  const store = new ThreadedSqliteStore(file, { script });
  stores.push(store);
  return { store, file };
}

describe('the SQLite store with a write thread', () => {
  it('answers a read with every write called before it, awaited or not', async () => {
    const { store } = open();
    // None awaited: each read below is called after the writes it must see.
    void store.createSession(newSession('s1'));
    void store.addMessage(newMessage('s1', 'm1'));
    void store.setValue('k', 'v1');
    expect((await store.listMessages('s1', {})).items.map((m) => m.id)).toEqual(['m1']);
    void store.setValue('k', 'v2');
    void store.addMessage(newMessage('s1', 'm2'));
    const [value, messages, session] = await Promise.all([store.getValue('k'), store.listMessages('s1', {}), store.getSession('s1')]);
    expect(value).toBe('v2');
    expect(messages.items.map((m) => m.id)).toEqual(['m1', 'm2']);
    expect(session?.message_count).toBe(2);
  });

  it('stores what a write was given when it was called, not what the object became before the thread took it', async () => {
    const { store } = open();
    await store.createSession(newSession('s1'));
    const message = newMessage('s1', 'm1', { role: 'assistant', status: 'running', content: 'first', parts: [{ type: 'text', text: 'first' }] });
    await store.addMessage(message);
    const saved = store.saveMessage(message);
    // Changed in place in the same tick, as a streaming reply changes its message.
    message.content = 'changed';
    (message.parts[0] as { text: string }).text = 'changed';
    await saved;
    expect(await store.getMessage('s1', 'm1')).toMatchObject({ content: 'first', parts: [{ type: 'text', text: 'first' }] });
  });

  it('fails a write the database refuses alone, with its SQLite code; the others made with it are committed', async () => {
    const { store, file } = open();
    await store.createSession(newSession('s1'));
    const record = { id: 'e1', name: 'dup', type: 'builtin' as const, config: {}, enabled: true, created_at: '2020-01-01T00:00:00.000Z', session_id: null };
    const writes = [
      store.setValue('before', '1'),
      store.extensions.insert(record),
      store.extensions.insert({ ...record, id: 'e2' }),
      store.addMessage(newMessage('s1', 'm1')),
    ];
    const outcomes = await Promise.allSettled(writes);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[2] as PromiseRejectedResult).reason).toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE' });
    await store.close();
    // Committed to the file, as another process sees it.
    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare('SELECT value FROM kv WHERE key = ?').pluck().get('before')).toBe('1');
      expect(db.prepare('SELECT id FROM extensions').pluck().all()).toEqual(['e1']);
      expect(db.prepare('SELECT id FROM messages').pluck().all()).toEqual(['m1']);
    } finally {
      db.close();
    }
  });

  it('refuses a value that cannot be copied to the thread, alone', async () => {
    const { store } = open();
    await store.createSession(newSession('s1'));
    const bad = store.updateSession('s1', { name: (() => 'x') as unknown as string });
    const good = store.updateSession('s1', { name: 'renamed' });
    await expect(bad).rejects.toThrow(/could not be cloned/);
    expect((await good)?.name).toBe('renamed');
  });

  it('fails writes with a clear error, and keeps reads working, when the thread cannot start', async () => {
    const { store } = open(pathToFileURL('/nonexistent/goosed-sqlite-writer.cjs'));
    await expect(store.setValue('k', 'v')).rejects.toThrow(/the SQLite write thread (failed|exited)/);
    await expect(store.createSession(newSession('s1'))).rejects.toThrow(/the SQLite write thread/);
    expect(await store.getValue('k')).toBeNull();
    expect(await store.getSession('s1')).toBeNull();
  });

  it('commits the writes still outstanding when it is closed', async () => {
    const { store, file } = open();
    void store.createSession(newSession('s1'));
    for (let i = 0; i < 50; i++) void store.addMessage(newMessage('s1', `m${i}`));
    await store.close();
    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare('SELECT COUNT(*) FROM messages').pluck().get()).toBe(50);
    } finally {
      db.close();
    }
    await expect(store.setValue('k', 'v')).rejects.toThrow(/closed/);
  });
});
