import type { Approval } from '../../api/approvals.js';
import type { ContextSummary } from '../../api/context.js';
import type { ApprovalDecision, SessionEvent } from '../../api/events.js';
import type { Message, Usage } from '../../api/messages.js';
import type { SessionSummary } from '../../api/sessions.js';
import type { MessagePageOptions, NewMessage, NewSession, SessionChanges, SessionListOptions, Store, StoredMessageSink } from '../store.js';
import { SqliteStore } from './sqlite-store.js';
import { SqliteWriteThread, type WriteThreadOptions } from './write-thread.js';

/**
 * The SQLite file with its writes on a thread of their own (write-thread.ts) and its reads here, on
 * a connection of this thread. In WAL mode a read never waits for a writer, and sees what was
 * committed when it began. A read waits for the writes called before it (usually none, or one batch
 * committing): whoever wrote and then reads sees the write, as when both ran here.
 */
export class ThreadedSqliteStore implements Store {
  readonly writesInCallOrder = true;
  readonly persistent = true;
  private readonly reader: SqliteStore;
  private readonly thread: SqliteWriteThread;

  constructor(filename: string, options: WriteThreadOptions = {}) {
    // Opened (and migrated) here first, so the write thread finds the schema in place.
    this.reader = new SqliteStore(filename);
    this.thread = new SqliteWriteThread(filename, options);
  }

  private read<T>(run: () => Promise<T>): Promise<T> {
    const writes = this.thread.outstanding();
    return writes === null ? run() : writes.then(run);
  }

  createSession(session: NewSession): Promise<SessionSummary> {
    return this.thread.write('createSession', session);
  }

  getSession(id: string) {
    return this.read(() => this.reader.getSession(id));
  }

  listSessions(options: SessionListOptions) {
    return this.read(() => this.reader.listSessions(options));
  }

  updateSession(id: string, changes: SessionChanges) {
    return this.thread.write('updateSession', id, changes);
  }

  deleteSession(id: string) {
    return this.thread.write('deleteSession', id);
  }

  listBusySessions() {
    return this.read(() => this.reader.listBusySessions());
  }

  addMessage(message: NewMessage) {
    return this.thread.write('addMessage', message);
  }

  saveMessage(message: Message) {
    return this.thread.write('saveMessage', message);
  }

  appendMessageText(sessionId: string, messageId: string, text: string) {
    return this.thread.write('appendMessageText', sessionId, messageId, text);
  }

  getMessage(sessionId: string, messageId: string) {
    return this.read(() => this.reader.getMessage(sessionId, messageId));
  }

  findMessageByClientId(sessionId: string, clientId: string) {
    return this.read(() => this.reader.findMessageByClientId(sessionId, clientId));
  }

  findReply(sessionId: string, userMessageId: string) {
    return this.read(() => this.reader.findReply(sessionId, userMessageId));
  }

  listMessages(sessionId: string, options: MessagePageOptions) {
    return this.read(() => this.reader.listMessages(sessionId, options));
  }

  readStoredMessages(sessionId: string, options: MessagePageOptions, sink: StoredMessageSink) {
    return this.read(() => this.reader.readStoredMessages(sessionId, options, sink));
  }

  addUsage(sessionId: string, usage: Usage) {
    return this.thread.write('addUsage', sessionId, usage);
  }

  addSummary(summary: ContextSummary) {
    return this.thread.write('addSummary', summary);
  }

  listSummaries(sessionId: string) {
    return this.read(() => this.reader.listSummaries(sessionId));
  }

  /** The event goes as its JSON (made here when the caller has not): all the write needs. */
  appendEvent(event: SessionEvent, json: string = JSON.stringify(event)) {
    return this.thread.write('appendEventJson', event.session_id, event.seq, json);
  }

  listEvents(sessionId: string, afterSeq: number, limit: number) {
    return this.read(() => this.reader.listEvents(sessionId, afterSeq, limit));
  }

  reserveSeq(sessionId: string, block: number) {
    return this.thread.write('reserveSeq', sessionId, block);
  }

  readonly providers: Store['providers'] = {
    list: () => this.read(() => this.reader.providers.list()),
    get: (name) => this.read(() => this.reader.providers.get(name)),
    save: (record) => this.thread.write('providers.save', record),
    delete: (name) => this.thread.write('providers.delete', name),
  };

  readonly extensions: Store['extensions'] = {
    list: (sessionId) => this.read(() => this.reader.extensions.list(sessionId)),
    get: (idOrName) => this.read(() => this.reader.extensions.get(idOrName)),
    insert: (record) => this.thread.write('extensions.insert', record),
    update: (record) => this.thread.write('extensions.update', record),
    delete: (id) => this.thread.write('extensions.delete', id),
  };

  readonly permissions: Store['permissions'] = {
    get: (tool) => this.read(() => this.reader.permissions.get(tool)),
    set: (tool, decision) => this.thread.write('permissions.set', tool, decision),
    clear: (tool) => this.thread.write('permissions.clear', tool),
    list: () => this.read(() => this.reader.permissions.list()),
  };

  createApproval(approval: Approval) {
    return this.thread.write('createApproval', approval);
  }

  getApproval(sessionId: string, id: string) {
    return this.read(() => this.reader.getApproval(sessionId, id));
  }

  listApprovals(sessionId: string, status?: Approval['status']) {
    return this.read(() => this.reader.listApprovals(sessionId, status));
  }

  resolveApproval(sessionId: string, id: string, decision: ApprovalDecision, message: string | null) {
    return this.thread.write('resolveApproval', sessionId, id, decision, message);
  }

  cancelApprovals(sessionId: string, messageId: string) {
    return this.thread.write('cancelApprovals', sessionId, messageId);
  }

  getValue(key: string) {
    return this.read(() => this.reader.getValue(key));
  }

  setValue(key: string, value: string | null) {
    return this.thread.write('setValue', key, value);
  }

  /** The write thread's outstanding writes first; its connection closes before this one. */
  async close(): Promise<void> {
    await this.thread.close();
    await this.reader.close();
  }
}
