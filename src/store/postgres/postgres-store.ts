import pg from 'pg';
import { NotFound } from '../../api/domain-errors.js';
import type { Approval } from '../../api/approvals.js';
import type { ContextSummary } from '../../api/context.js';
import type { ApprovalDecision, SessionEvent } from '../../api/events.js';
import type { Message, Usage } from '../../api/messages.js';
import type { SessionSummary } from '../../api/sessions.js';
import { decodeSessionCursor, encodeMessageCursor, encodeSessionCursor, messagePositionAfter } from '../cursor.js';
import { LEASES_CHANNEL, type SharedStore } from '../shared-store.js';
import {
  MESSAGE_COLUMNS,
  SESSION_COLUMNS,
  SUMMARY_COLUMNS,
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
  type StoredMessageRow,
  type StoredMessageSink,
} from '../store.js';
import { toDatabaseValues } from './database-text.js';
import { changes, createPool, forSession, row, rows, transaction, type ConnectionOptions } from './database.js';
import { migrate } from './migrations.js';
import { ApprovalTable } from './postgres-approvals.js';
import { PostgresReplyLeases } from './postgres-leases.js';
import { PostgresNotifications } from './postgres-notifications.js';
import { ExtensionTable, PermissionTable, ProviderTable } from './postgres-settings-tables.js';
import { PostgresSharedEvents } from './postgres-shared-events.js';

const UPDATABLE = new Set(['name', 'working_directory', 'execution_mode', 'status', 'context_tokens', 'context_limit', 'provider', 'model']);
/** Columns whose change is not an edit of the session (it keeps its place in the list). */
const UNTOUCHING = new Set(['status', 'context_tokens', 'context_limit']);

// A session and its seq counter, in one statement.
const CREATE_SESSION = `
  WITH created AS (
    INSERT INTO sessions (id, name, working_directory, execution_mode, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)
    RETURNING ${SESSION_COLUMNS}
  ), counter AS (INSERT INTO session_seq (session_id) SELECT id FROM created)
  SELECT * FROM created`;

// The session row's lock orders the messages of a session, whichever instance adds them: the
// position comes from the counter the same statement raises.
const ADD_MESSAGE = `
  WITH counted AS (
    UPDATE sessions SET message_count = message_count + 1, last_position = last_position + 1, updated_at = $8 WHERE id = $1 RETURNING last_position
  )
  INSERT INTO messages (session_id, position, id, client_id, role, content, parts, status, created_at, usage, error, reply_to, provider, model)
  SELECT $1, last_position, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13 FROM counted`;

// A whole save, and the drop of the text appended since the last one, in one statement.
const SAVE_MESSAGE = `
  WITH saved AS (
    UPDATE messages SET content = $3, parts = $4, status = $5, usage = $6, error = $7 WHERE session_id = $1 AND id = $2 RETURNING id
  )
  DELETE FROM message_appends WHERE message_id IN (SELECT id FROM saved)`;

/**
 * A running reply's text appended since its last whole save (see withAppendedText), in the order
 * added; null for every other message. Read in the statement that reads the message: one snapshot.
 */
const APPENDED_TEXT = `CASE WHEN status = 'running' THEN
  (SELECT string_agg(text, '' ORDER BY added) FROM message_appends WHERE message_id = messages.id) END AS appended`;
const READ_MESSAGE_COLUMNS = `${MESSAGE_COLUMNS}, ${APPENDED_TEXT}`;

export interface PostgresStoreOptions extends ConnectionOptions {
  /** A connection lost while idle, a subscriber that threw: logged, never fatal. */
  onError?: (error: Error) => void;
}

/** The store of goosed on PostgreSQL: what several instances behind one load balancer share. */
export class PostgresStore implements SharedStore {
  readonly providers: ProviderTable;
  readonly extensions: ExtensionTable;
  readonly permissions: PermissionTable;
  readonly sharedEvents: PostgresSharedEvents;
  readonly leases: PostgresReplyLeases;
  readonly notifications: PostgresNotifications;
  private readonly approvals: ApprovalTable;
  private closing: Promise<void> | null = null;

