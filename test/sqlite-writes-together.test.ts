import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Message } from '../src/api/messages.js';
import type { SessionEvent } from '../src/api/events.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { removeDirectory, temporaryDirectory } from './support/goosed.js';
import { commitFrames } from './support/wal-commits.js';

// The SQLite store commits the writes made together (before the next tick) in one transaction,
// counted in its write-ahead log.

const message = (id: string, text: string): Message => ({
  id, session_id: 's', role: 'assistant', content: text, parts: [{ type: 'text', text }], status: 'running',
  created_at: '2020-01-01T00:00:01.000Z', usage: null, error: null, reply_to: null, provider: null, model: null,
});
const event = (seq: number): SessionEvent =>
  ({ type: 'message_start', seq, session_id: 's', created_at: '2020-01-01T00:00:02.000Z', message_id: 'a', message: message('a', '') }) as SessionEvent;

describe('SQLite writes made together', () => {
  it('are committed in one transaction, and one the database refuses fails alone', async () => {
    const dir = temporaryDirectory('goosed-store-');
    const file = join(dir, 'goosed.db');
    const store = new SqliteStore(file);
    try {
      await store.createSession({ id: 's', name: 's', working_directory: '/tmp', execution_mode: null, created_at: '2020-01-01T00:00:00.000Z' });
      await store.addMessage({ ...message('a', ''), client_id: null });
      await store.addMessage({ ...message('b', ''), client_id: null });
      const before = commitFrames(`${file}-wal`);

      const results = await Promise.allSettled([
        store.saveMessage(message('a', 'one')),
        store.saveMessage(message('b', 'two')),
        store.appendEvent(event(1)),
        store.appendEvent(event(1)), // the same seq again: refused by the primary key
        store.appendEvent(event(2)),
        store.updateSession('s', { status: 'running' }),
        store.addUsage('s', { input_tokens: 3, output_tokens: 4, total_tokens: 7 }),
      ]);

      expect(commitFrames(`${file}-wal`) - before).toBe(1);
      expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
      expect((await store.getMessage('s', 'b'))?.content).toBe('two');
      expect((await store.listEvents('s', 0, 10)).map((e) => e.seq)).toEqual([1, 2]);
      expect(await store.getSession('s')).toMatchObject({ status: 'running', usage: { input_tokens: 3, output_tokens: 4 } });
    } finally {
      await store.close();
      removeDirectory(dir);
    }
  });
});
