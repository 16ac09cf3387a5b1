import type { Message, Usage } from '../api/messages.js';
import type { SessionStatus, SessionSummary } from '../api/sessions.js';
import type { SessionEvent } from '../api/events.js';
import type { ExecutionMode } from '../api/settings.js';
import type { Approval } from '../api/approvals.js';
import type { ApprovalDecision } from '../api/events.js';
import type { Permission } from '../api/permissions.js';
import type { ExtensionRecord, PermissionDecision, ProviderRecord } from './sqlite-settings-tables.js';
import type { JsonWriter } from './json-writer.js';

// The narrow interface between the server and its storage. SQLite implements it today; a
// PostgreSQL store for several instances behind one load balancer would implement the same.

export interface SessionPage {
  items: SessionSummary[];
  nextCursor: string | null;
}

export interface SessionListOptions {
  limit: number;
  cursor?: string;
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

export interface MessagePage {
  items: Message[];
  nextCursor: string | null;
}

export interface NewMessage extends Message {
  /** Client-chosen id (idempotency); unique within a session. */
  client_id: string | null;
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
  listMessages(sessionId: string, options: { limit?: number; cursor?: string }): MessagePage;
  /**
   * Writes the same page as `listMessages` into `out` as JSON (the bytes of JSON.stringify(page.items)),
   * straight from the stored text, without building the messages: for answering a long history.
   */
  writeMessagesJson(sessionId: string, options: { limit?: number; cursor?: string }, out: JsonWriter): { nextCursor: string | null };
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
  /** The assistant message that answers a user message, if any. */
  findReply(sessionId: string, userMessageId: string): Message | null;

  getValue(key: string): string | null;
  setValue(key: string, value: string | null): void;

  close(): void;
}

export type { SessionStatus, ExtensionRecord, PermissionDecision, ProviderRecord };
