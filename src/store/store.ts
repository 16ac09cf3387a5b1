import type { Approval } from '../api/approvals.js';
import type { ContextSummary } from '../api/context.js';
import type { ApprovalDecision, SessionEvent } from '../api/events.js';
import type { ExtensionType } from '../api/extensions.js';
import type { Message, Usage } from '../api/messages.js';
import type { Permission, PermissionDecision } from '../api/permissions.js';
import type { ProviderName } from '../api/provider-names.js';
import type { SessionStatus, SessionSummary } from '../api/sessions.js';
import type { ExecutionMode } from '../api/settings.js';

// The contract between goosed and its storage, and the records it holds. SQLite implements it
// (sqlite/, and TieredStore for sessions kept in memory); a PostgreSQL store for several instances
// behind one load balancer implements the same, and test/support/store-contract.ts proves either.

export interface SessionPage {
  items: SessionSummary[];
  nextCursor: string | null;
}

export interface SessionListOptions {
  limit: number;
  /** A cursor this store handed out (callers refuse others first: see cursor.ts). */
  cursor?: string;
  /** Case-insensitive, literal search in names and working directories. */
  q?: string;
}

/** A new session has no provider or model of its own (both null) until updateSession gives them. */
export interface NewSession {
  id: string;
  name: string;
  working_directory: string;
  execution_mode: ExecutionMode | null;
  created_at: string;
}

/** Changing `status` or `context` alone is not an edit: the session keeps its `updated_at`. */
export type SessionChanges = Partial<Pick<SessionSummary, 'name' | 'working_directory' | 'execution_mode' | 'status' | 'context' | 'provider' | 'model'>>;

export interface MessagePageOptions {
  limit?: number;
  /** A cursor this store handed out (callers refuse others first: see cursor.ts). */
  cursor?: string;
}

export interface MessagePage {
  items: Message[];
  nextCursor: string | null;
}

export interface NewMessage extends Message {
  /** Client-chosen id (idempotency); unique within a session. */
  client_id: string | null;
}

/**
 * The wire fields of a message in its schema's order (api/messages.ts): the order of a
 * StoredMessageRow's values. Listed here rather than read from the schema, so that the SQLite write
 * thread, which runs this module, loads no zod; the type below fails to compile when a field is
 * missing, and the store contract checks the order against the schema.
 */
export const STORED_MESSAGE_FIELDS = ['id', 'session_id', 'role', 'content', 'parts', 'status', 'created_at', 'usage', 'error', 'reply_to', 'provider', 'model'] as const satisfies readonly (keyof Message)[];
const everyMessageField: Exclude<keyof Message, (typeof STORED_MESSAGE_FIELDS)[number]> extends never ? true : never = true;
void everyMessageField;

/** The fields whose stored value is the text JSON.stringify wrote for them ('' or null: none). */
export const JSON_MESSAGE_FIELDS: ReadonlySet<keyof Message> = new Set<keyof Message>(['parts', 'usage', 'error']);

/**
 * A message as stored, not parsed: the values of STORED_MESSAGE_FIELDS in that order, JSON fields as
 * their JSON text. A row may carry further values after them (to be ignored). Answering a long
 * history from these rows spares parsing what is only written out again (server/json/message-json.ts).
 */
export type StoredMessageRow = readonly unknown[];

/** Where a page of stored rows goes, one row at a time: a long history is never held whole. */
export interface StoredMessageSink {
  /** How many rows will come, when the store knows it first (to make room for them at once). */
  expect?(rows: number): void;
  row(row: StoredMessageRow): void;
}

export interface ProviderRecord {
  name: ProviderName;
  api_key: string | null;
  model: string;
  base_url: string | null;
  /** The model's context window and output cap as configured; null: goosed's catalogue decides. */
  context_limit: number | null;
  output_limit: number | null;
  updated_at: string;
}

export interface ExtensionRecord {
  id: string;
  name: string;
  type: ExtensionType;
  config: Record<string, unknown>;
  enabled: boolean;
  created_at: string;
  /** The session whose own extension this is (offered in its replies only, deleted with it); null: server-wide. */
  session_id: string | null;
}

/**
 * Every method returns a promise: a store on a network database answers later. The SQLite store
 * does its work before returning (better-sqlite3 is synchronous) and hands back a settled promise.
 */
export interface Store {
  /**
   * True when writes take effect in the order they are called, awaited or not (SQLite: each runs
   * when called, or with the others of its tick in one transaction). Callers may then make several
   * writes at once; otherwise (a pool of connections) they await each before the next.
   */
  readonly writesInCallOrder?: boolean;
  /**
   * `persist: false` asks for a session that lives only as long as the process (auto_save off); a
   * store that cannot keep one in memory saves it. `persisted` in the answer says which.
   */
  createSession(session: NewSession, options?: { persist?: boolean }): Promise<SessionSummary>;
  getSession(id: string): Promise<SessionSummary | null>;
  /** Most recently updated first (then by id), `limit` at most; `nextCursor` when more follow. */
  listSessions(options: SessionListOptions): Promise<SessionPage>;
  /** Changing anything but `status` and `context` also touches `updated_at`. Null when there is no such session. */
  updateSession(id: string, changes: SessionChanges): Promise<SessionSummary | null>;
  /** With its messages, summaries, events, approvals and extensions; false when there was no such session. */
  deleteSession(id: string): Promise<boolean>;
  /** Saved sessions whose status is not idle: after a restart these replies were cut short. */
  listBusySessions(): Promise<SessionSummary[]>;