  /** Connects, and brings the schema up to date (once, however many instances start together). */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const onError = options.onError ?? (() => {});
    const pool = createPool(options, onError);
    try {
      await migrate(pool);
    } catch (error) {
      await pool.end().catch(() => {});
      throw error;
    }
    return new PostgresStore(pool, options, onError);
  }

  private constructor(
    private readonly pool: pg.Pool,
    options: ConnectionOptions,
    onError: (error: Error) => void,
  ) {
    this.providers = new ProviderTable(pool);
    this.extensions = new ExtensionTable(pool);
    this.permissions = new PermissionTable(pool);
    this.approvals = new ApprovalTable(pool);
    this.sharedEvents = new PostgresSharedEvents(pool);
    this.leases = new PostgresReplyLeases(pool);
    this.notifications = new PostgresNotifications(options, pool, onError);
  }

  /** Every session is saved: one kept in one instance's memory would be missing on the others. */
  async createSession({ id, name, working_directory, execution_mode, created_at }: NewSession): Promise<SessionSummary> {
    const created = await row<SessionColumns>(this.pool, CREATE_SESSION, [id, name, working_directory, execution_mode, created_at]);
    return toSession(created!);
  }

  async getSession(id: string): Promise<SessionSummary | null> {
    const found = await row<SessionColumns>(this.pool, `SELECT ${SESSION_COLUMNS} FROM sessions WHERE id = $1`, [id]);
    return found ? toSession(found) : null;
  }

  async listSessions({ limit, cursor, q }: SessionListOptions): Promise<SessionPage> {
    const where: string[] = [];
    const values: unknown[] = [];
    if (q) {
      // strpos, not LIKE: every character is literal.
      values.push(q);
      where.push(`(strpos(lower(name), lower($${values.length})) > 0 OR strpos(lower(working_directory), lower($${values.length})) > 0)`);
    }
    if (cursor !== undefined) {
      const after = decodeSessionCursor(cursor);
      if (after === null) throw new Error('a session cursor of the wrong shape reached the store');
      values.push(after.updatedAt, after.id);
      where.push(`(updated_at, id) < ($${values.length - 1}, $${values.length})`);
    }
    values.push(limit + 1);
    const text = `SELECT ${SESSION_COLUMNS} FROM sessions ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
                  ORDER BY updated_at DESC, id DESC LIMIT $${values.length}`;
    const found = await rows<SessionColumns>(this.pool, text, values);
    const more = found.length > limit;
    const items = (more ? found.slice(0, limit) : found).map(toSession);
    const last = items[items.length - 1];
    return { items, nextCursor: more && last ? encodeSessionCursor({ updatedAt: last.updated_at, id: last.id }) : null };
  }

  async updateSession(id: string, sessionChanges: SessionChanges): Promise<SessionSummary | null> {
    const { context, ...plain } = sessionChanges;
    const given: Record<string, unknown> = { ...plain, ...(context ? { context_tokens: context.tokens, context_limit: context.limit } : {}) };
    const columns = Object.keys(given).filter((key) => UPDATABLE.has(key) && given[key] !== undefined);
    if (columns.length === 0) return this.getSession(id);
    const values: unknown[] = [id, ...columns.map((column) => given[column])];
    const set = columns.map((column, index) => `${column} = $${index + 2}`);
    if (columns.some((column) => !UNTOUCHING.has(column))) {
      values.push(new Date().toISOString());
      set.push(`updated_at = $${values.length}`);
    }
    const updated = await row<SessionColumns>(this.pool, `UPDATE sessions SET ${set.join(', ')} WHERE id = $1 RETURNING ${SESSION_COLUMNS}`, values);
    return updated ? toSession(updated) : null;
  }

  /**
   * Locks the session's event counter before the session: a batch of events being appended holds
   * the counter, then needs the session's row (its foreign key), so a DELETE that took the session
   * first and then cascaded to the counter would deadlock with it (and PostgreSQL aborts one).
   */
  async deleteSession(id: string): Promise<boolean> {
    return transaction(this.pool, async (client) => {
      await changes(client, 'SELECT 1 FROM session_seq WHERE session_id = $1 FOR UPDATE', [id]);
      const deleted = (await changes(client, 'DELETE FROM sessions WHERE id = $1', [id])) > 0;
      // Its reply lease went with it: news, as a release is, for messages queued on any instance (they then find it gone).
      if (deleted) await changes(client, `SELECT pg_notify('${LEASES_CHANNEL}', $1)`, [id]);
      return deleted;
    });
  }

  async listBusySessions(): Promise<SessionSummary[]> {
    return (await rows<SessionColumns>(this.pool, `SELECT ${SESSION_COLUMNS} FROM sessions WHERE status <> 'idle'`)).map(toSession);
  }

  async addMessage(message: NewMessage): Promise<void> {
    const { parts, usage, error } = messageJsonColumns(message);
    const added = await forSession(message.session_id, changes(this.pool, ADD_MESSAGE, [
      message.session_id, message.id, message.client_id, message.role, message.content, parts, message.status, message.created_at, usage, error, message.reply_to,
      message.provider, message.model,
    ]));
    // Deleted meanwhile (by another request, or on another instance): the message is refused as for any missing session.
    if (added === 0) throw NotFound.of('session', message.session_id);
  }

  async saveMessage(message: Message): Promise<void> {
    const { parts, usage, error } = messageJsonColumns(message);
    await changes(this.pool, SAVE_MESSAGE, [message.session_id, message.id, message.content, parts, message.status, usage, error]);
  }

  async appendMessageText(sessionId: string, messageId: string, text: string): Promise<void> {
    await changes(this.pool, 'INSERT INTO message_appends (message_id, text) SELECT id, $3 FROM messages WHERE session_id = $1 AND id = $2', [
      sessionId, messageId, text,
    ]);
  }

  async getMessage(sessionId: string, messageId: string): Promise<Message | null> {
    return this.oneMessage(`SELECT ${READ_MESSAGE_COLUMNS} FROM messages WHERE session_id = $1 AND id = $2`, [sessionId, messageId]);
  }

  async findMessageByClientId(sessionId: string, clientId: string): Promise<Message | null> {
    return this.oneMessage(`SELECT ${READ_MESSAGE_COLUMNS} FROM messages WHERE session_id = $1 AND client_id = $2`, [sessionId, clientId]);
  }

  async findReply(sessionId: string, userMessageId: string): Promise<Message | null> {
    return this.oneMessage(`SELECT ${READ_MESSAGE_COLUMNS} FROM messages WHERE session_id = $1 AND reply_to = $2 ORDER BY position LIMIT 1`, [sessionId, userMessageId]);
  }

  async listMessages(sessionId: string, { limit, cursor }: MessagePageOptions): Promise<MessagePage> {
    const found = await rows<MessageColumns>(this.pool, `SELECT ${READ_MESSAGE_COLUMNS} FROM messages WHERE session_id = $1 AND position > $2 ORDER BY position LIMIT $3`, [
      sessionId,
      ...pageBounds(limit, cursor),
    ]);
    const more = limit !== undefined && found.length > limit;
    const page = more ? found.slice(0, limit) : found;
    const last = page[page.length - 1];
    return { items: page.map(messageFromColumns), nextCursor: more && last ? encodeMessageCursor(last.position) : null };
  }

  /** Rows are handed on as they arrive from the server, never gathered into one array. */
  async readStoredMessages(sessionId: string, { limit, cursor }: MessagePageOptions, sink: StoredMessageSink): Promise<{ nextCursor: string | null }> {
    const client = await this.pool.connect();
    let count = 0;
    let lastPosition = 0;
    let more = false;
    let failed = false;
    try {
      await new Promise<void>((resolve, reject) => {
        const config: pg.QueryArrayConfig = {
          // The wire fields in the schema's order, the position (for the cursor), the appended text; rows as arrays.
          text: `SELECT ${STORED_MESSAGE_FIELDS.join(', ')}, position, ${APPENDED_TEXT} FROM messages WHERE session_id = $1 AND position > $2 ORDER BY position LIMIT $3`,
          values: toDatabaseValues([sessionId, ...pageBounds(limit, cursor)]),
          rowMode: 'array',
          name: 'goosed_read_stored_messages',
        };
        // Typed without rowMode, which node-postgres's Query takes all the same.
        const query = new pg.Query(config as pg.QueryConfig);
        // With a row listener and no callback, node-postgres keeps no rows itself.
        query.on('row', (stored: StoredMessageRow) => {
          // The row past `limit` only says that more follow.
          if (count === limit) {
            more = true;
            return;
          }
          sink.row(storedRowWithAppendedText(stored));
          lastPosition = stored[STORED_MESSAGE_FIELDS.length] as number;
          count++;
        });
        query.on('end', () => resolve());
        query.on('error', (error) => {
          failed = true;
          reject(error);
        });
        client.query(query);
      });
    } finally {
      // A connection whose query failed midway is not handed to anyone else.
      client.release(failed);
    }
    return { nextCursor: more ? encodeMessageCursor(lastPosition) : null };
  }

  async addUsage(sessionId: string, usage: Usage): Promise<void> {
    await changes(this.pool, 'UPDATE sessions SET input_tokens = input_tokens + $2, output_tokens = output_tokens + $3 WHERE id = $1', [
      sessionId,
      usage.input_tokens,
      usage.output_tokens,
    ]);
  }

  async addSummary({ id, session_id, text, through_message_id, tokens_before, tokens_after, created_at }: ContextSummary): Promise<void> {
    await changes(this.pool, `INSERT INTO summaries (${SUMMARY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
      id, session_id, text, through_message_id, tokens_before, tokens_after, created_at,
    ]);
  }

  listSummaries(sessionId: string): Promise<ContextSummary[]> {
    return rows<ContextSummary>(this.pool, `SELECT ${SUMMARY_COLUMNS} FROM summaries WHERE session_id = $1 ORDER BY added`, [sessionId]);
  }

  async appendEvent(event: SessionEvent, json = JSON.stringify(event)): Promise<void> {
    await forSession(event.session_id, changes(this.pool, 'INSERT INTO events (session_id, seq, body) VALUES ($1, $2, $3)', [event.session_id, event.seq, json]));
  }

  async listEvents(sessionId: string, afterSeq: number, limit: number): Promise<SessionEvent[]> {
    const found = await rows<{ body: string }>(this.pool, 'SELECT body FROM events WHERE session_id = $1 AND seq > $2 ORDER BY seq LIMIT $3', [sessionId, afterSeq, limit]);
    return found.map(({ body }) => JSON.parse(body) as SessionEvent);
  }

  /** One UPDATE … RETURNING: two instances reserving at once get blocks that do not overlap. */
  async reserveSeq(sessionId: string, block: number): Promise<{ floor: number; ceiling: number }> {
    const raised = await row<{ last_seq: number }>(this.pool, 'UPDATE session_seq SET last_seq = last_seq + $2 WHERE session_id = $1 RETURNING last_seq', [
      sessionId,
      block,
    ]);
    // No such session: nothing to reserve in, as in the SQLite store (its events cannot be stored).
    const ceiling = raised?.last_seq ?? block;
    return { floor: ceiling - block, ceiling };
  }

  createApproval(approval: Approval): Promise<void> {
    return this.approvals.create(approval);
  }

  getApproval(sessionId: string, id: string): Promise<Approval | null> {
    return this.approvals.get(sessionId, id);
  }

  listApprovals(sessionId: string, status?: Approval['status']): Promise<Approval[]> {
    return this.approvals.list(sessionId, status);
  }

  resolveApproval(sessionId: string, id: string, decision: ApprovalDecision, message: string | null): Promise<boolean> {
    return this.approvals.resolve(sessionId, id, decision, message);
  }

  cancelApprovals(sessionId: string, messageId: string): Promise<number> {
    return this.approvals.cancelForMessage(sessionId, messageId);
  }

  async getValue(key: string): Promise<string | null> {
    return (await row<{ value: string }>(this.pool, 'SELECT value FROM kv WHERE key = $1', [key]))?.value ?? null;
  }

  async setValue(key: string, value: string | null): Promise<void> {
    if (value === null) await changes(this.pool, 'DELETE FROM kv WHERE key = $1', [key]);
    else await changes(this.pool, 'INSERT INTO kv (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
  }

  async mergeValue(key: string, patch: Record<string, unknown>): Promise<void> {
    await changes(
      this.pool,
      `INSERT INTO kv (key, value) VALUES ($1, $2::jsonb::text)
       ON CONFLICT (key) DO UPDATE SET value = (kv.value::jsonb || excluded.value::jsonb)::text`,
      [key, JSON.stringify(patch)],
    );
  }

  close(): Promise<void> {
    return (this.closing ??= this.notifications.close().then(() => this.pool.end()));
  }

  private async oneMessage(text: string, values: unknown[]): Promise<Message | null> {
    const found = await row<MessageColumns>(this.pool, text, values);
    return found ? messageFromColumns(found) : null;
  }
}

/** `position > $2` and `LIMIT $3` of a message page: one more than asked for tells whether more follow. */
function pageBounds(limit: number | undefined, cursor: string | undefined): [after: number, limit: number | null] {
  return [messagePositionAfter(cursor), limit ? limit + 1 : (limit ?? null)]; // LIMIT NULL: no limit
}

const toSession = (found: SessionColumns) => sessionFromColumns(found, true);
