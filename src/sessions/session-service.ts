import { randomUUID } from 'node:crypto';
import { InvalidInput, NotFound } from '../api/errors.js';
import type { CreateSessionRequest, ImportSessionRequest, Session, SessionExport, SessionSummary, UpdateSessionRequest } from '../api/sessions.js';
import type { Message } from '../api/messages.js';
import type { RuntimeSettings } from '../config/runtime-settings.js';
import type { SessionListOptions, SessionPage } from '../store/store.js';
import type { TieredStore } from '../store/tiered-store.js';
import { decodeSessionCursor } from '../store/cursor.js';
import { resolveWorkingDirectory } from './working-directory.js';
import type { EventLog } from '../events/event-log.js';
import type { ReplyManager } from '../agent/reply-manager.js';

/** Session bookkeeping: what the routes call, so that replies and events can hook in here. */
export class SessionService {
  constructor(
    private readonly store: TieredStore,
    private readonly settings: RuntimeSettings,
    private readonly events: EventLog,
    private readonly replies: ReplyManager,
  ) {}

  create(request: CreateSessionRequest): SessionSummary {
    const workingDirectory = resolveWorkingDirectory(request.working_directory);
    return this.store.createSessionIn(this.settings.get().auto_save, {
      id: randomUUID(),
      name: request.name?.trim() || 'New session',
      working_directory: workingDirectory,
      execution_mode: request.execution_mode ?? null,
      created_at: new Date().toISOString(),
    });
  }

  list(options: SessionListOptions): SessionPage {
    if (options.cursor !== undefined && decodeSessionCursor(options.cursor) === null) {
      throw new InvalidInput('invalid_cursor', 'cursor is not one this server handed out; start again without it.');
    }
    return this.store.listSessions(options);
  }

  get(id: string): SessionSummary {
    const session = this.store.getSession(id);
    if (!session) throw NotFound.of('session', id);
    return session;
  }

  getWithMessages(id: string): Session {
    const session = this.get(id);
    return { ...session, messages: this.store.listMessages(id, {}).items };
  }

  async update(id: string, request: UpdateSessionRequest): Promise<SessionSummary> {
    this.get(id);
    const changes = {
      name: request.name?.trim() || undefined,
      working_directory: request.working_directory === undefined ? undefined : resolveWorkingDirectory(request.working_directory),
      execution_mode: request.execution_mode,
    };
    const session = this.store.updateSession(id, changes)!;
    await this.events.publish(id, { type: 'session_updated', session });
    return session;
  }

  export(id: string): SessionExport {
    const session = this.getWithMessages(id);
    return {
      format: 'goosed.session',
      version: 1,
      exported_at: new Date().toISOString(),
      session: { name: session.name, working_directory: session.working_directory, execution_mode: session.execution_mode, created_at: session.created_at },
      messages: session.messages.map(({ role, content, parts, status, created_at, usage, error }) => ({ role, content, parts, status, created_at, usage, error })),
    };
  }

  /** A new session (new ids) holding the exported messages; a reply that was running is imported as interrupted. */
  import(request: ImportSessionRequest): Session {
    const workingDirectory = resolveWorkingDirectory(request.working_directory ?? request.session.working_directory);
    const session = this.store.createSessionIn(this.settings.get().auto_save, {
      id: randomUUID(),
      name: request.session.name.trim() || 'Imported session',
      working_directory: workingDirectory,
      execution_mode: request.session.execution_mode,
      created_at: new Date().toISOString(),
    });
    let lastUser: string | null = null;
    for (const exported of request.messages) {
      const id = randomUUID();
      const message: Message = {
        ...exported,
        id,
        session_id: session.id,
        status: exported.status === 'running' ? 'interrupted' : exported.status,
        reply_to: exported.role === 'assistant' ? lastUser : null,
      };
      this.store.addMessage({ ...message, client_id: null });
      if (message.usage) this.store.addUsage(session.id, message.usage);
      if (exported.role === 'user') lastUser = id;
    }
    return this.getWithMessages(session.id);
  }

  /** Cancels the running reply first, then deletes; followers of the session are disconnected. */
  async delete(id: string): Promise<void> {
    this.get(id);
    await this.replies.forget(id);
    if (!this.store.deleteSession(id)) throw NotFound.of('session', id);
    this.events.drop(id);
  }
}
