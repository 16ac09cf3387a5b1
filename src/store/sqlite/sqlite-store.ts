import Database from 'better-sqlite3';
import type { Message, Usage } from '../../api/messages.js';
import type { SessionSummary } from '../../api/sessions.js';
import type { ApprovalDecision, SessionEvent } from '../../api/events.js';
import type { Approval } from '../../api/approvals.js';
import type { ContextSummary } from '../../api/context.js';
import { migrate } from './migrations.js';
import { decodeSessionCursor, encodeMessageCursor, encodeSessionCursor, messagePositionAfter } from '../cursor.js';
import { ExtensionTable, PermissionTable, ProviderTable } from './sqlite-settings-tables.js';
import { ApprovalTable } from './sqlite-approvals.js';
import {
  MESSAGE_COLUMNS,
  SUMMARY_COLUMNS,
  SESSION_COLUMNS,
  messageFromColumns,
  messageJsonColumns,
  sessionFromColumns,
  storedRowWithAppendedText,
  type MessageColumns,
  type SessionColumns,
} from '../stored-columns.js';
import {
  STORED_MESSAGE_FIELDS,
  type MessagePage,
  type MessagePageOptions,
  type NewMessage,
  type NewSession,
  type SessionChanges,
  type SessionListOptions,
  type SessionPage,
  type Store,
  type StoredMessageRow,
  type StoredMessageSink,
} from '../store.js';

/**
 * SQLite's page cache, per connection (negative: KiB). The default 2 MiB cannot hold one long
 * history (10,000 messages are about 10 MB of pages), so each fetch of it read every page from the
 * file again: a third of the query's time. It fills only as pages are read.
 */
export const PAGE_CACHE_PRAGMA = 'cache_size = -32768';

/** `position > ?` and `LIMIT ?` of a message page: one more than asked for tells whether more follow. */
function pageBounds(limit: number | undefined, cursor: string | undefined): [after: number, limit: number] {
  return [messagePositionAfter(cursor), limit ? limit + 1 : (limit ?? -1)]; // -1: no limit in SQLite
}

/**
 * A running reply's text appended since its last whole save (see withAppendedText), in the order
 * written; null for every other message, whose appends were dropped when it was last saved.
 */
const APPENDED_TEXT = `CASE WHEN status = 'running' THEN
  (SELECT group_concat(text, '' ORDER BY rowid) FROM message_appends WHERE message_id = messages.id) END AS appended`;
const READ_MESSAGE_COLUMNS = `${MESSAGE_COLUMNS}, ${APPENDED_TEXT}`;

/** Columns whose change is not an edit of the session (it keeps its place in the list). */
const UNTOUCHING_COLUMNS = new Set(['status', 'context_tokens', 'context_limit']);

interface PendingWrite {
  write(): unknown;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** The embedded store: one SQLite file in WAL mode, or `:memory:` for sessions that are not saved. */
export class SqliteStore implements Store {
  readonly writesInCallOrder = true;
  readonly persistent: boolean;
  readonly providers: ProviderTable;
  readonly extensions: ExtensionTable;
  readonly permissions: PermissionTable;
  readonly approvals: ApprovalTable;
  private readonly db: Database.Database;
  private readonly statements;

