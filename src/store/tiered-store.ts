import type { Message, Usage } from '../api/messages.js';
import type { ApprovalDecision, SessionEvent } from '../api/events.js';
import type { Approval } from '../api/approvals.js';
import type { ContextSummary } from '../api/context.js';
import type { SessionSummary } from '../api/sessions.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { ExtensionRecord, MessagePageOptions, NewMessage, NewSession, SessionChanges, SessionListOptions, SessionPage, Store, StoredMessageSink } from './store.js';
import { encodeSessionCursor } from './cursor.js';

/** Distinct list queries remembered at once; clients paging through a long list do not grow it. */
const LIST_CACHE_ENTRIES = 32;

/**
 * The disk store plus an in-memory one for sessions created while `auto_save` is off: each
 * session-scoped call goes to the store that owns the session; lists merge both.
 *
 * Session lists are cached until the next write that changes a listed column (every such write
 * passes through here): a client polling the list costs no query while nothing changes.
 */
export class TieredStore implements Store {
  /** Both stores are SQLite. */
  readonly writesInCallOrder = true;
  /** Opened (with every migration) on first use: most servers never turn `auto_save` off. */
  private memoryStore: SqliteStore | null = null;
  private readonly memoryIds = new Set<string>();
  private readonly listCache = new Map<string, Promise<SessionPage>>();
  /** Moves at the start and at the end of every write to sessions: a list read across one is not kept. */
  private writes = 0;

  /** The store of saved sessions: SQLite's file (its writes on a thread of their own: ThreadedSqliteStore). */
  constructor(readonly disk: Store) {}

  private get memory(): SqliteStore {
    return (this.memoryStore ??= new SqliteStore(':memory:'));
  }

  /** Runs a write that changes sessions as listed, and forgets the cached lists even if it fails. */
  private async changingSessions<T>(write: () => Promise<T>): Promise<T> {
    this.writes++;
    this.listCache.clear();
    try {
      return await write();
    } finally {
      this.writes++;
      this.listCache.clear();
    }
  }

  /** Where a new session goes: the disk, or memory when it is not to be persisted (auto_save off). */
  createSession(session: NewSession, { persist = true }: { persist?: boolean } = {}): Promise<SessionSummary> {
    return this.changingSessions(() => {
      if (persist) return this.disk.createSession(session);
      this.memoryIds.add(session.id);
      return this.memory.createSession(session);
    });
  }

  private owner(sessionId: string): Store {
    return this.memoryIds.has(sessionId) ? this.memory : this.disk;
  }

  getSession(id: string) {
    return this.owner(id).getSession(id);
  }

  /** The page is shared with later callers until the next write: treat it as read-only. */
  listSessions(options: SessionListOptions): Promise<SessionPage> {
    const key = `${options.limit}\u0000${options.cursor ?? ''}\u0000${options.q ?? ''}`;
    // The promise itself is kept: a client polling the list costs a map lookup, not a new promise.
    const cached = this.listCache.get(key);
    if (cached) return cached;
    const writes = this.writes;
    const page = this.querySessions(options);
    void page.then(
      () => {
        if (writes !== this.writes) return;
        if (this.listCache.size >= LIST_CACHE_ENTRIES) this.listCache.clear();
        this.listCache.set(key, page);
      },
      () => {},
    );
    return page;
  }

  private async querySessions(options: SessionListOptions): Promise<SessionPage> {
    if (this.memoryIds.size === 0) return this.disk.listSessions(options);
    const [disk, memory] = await Promise.all([this.disk.listSessions(options), this.memory.listSessions(options)]);
    // Both pages are sorted by (updated_at, id) descending after the same cursor: merge, cut.
    const merged = [...disk.items, ...memory.items].sort((a, b) =>
      a.updated_at === b.updated_at ? (a.id < b.id ? 1 : -1) : a.updated_at < b.updated_at ? 1 : -1,
    );
    const more = merged.length > options.limit || disk.nextCursor !== null || memory.nextCursor !== null;
    const items = merged.slice(0, options.limit);
    const last = items[items.length - 1];
    return { items, nextCursor: more && last ? encodeSessionCursor({ updatedAt: last.updated_at, id: last.id }) : null };
  }

  updateSession(id: string, changes: SessionChanges) {
    return this.changingSessions(() => this.owner(id).updateSession(id, changes));
  }

