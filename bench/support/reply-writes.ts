// The reply-burst baseline: the SQLite statements goosed runs for one short reply (no tools), run
// straight on better-sqlite3 in this process, on a database with goosed's own schema and pragmas.
// What a reply costs goosed beyond these is the server's own work.
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { migrate } from '../../src/store/sqlite/migrations.js';
import { PAGE_CACHE_PRAGMA } from '../../src/store/sqlite/sqlite-store.js';

const SESSION_COLUMNS = 'id, name, working_directory, execution_mode, status, created_at, updated_at, message_count, input_tokens, output_tokens, context_tokens, context_limit, provider, model';

/** CPU time (user + system, µs) of `replies` short replies' statements, each in its own session. */
export function replyWritesCpuUs(databaseFile: string, replies: number): number {
  const db = new Database(databaseFile);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma(PAGE_CACHE_PRAGMA);
  migrate(db);
  try {
    const now = () => new Date().toISOString();
    const sessions = Array.from({ length: replies }, () => randomUUID());
    const insertSession = db.prepare(`INSERT INTO sessions (id, name, working_directory, created_at, updated_at) VALUES (?, 'bench', '/tmp', ?, ?)`);
    db.transaction(() => {
      for (const id of sessions) insertSession.run(id, now(), now());
    })();
    const s = {
      nextPosition: db.prepare('SELECT COALESCE(MAX(position), 0) + 1 FROM messages WHERE session_id = ?').pluck(),
      insertMessage: db.prepare(
        `INSERT INTO messages (session_id, position, id, client_id, role, content, parts, status, created_at, usage, error, reply_to, provider, model)
         VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)`,
      ),
      countMessage: db.prepare('UPDATE sessions SET message_count = message_count + 1, updated_at = ? WHERE id = ?'),
      getReserved: db.prepare('SELECT seq_reserved FROM sessions WHERE id = ?').pluck(),
      setReserved: db.prepare('UPDATE sessions SET seq_reserved = ? WHERE id = ?'),
      appendEvent: db.prepare('INSERT INTO events (session_id, seq, body) VALUES (?, ?, ?)'),
      setStatus: db.prepare('UPDATE sessions SET status = ? WHERE id = ?'),
      setContext: db.prepare('UPDATE sessions SET context_tokens = ?, context_limit = ? WHERE id = ?'),
      getSession: db.prepare(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE id = ?`),
      history: db.prepare('SELECT * FROM messages WHERE session_id = ? AND position > 0 ORDER BY position LIMIT -1'),
      summaries: db.prepare('SELECT * FROM summaries WHERE session_id = ? ORDER BY rowid'),
      saveMessage: db.prepare('UPDATE messages SET content = ?, parts = ?, status = ?, usage = ?, error = NULL WHERE session_id = ? AND id = ?'),
      dropAppends: db.prepare('DELETE FROM message_appends WHERE message_id = ?'),
      addUsage: db.prepare('UPDATE sessions SET input_tokens = input_tokens + ?, output_tokens = output_tokens + ? WHERE id = ?'),
    };
    const usage = JSON.stringify({ input_tokens: 10, output_tokens: 1, total_tokens: 11 });
    const addMessage = db.transaction((session: string, id: string, role: string, text: string, status: string, replyTo: string | null) => {
      const position = s.nextPosition.get(session) as number;
      s.insertMessage.run(session, position, id, role, text, JSON.stringify(text ? [{ type: 'text', text }] : []), status, now(), usage, replyTo, 'openai', 'm');
      s.countMessage.run(now(), session);
    });
    const reserve = db.transaction((session: string) => {
      const floor = (s.getReserved.get(session) as number) ?? 0;
      s.setReserved.run(floor + 1000, session);
      return floor;
    });
    // An event body of about the size goosed writes (its message or session inside).
    const event = (session: string, seq: number, type: string) =>
      s.appendEvent.run(session, seq, JSON.stringify({ type, seq, session_id: session, created_at: now(), message: { id: randomUUID(), content: 'Tell me a long story.', parts: [], usage } }));
    const status = (session: string, value: string) => {
      s.setStatus.run(value, session);
      s.getSession.get(session);
    };
    // In the transactions goosed makes them (the store commits the writes made together at once).
    const start = db.transaction((session: string, userId: string, replyId: string) => {
      addMessage(session, userId, 'user', 'Tell me a long story.', 'complete', null);
      addMessage(session, replyId, 'assistant', '', 'running', userId);
      status(session, 'running');
    });
    const events = db.transaction((session: string, first: number, types: string[]) => types.forEach((type, index) => event(session, first + index, type)));
    const end = db.transaction((session: string, replyId: string) => {
      s.saveMessage.run('tok0 ', JSON.stringify([{ type: 'text', text: 'tok0 ' }]), 'complete', usage, session, replyId);
      s.dropAppends.run(replyId);
      s.addUsage.run(10, 1, session);
      s.setContext.run(20, null, session);
      s.getSession.get(session);
    });
    const before = process.cpuUsage();
    for (const session of sessions) {
      const userId = randomUUID();
      const replyId = randomUUID();
      // The start (message in → provider request out): the seq block of a session's first reply,
      // both messages and the running status, the three events; the history and summaries read.
      const seq = reserve(session);
      start(session, userId, replyId);
      events(session, seq + 1, ['user_message', 'message_start', 'session_updated']);
      s.history.all(session);
      s.summaries.all(session);
      // The end: the message saved with usage and context, its end event, the idle status and its event.
      end(session, replyId);
      event(session, seq + 4, 'message_complete');
      status(session, 'idle');
      event(session, seq + 5, 'session_updated');
    }
    const used = process.cpuUsage(before);
    return used.user + used.system;
  } finally {
    db.close();
  }
}