  constructor(filename: string) {
    this.persistent = filename !== ':memory:';
    this.db = new Database(filename);
    this.db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: a commit survives a process crash; only an OS crash may lose the last ones.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma(PAGE_CACHE_PRAGMA);
    migrate(this.db);
    const db = this.db;
    this.providers = new ProviderTable(db);
    this.extensions = new ExtensionTable(db);
    this.permissions = new PermissionTable(db);
    this.approvals = new ApprovalTable(db);
    this.statements = {
      insertSession: db.prepare(
        `INSERT INTO sessions (id, name, working_directory, execution_mode, created_at, updated_at)
         VALUES (@id, @name, @working_directory, @execution_mode, @created_at, @created_at)`,
      ),
      getSession: db.prepare(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE id = ?`),
      deleteSession: db.prepare('DELETE FROM sessions WHERE id = ?'),
      busySessions: db.prepare(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE status != 'idle'`),
      touchSession: db.prepare('UPDATE sessions SET updated_at = ? WHERE id = ?'),
      countMessage: db.prepare('UPDATE sessions SET message_count = message_count + 1, updated_at = ? WHERE id = ?'),
      addUsage: db.prepare('UPDATE sessions SET input_tokens = input_tokens + ?, output_tokens = output_tokens + ? WHERE id = ?'),
      nextPosition: db.prepare('SELECT COALESCE(MAX(position), 0) + 1 AS position FROM messages WHERE session_id = ?').pluck(),
      insertMessage: db.prepare(
        `INSERT INTO messages (session_id, position, id, client_id, role, content, parts, status, created_at, usage, error, reply_to, provider, model)
         VALUES (@session_id, @position, @id, @client_id, @role, @content, @parts, @status, @created_at, @usage, @error, @reply_to, @provider, @model)`,
      ),
      saveMessage: db.prepare(
        `UPDATE messages SET content = @content, parts = @parts, status = @status, usage = @usage, error = @error
         WHERE session_id = @session_id AND id = @id`,
      ),
      dropAppends: db.prepare('DELETE FROM message_appends WHERE message_id = ?'),
      appendText: db.prepare('INSERT INTO message_appends (message_id, text) SELECT id, ? FROM messages WHERE session_id = ? AND id = ?'),
      getMessage: db.prepare(`SELECT ${READ_MESSAGE_COLUMNS} FROM messages WHERE session_id = ? AND id = ?`),
      replyTo: db.prepare(`SELECT ${READ_MESSAGE_COLUMNS} FROM messages WHERE session_id = ? AND reply_to = ? ORDER BY position LIMIT 1`),
      messageByClientId: db.prepare(`SELECT ${READ_MESSAGE_COLUMNS} FROM messages WHERE session_id = ? AND client_id = ?`),
      listMessages: db.prepare(
        `SELECT ${READ_MESSAGE_COLUMNS} FROM messages WHERE session_id = ? AND position > ? ORDER BY position LIMIT ?`,
      ),
      countMessagesAfter: db.prepare('SELECT COUNT(*) FROM messages WHERE session_id = ? AND position > ?').pluck(),
      // The wire fields in the schema's order, the position (for the cursor), the appended text; rows as arrays.
      listStoredMessages: db
        .prepare(`SELECT ${STORED_MESSAGE_FIELDS.join(', ')}, position, ${APPENDED_TEXT} FROM messages WHERE session_id = ? AND position > ? ORDER BY position LIMIT ?`)
        .raw(),
      addSummary: db.prepare(
        `INSERT INTO summaries (${SUMMARY_COLUMNS}) VALUES (@id, @session_id, @text, @through_message_id, @tokens_before, @tokens_after, @created_at)`,
      ),
      listSummaries: db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM summaries WHERE session_id = ? ORDER BY rowid`),
      appendEvent: db.prepare('INSERT INTO events (session_id, seq, body) VALUES (?, ?, ?)'),
      listEvents: db.prepare('SELECT body FROM events WHERE session_id = ? AND seq > ? ORDER BY seq LIMIT ?').pluck(),
      getReserved: db.prepare('SELECT seq_reserved FROM sessions WHERE id = ?').pluck(),
      setReserved: db.prepare('UPDATE sessions SET seq_reserved = ? WHERE id = ?'),
      getValue: db.prepare('SELECT value FROM kv WHERE key = ?').pluck(),
      setValue: db.prepare('INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      deleteValue: db.prepare('DELETE FROM kv WHERE key = ?'),
    };
  }

  /** This store keeps every session in its one file (or in memory): `persist` is for TieredStore. */
  async createSession(session: NewSession): Promise<SessionSummary> {
    const { id, name, working_directory, execution_mode, created_at } = session;
    this.statements.insertSession.run({ id, name, working_directory, execution_mode, created_at });
    return this.readSession(id)!;
  }

  async getSession(id: string): Promise<SessionSummary | null> {
    return this.readSession(id);
  }

  async listSessions({ limit, cursor, q }: SessionListOptions): Promise<SessionPage> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (q) {
      // instr, not LIKE: every character is literal (LIKE reads % and _ as wildcards and ends its pattern at a NUL).
      where.push('(instr(lower(name), lower(?)) > 0 OR instr(lower(working_directory), lower(?)) > 0)');
      params.push(q, q);
    }
    if (cursor !== undefined) {
      const after = decodeSessionCursor(cursor);
      if (after === null) throw new Error('a session cursor of the wrong shape reached the store');
      where.push('(updated_at < ? OR (updated_at = ? AND id < ?))');
      params.push(after.updatedAt, after.updatedAt, after.id);
    }
    const sql = `SELECT ${SESSION_COLUMNS} FROM sessions ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
                 ORDER BY updated_at DESC, id DESC LIMIT ?`;
    // better-sqlite3 caches nothing itself; the few shapes this builds are cached here.
    const rows = this.prepareCached(sql).all(...params, limit + 1) as SessionColumns[];
    const more = rows.length > limit;
    const items = (more ? rows.slice(0, limit) : rows).map((row) => sessionFromColumns(row, this.persistent));
    const last = items[items.length - 1];
    return { items, nextCursor: more && last ? encodeSessionCursor({ updatedAt: last.updated_at, id: last.id }) : null };
  }

  updateSession(id: string, changes: SessionChanges): Promise<SessionSummary | null> {
    const { context, ...plain } = changes;
    const values: Record<string, unknown> = { ...plain, ...(context ? { context_tokens: context.tokens, context_limit: context.limit } : {}) };
    const columns = Object.keys(values).filter((key) => values[key] !== undefined);
    const updatedAt = new Date().toISOString();
    return this.batched(() => {
      if (columns.length > 0) {
        const set = columns.map((column) => `${column} = @${column}`).join(', ');
        const touch = columns.some((column) => !UNTOUCHING_COLUMNS.has(column)) ? ', updated_at = @updated_at' : '';
        this.prepareCached(`UPDATE sessions SET ${set}${touch} WHERE id = @id`).run({ ...values, id, updated_at: updatedAt });
      }
      return this.readSession(id);
    });
  }

  async deleteSession(id: string): Promise<boolean> {
    return this.statements.deleteSession.run(id).changes > 0;
  }

  async listBusySessions(): Promise<SessionSummary[]> {
    return (this.statements.busySessions.all() as SessionColumns[]).map((row) => sessionFromColumns(row, this.persistent));
  }

  addMessage(message: NewMessage): Promise<void> {
    return this.batched(() => {
      this.db.transaction(() => {
        const position = this.statements.nextPosition.get(message.session_id) as number;
        this.statements.insertMessage.run(this.toMessageRow(message, position, message.client_id));
        this.statements.countMessage.run(message.created_at, message.session_id);
      })();
    });
  }

  /** The message as it is now (see `batched`); its appended text goes in the same transaction. */
  saveMessage(message: Message): Promise<void> {
    const row = this.toMessageRow(message, 0, null);
    return this.batched(() => {
      if (this.statements.saveMessage.run(row).changes > 0) this.statements.dropAppends.run(message.id);
    });
  }

  appendMessageText(sessionId: string, messageId: string, text: string): Promise<void> {
    return this.batched(() => {
      this.statements.appendText.run(text, sessionId, messageId);
    });
  }

  async getMessage(sessionId: string, messageId: string): Promise<Message | null> {
    const row = this.statements.getMessage.get(sessionId, messageId) as MessageColumns | undefined;
    return row ? messageFromColumns(row) : null;
  }

  async findReply(sessionId: string, userMessageId: string): Promise<Message | null> {
    const row = this.statements.replyTo.get(sessionId, userMessageId) as MessageColumns | undefined;
    return row ? messageFromColumns(row) : null;
  }

  async findMessageByClientId(sessionId: string, clientId: string): Promise<Message | null> {
    const row = this.statements.messageByClientId.get(sessionId, clientId) as MessageColumns | undefined;
    return row ? messageFromColumns(row) : null;
  }

  async listMessages(sessionId: string, { limit, cursor }: MessagePageOptions): Promise<MessagePage> {
    const rows = this.statements.listMessages.all(sessionId, ...pageBounds(limit, cursor)) as MessageColumns[];
    const more = limit !== undefined && rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    const last = page[page.length - 1];
    return { items: page.map((row) => messageFromColumns(row)), nextCursor: more && last ? encodeMessageCursor(last.position) : null };
  }

  async readStoredMessages(sessionId: string, { limit, cursor }: MessagePageOptions, sink: StoredMessageSink): Promise<{ nextCursor: string | null }> {
    const [after, max] = pageBounds(limit, cursor);
    // From the index alone (no row is read): the sink can make room for the page once.
    const remaining = this.statements.countMessagesAfter.get(sessionId, after) as number;
    sink.expect?.(Math.min(remaining, limit ?? remaining));
    let count = 0;
    let lastPosition = 0;
    // Row by row (iterate, not all): each row is garbage as soon as the sink has it.
    for (const row of this.statements.listStoredMessages.iterate(sessionId, after, max) as Iterable<StoredMessageRow>) {
      // The row past `limit` says more follow. Leaving the loop early resets the statement.
      if (count === limit) return { nextCursor: encodeMessageCursor(lastPosition) };
      sink.row(storedRowWithAppendedText(row));
      // The position follows the wire fields (see the statement).
      lastPosition = row[STORED_MESSAGE_FIELDS.length] as number;
      count++;
    }
    return { nextCursor: null };
  }

  addUsage(sessionId: string, usage: Usage): Promise<void> {
    return this.batched(() => {
      this.statements.addUsage.run(usage.input_tokens, usage.output_tokens, sessionId);
    });
  }

  async addSummary(summary: ContextSummary): Promise<void> {
    this.statements.addSummary.run(summary);
  }

  async listSummaries(sessionId: string): Promise<ContextSummary[]> {
    return this.statements.listSummaries.all(sessionId) as ContextSummary[];
  }

  appendEvent(event: SessionEvent, json = JSON.stringify(event)): Promise<void> {
    return this.appendEventJson(event.session_id, event.seq, json);
  }

  /** appendEvent with the event as its JSON alone (what the write thread is sent). */
  appendEventJson(sessionId: string, seq: number, json: string): Promise<void> {
    return this.batched(() => {
      this.statements.appendEvent.run(sessionId, seq, json);
    });
  }

  async listEvents(sessionId: string, afterSeq: number, limit: number): Promise<SessionEvent[]> {
    return (this.statements.listEvents.all(sessionId, afterSeq, limit) as string[]).map((body) => JSON.parse(body) as SessionEvent);
  }

  async reserveSeq(sessionId: string, block: number): Promise<{ floor: number; ceiling: number }> {
    return this.db.transaction(() => {
      const floor = (this.statements.getReserved.get(sessionId) as number | undefined) ?? 0;
      this.statements.setReserved.run(floor + block, sessionId);
      return { floor, ceiling: floor + block };
    })();
  }

  async createApproval(approval: Approval): Promise<void> {
    this.approvals.create(approval);
  }

  async getApproval(sessionId: string, id: string): Promise<Approval | null> {
    return this.approvals.get(sessionId, id);
  }

  async listApprovals(sessionId: string, status?: Approval['status']): Promise<Approval[]> {
    return this.approvals.list(sessionId, status);
  }

  async resolveApproval(sessionId: string, id: string, decision: ApprovalDecision, message: string | null): Promise<boolean> {
    return this.approvals.resolve(sessionId, id, decision, message);
  }

  async cancelApprovals(sessionId: string, messageId: string): Promise<number> {
    return this.approvals.cancelForMessage(sessionId, messageId);
  }

  async getValue(key: string): Promise<string | null> {
    return (this.statements.getValue.get(key) as string | undefined) ?? null;
  }

  async setValue(key: string, value: string | null): Promise<void> {
    if (value === null) this.statements.deleteValue.run(key);
    else this.statements.setValue.run(key, value);
  }

  /**
   * Runs `work` in one transaction: the store's methods called in it run their statements before
   * they return (their promises are already settled), so they are part of it. For bulk loading.
   */
  transaction<T>(work: () => T): T {
    // IMMEDIATE: it takes the write lock at once, and so waits (busy_timeout) for another
    // connection's writes instead of failing when it would upgrade a read to a write.
    return this.db.transaction(work).immediate();
  }

  async close(): Promise<void> {
    if (this.pending !== null) this.commitPending();
    if (this.db.open) this.db.close();
  }

  /** Writes made since the last commit, committed together at the next tick. */
  private pending: PendingWrite[] | null = null;

  /**
   * Runs a write together with the others made before the next tick (in the same run of code and
   * the promise callbacks it sets off: every reply saving its streamed text at a tick, a reply's
   * start), in one transaction, and settles each once that has committed. A commit costs this VM
   * more than the rows it writes (file locks, WAL frames), and 500 replies made thousands of them.
   * A write inside `transaction` runs at once, as part of it.
   */
  private batched<T>(write: () => T): Promise<T> {
    if (this.db.inTransaction) {
      try {
        return Promise.resolve(write());
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return new Promise<T>((resolve, reject) => {
      if (this.pending === null) {
        this.pending = [];
        process.nextTick(this.commitPending);
      }
      this.pending.push({ write, resolve: resolve as (value: unknown) => void, reject });
    });
  }

  private readonly commitPending = () => {
    const writes = this.pending;
    this.pending = null;
    if (writes === null) return;
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    const runAll = () => {
      for (const { write } of writes) {
        // A write the database refuses fails alone (SQLite undoes that statement only).
        try {
          outcomes.push({ ok: true, value: write() });
        } catch (error) {
          outcomes.push({ ok: false, error });
        }
      }
    };
    try {
      if (writes.length === 1) runAll();
      else this.db.transaction(runAll).immediate();
    } catch (error) {
      // The commit failed: none of them was written.
      for (const { reject } of writes) reject(error);
      return;
    }
    writes.forEach(({ resolve, reject }, index) => {
      const outcome = outcomes[index];
      if (outcome.ok) resolve(outcome.value);
      else reject(outcome.error);
    });
  };

  private readSession(id: string): SessionSummary | null {
    const row = this.statements.getSession.get(id) as SessionColumns | undefined;
    return row ? sessionFromColumns(row, this.persistent) : null;
  }

  private readonly cache = new Map<string, Database.Statement>();
  private prepareCached(sql: string): Database.Statement {
    let statement = this.cache.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.cache.set(sql, statement);
    }
    return statement;
  }

  private toMessageRow(message: Message, position: number, clientId: string | null): MessageColumns & { client_id: string | null } {
    const { session_id, id, role, content, status, created_at, reply_to, provider, model } = message;
    return { session_id, position, id, client_id: clientId, role, content, status, created_at, reply_to, provider, model, ...messageJsonColumns(message) };
  }
}
