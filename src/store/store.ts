import type { Approval } from '../api/approvals.js';
import type { ApprovalDecision, SessionEvent } from '../api/events.js';
import type { ExtensionType } from '../api/extensions.js';
import { Message, type Usage } from '../api/messages.js';
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

export interface NewSession {
  id: string;
  name: string;
  working_directory: string;
  execution_mode: ExecutionMode | null;
  created_at: string;
}

export type SessionChanges = Partial<Pick<SessionSummary, 'name' | 'working_directory' | 'execution_mode' | 'status'>>;

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

/** The wire fields of a message in its schema's order: the order of a StoredMessageRow's values. */
export const STORED_MESSAGE_FIELDS: readonly (keyof Message)[] = Object.keys(Message.shape) as (keyof Message)[];

/** The fields whose stored value is the text JSON.stringify wrote for them ('' or null: none). */
export const JSON_MESSAGE_FIELDS: ReadonlySet<keyof Message> = new Set<keyof Message>(['parts', 'usage', 'error']);

/**
 * A message as stored, not parsed: the values of STORED_MESSAGE_FIELDS in that order, JSON fields as
 * their JSON text. A row may carry further values after them (to be ignored). Answering a long
 * history from these rows spares parsing what is only written out again (server/json/message-json.ts).
 */
export type StoredMessageRow = readonly unknown[];

export interface StoredMessagePage {
  rows: StoredMessageRow[];
  nextCursor: string | null;
}

export interface ProviderRecord {
  name: ProviderName;
  api_key: string | null;
  model: string;
  base_url: string | null;
  updated_at: string;
}

export interface ExtensionRecord {
  id: string;
  name: string;
  type: ExtensionType;
  config: Record<string, unknown>;
  enabled: boolean;
  created_at: string;
}

export interface Store {
  readonly persistent: boolean;

  createSession(session: NewSession): SessionSummary;
  getSession(id: string): SessionSummary | null;
  listSessions(options: SessionListOptions): SessionPage;
  updateSession(id: string, changes: SessionChanges): SessionSummary | null;
  deleteSession(id: string): boolean;
  /** Sessions whose status is not idle: after a restart these replies were cut short. */
  listBusySessions(): SessionSummary[];

  addMessage(message: NewMessage): void;
  /** Rewrites a message's content, parts, status, usage and error (the streamed reply so far). */
  saveMessage(message: Message): void;
  getMessage(sessionId: string, messageId: string): Message | null;
  findMessageByClientId(sessionId: string, clientId: string): Message | null;
  /** The assistant message that answers a user message, if any. */
  findReply(sessionId: string, userMessageId: string): Message | null;
  listMessages(sessionId: string, options: MessagePageOptions): MessagePage;
  /** The same page as listMessages, as stored (see StoredMessageRow). */
  listStoredMessages(sessionId: string, options: MessagePageOptions): StoredMessagePage;
  /** Adds the usage of a finished reply to the session's totals. */
  addUsage(sessionId: string, usage: Usage): void;

  /** Durable events, committed before they are sent; `json` is the event serialised, when the caller has it. */
  appendEvent(event: SessionEvent, json?: string): void;
  listEvents(sessionId: string, afterSeq: number, limit: number): SessionEvent[];
  /**
   * Sequence numbers are handed out in blocks so that a restart never reuses a number a client
   * may already have seen (live events are not stored): returns the new reserved ceiling.
   */
  reserveSeq(sessionId: string, block: number): { floor: number; ceiling: number };

  readonly providers: {
    list(): ProviderRecord[];
    get(name: string): ProviderRecord | null;
    save(record: ProviderRecord): void;
    delete(name: string): boolean;
  };
  readonly extensions: {
    list(): ExtensionRecord[];
    get(idOrName: string): ExtensionRecord | null;
    insert(record: ExtensionRecord): void;
    update(record: ExtensionRecord): void;
    delete(id: string): boolean;
  };
  /** Remembered `always_allow` / `always_deny` decisions, per exposed tool name. */
  readonly permissions: {
    get(tool: string): PermissionDecision | null;
    set(tool: string, decision: PermissionDecision): void;
    /** True when a decision was remembered for the tool (and is now forgotten). */
    clear(tool: string): boolean;
    /** Every remembered decision, by tool name. */
    list(): Permission[];
  };

  createApproval(approval: Approval): void;
  getApproval(sessionId: string, id: string): Approval | null;
  listApprovals(sessionId: string, status?: Approval['status']): Approval[];
  /** True when it was pending and is now resolved; false when unknown or already answered. */
  resolveApproval(sessionId: string, id: string, decision: ApprovalDecision, message: string | null): boolean;
  cancelApprovals(sessionId: string, messageId: string): number;
  listPendingApprovals(): Approval[];

  getValue(key: string): string | null;
  setValue(key: string, value: string | null): void;

  close(): void;
}

export type { SessionStatus, PermissionDecision };