  deleteSession(id: string): Promise<boolean> {
    return this.changingSessions(async () => {
      const deleted = await this.owner(id).deleteSession(id);
      this.memoryIds.delete(id);
      return deleted;
    });
  }

  /** Only saved sessions have replies that outlive the process. */
  listBusySessions() {
    return this.disk.listBusySessions();
  }

  /** Counts the message and touches the session's updated_at. */
  addMessage(message: NewMessage): Promise<void> {
    return this.changingSessions(() => this.owner(message.session_id).addMessage(message));
  }

  saveMessage(message: Message): Promise<void> {
    return this.owner(message.session_id).saveMessage(message);
  }

  appendMessageText(sessionId: string, messageId: string, text: string): Promise<void> {
    return this.owner(sessionId).appendMessageText(sessionId, messageId, text);
  }

  getMessage(sessionId: string, messageId: string) {
    return this.owner(sessionId).getMessage(sessionId, messageId);
  }

  findReply(sessionId: string, userMessageId: string) {
    return this.owner(sessionId).findReply(sessionId, userMessageId);
  }

  findMessageByClientId(sessionId: string, clientId: string) {
    return this.owner(sessionId).findMessageByClientId(sessionId, clientId);
  }

  listMessages(sessionId: string, options: MessagePageOptions) {
    return this.owner(sessionId).listMessages(sessionId, options);
  }

  readStoredMessages(sessionId: string, options: MessagePageOptions, sink: StoredMessageSink) {
    return this.owner(sessionId).readStoredMessages(sessionId, options, sink);
  }

  addUsage(sessionId: string, usage: Usage): Promise<void> {
    return this.changingSessions(() => this.owner(sessionId).addUsage(sessionId, usage));
  }

  addSummary(summary: ContextSummary): Promise<void> {
    return this.owner(summary.session_id).addSummary(summary);
  }

  listSummaries(sessionId: string) {
    return this.owner(sessionId).listSummaries(sessionId);
  }

  appendEvent(event: SessionEvent, json?: string): Promise<void> {
    return this.owner(event.session_id).appendEvent(event, json);
  }

  listEvents(sessionId: string, afterSeq: number, limit: number) {
    return this.owner(sessionId).listEvents(sessionId, afterSeq, limit);
  }

  reserveSeq(sessionId: string, block: number) {
    return this.owner(sessionId).reserveSeq(sessionId, block);
  }

  get providers() {
    return this.disk.providers;
  }

  /** Server-wide extensions are on disk; a session's own live where the session does (and go with it). */
  readonly extensions: Store['extensions'] = {
    list: (sessionId?: string) => (sessionId === undefined ? this.disk.extensions.list() : this.owner(sessionId).extensions.list(sessionId)),
    get: async (idOrName: string) => (await this.disk.extensions.get(idOrName)) ?? (this.memoryStore ? this.memoryStore.extensions.get(idOrName) : null),
    insert: (record: ExtensionRecord) => this.extensionStore(record).extensions.insert(record),
    update: (record: ExtensionRecord) => this.extensionStore(record).extensions.update(record),
    delete: async (id: string) => (await this.disk.extensions.delete(id)) || (this.memoryStore ? this.memoryStore.extensions.delete(id) : false),
  };

  private extensionStore(record: ExtensionRecord): Store {
    return record.session_id === null ? this.disk : this.owner(record.session_id);
  }

  get permissions() {
    return this.disk.permissions;
  }

  createApproval(approval: Approval): Promise<void> {
    return this.owner(approval.session_id).createApproval(approval);
  }

  getApproval(sessionId: string, id: string) {
    return this.owner(sessionId).getApproval(sessionId, id);
  }

  listApprovals(sessionId: string, status?: Approval['status']) {
    return this.owner(sessionId).listApprovals(sessionId, status);
  }

  resolveApproval(sessionId: string, id: string, decision: ApprovalDecision, message: string | null): Promise<boolean> {
    return this.owner(sessionId).resolveApproval(sessionId, id, decision, message);
  }

  cancelApprovals(sessionId: string, messageId: string): Promise<number> {
    return this.owner(sessionId).cancelApprovals(sessionId, messageId);
  }

  getValue(key: string) {
    return this.disk.getValue(key);
  }

  setValue(key: string, value: string | null): Promise<void> {
    return this.disk.setValue(key, value);
  }

  async close(): Promise<void> {
    await this.memoryStore?.close();
    await this.disk.close();
  }
}