  /** Appends a message to its session (counted, and touching the session's updated_at). */
  addMessage(message: NewMessage): Promise<void>;
  /**
   * Rewrites a message's content, parts, status, usage and error (the streamed reply so far), and
   * drops the text appended to it since its last save (the message as given holds it).
   */
  saveMessage(message: Message): Promise<void>;
  /**
   * Adds text a running reply streamed to the end of its message, without rewriting the message: a
   * row of its own, read back as part of the message (see withAppendedText) until the next
   * saveMessage. Nothing is written when there is no such message.
   */
  appendMessageText(sessionId: string, messageId: string, text: string): Promise<void>;
  getMessage(sessionId: string, messageId: string): Promise<Message | null>;
  findMessageByClientId(sessionId: string, clientId: string): Promise<Message | null>;
  /** The assistant message that answers a user message, if any. */
  findReply(sessionId: string, userMessageId: string): Promise<Message | null>;
  /** Oldest first. */
  listMessages(sessionId: string, options: MessagePageOptions): Promise<MessagePage>;
  /** The same page as listMessages, as stored rows (see StoredMessageRow), handed to `sink` in order. */
  readStoredMessages(sessionId: string, options: MessagePageOptions, sink: StoredMessageSink): Promise<{ nextCursor: string | null }>;
  /** Adds the usage of a finished reply to the session's totals. */
  addUsage(sessionId: string, usage: Usage): Promise<void>;

  /**
   * Stores a summary of the older part of a session's conversation (whole, in one write: a summary
   * is either there or not). Deleted with its session.
   */
  addSummary(summary: ContextSummary): Promise<void>;
  /** The session's summaries, oldest first (the last one is what the model sees). */
  listSummaries(sessionId: string): Promise<ContextSummary[]>;

  /** Durable events, committed before they are sent; `json` is the event serialised, when the caller has it. */
  appendEvent(event: SessionEvent, json?: string): Promise<void>;
  /** Stored events after `afterSeq`, oldest first, at most `limit`. */
  listEvents(sessionId: string, afterSeq: number, limit: number): Promise<SessionEvent[]>;
  /**
   * Sequence numbers are handed out in blocks so that a restart never reuses a number a client
   * may already have seen (live events are not stored): raises the session's reserved ceiling by
   * `block` and answers the ceiling before (`floor`) and after.
   */
  reserveSeq(sessionId: string, block: number): Promise<{ floor: number; ceiling: number }>;

  readonly providers: {
    list(): Promise<ProviderRecord[]>;
    get(name: string): Promise<ProviderRecord | null>;
    save(record: ProviderRecord): Promise<void>;
    delete(name: string): Promise<boolean>;
  };
  readonly extensions: {
    /** Oldest first: the server-wide ones, or with `sessionId` that session's own. */
    list(sessionId?: string): Promise<ExtensionRecord[]>;
    /** By id (of either kind), or by name among the server-wide ones. */
    get(idOrName: string): Promise<ExtensionRecord | null>;
    /** Rejects a name already used in the same scope (server-wide, or that session), and a session that does not exist. */
    insert(record: ExtensionRecord): Promise<void>;
    /** Its config and enabled flag. */
    update(record: ExtensionRecord): Promise<void>;
    delete(id: string): Promise<boolean>;
  };
  /** Remembered `always_allow` / `always_deny` decisions, per exposed tool name. */
  readonly permissions: {
    get(tool: string): Promise<PermissionDecision | null>;
    set(tool: string, decision: PermissionDecision): Promise<void>;
    /** True when a decision was remembered for the tool (and is now forgotten). */
    clear(tool: string): Promise<boolean>;
    /** Every remembered decision, by tool name. */
    list(): Promise<Permission[]>;
  };

  createApproval(approval: Approval): Promise<void>;
  getApproval(sessionId: string, id: string): Promise<Approval | null>;
  /** Oldest first; only those of `status` when given. */
  listApprovals(sessionId: string, status?: Approval['status']): Promise<Approval[]>;
  /** True when it was pending and is now resolved; false when unknown or already answered. */
  resolveApproval(sessionId: string, id: string, decision: ApprovalDecision, message: string | null): Promise<boolean>;
  /** The reply a message's pending approvals belonged to ended: they become cancelled. How many did. */
  cancelApprovals(sessionId: string, messageId: string): Promise<number>;

  getValue(key: string): Promise<string | null>;
  /** Null forgets the key. */
  setValue(key: string, value: string | null): Promise<void>;

  close(): Promise<void>;
}

export type { SessionStatus, PermissionDecision };
