import { randomUUID } from 'node:crypto';
import { InvalidInput, NotFound } from '../api/domain-errors.js';
import type { CreateSessionRequest, ImportSessionRequest, Session, SessionExport, SessionSummary, UpdateSessionRequest } from '../api/sessions.js';
import type { Message } from '../api/messages.js';
import type { RuntimeSettings } from '../config/runtime-settings.js';
import type { EventLog } from '../events/event-log.js';
import type { SessionListOptions, SessionPage, Store } from '../store/store.js';
import { decodeSessionCursor } from '../store/cursor.js';
import { resolveWorkingDirectory } from './working-directory.js';

export interface SessionServiceOptions {
  store: Store;
  settings: RuntimeSettings;
  events: EventLog;
}

/** Session bookkeeping: create, list, read, change, export, import and delete sessions. */
export class SessionService {
  private readonly store: Store;
  private readonly settings: RuntimeSettings;
  private readonly events: EventLog;

  constructor(options: SessionServiceOptions) {
    this.store = options.store;
    this.settings = options.settings;
    this.events = options.events;
  }

  /** With auto_save off, the session lives in memory only. */
  create(request: CreateSessionRequest): Promise<SessionSummary> {
    const workingDirectory = resolveWorkingDirectory(request.working_directory);
    return this.store.createSession(
      {
        id: randomUUID(),
        name: request.name?.trim() || 'New session',
        working_directory: workingDirectory,
        execution_mode: request.execution_mode ?? null,
        created_at: new Date().toISOString(),
      },
      { persist: this.settings.get().auto_save },
    );
  }

  list(options: SessionListOptions): Promise<SessionPage> {
    if (options.cursor !== undefined && decodeSessionCursor(options.cursor) === null) {
      throw new InvalidInput('invalid_cursor', 'cursor is not one this server handed out; start again without it.');
    }
    return this.store.listSessions(options);
  }

  async get(id: string): Promise<SessionSummary> {
    const session = await this.store.getSession(id);
    if (!session) throw NotFound.of('session', id);
    return session;
  }

  async getWithMessages(id: string): Promise<Session> {
    const session = await this.get(id);
    return { ...session, messages: (await this.store.listMessages(id, {})).items };
  }

  async update(id: string, request: UpdateSessionRequest): Promise<SessionSummary> {
    await this.get(id);
    const changes = {
      name: request.name?.trim() || undefined,
      working_directory: request.working_directory === undefined ? undefined : resolveWorkingDirectory(request.working_directory),
      execution_mode: request.execution_mode,
    };
    const session = await this.store.updateSession(id, changes);
    if (!session) throw NotFound.of('session', id);
    await this.events.publish(id, { type: 'session_updated', session });
    return session;
  }

  async export(id: string): Promise<SessionExport> {
    const session = await this.getWithMessages(id);
    return {
      format: 'goosed.session',
      version: 1,
      exported_at: new Date().toISOString(),
      session: { name: session.name, working_directory: session.working_directory, execution_mode: session.execution_mode, created_at: session.created_at },
      messages: session.messages.map(({ role, content, parts, status, created_at, usage, error }) => ({ role, content, parts, status, created_at, usage, error })),
    };
  }

  /** A new session (new ids) holding the exported messages; a reply that was running is imported as interrupted. */
  async import(request: ImportSessionRequest): Promise<Session> {
    const workingDirectory = resolveWorkingDirectory(request.working_directory ?? request.session.working_directory);
    const session = await this.store.createSession(
      {
        id: randomUUID(),
        name: request.session.name.trim() || 'Imported session',
        working_directory: workingDirectory,
        execution_mode: request.session.execution_mode,
        created_at: new Date().toISOString(),
      },
      { persist: this.settings.get().auto_save },
    );
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
      await this.store.addMessage({ ...message, client_id: null });
      if (message.usage) await this.store.addUsage(session.id, message.usage);
      if (exported.role === 'user') lastUser = id;
    }
    return this.getWithMessages(session.id);
  }

  /**
   * Deletes the session with everything in it; its followers are told and disconnected. A reply
   * running in it must be stopped first (see ReplyLifecycle.deleteSession).
   */
  async delete(id: string): Promise<void> {
    if (!(await this.store.deleteSession(id))) throw NotFound.of('session', id);
    this.events.drop(id);
  }
}
