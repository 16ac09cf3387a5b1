import { randomUUID } from 'node:crypto';
import { InvalidInput, NotFound } from '../api/domain-errors.js';
import type { CreateSessionRequest, ImportSessionRequest, Session, SessionExport, SessionSummary, UpdateSessionRequest } from '../api/sessions.js';
import type { Message } from '../api/messages.js';
import type { RuntimeSettings } from '../config/runtime-settings.js';
import type { EventLog } from '../events/event-log.js';
import type { ProviderName } from '../api/provider-names.js';
import type { SessionChanges, SessionListOptions, SessionPage, Store } from '../store/store.js';
import { decodeSessionCursor } from '../store/cursor.js';
import { resolveWorkingDirectory } from './working-directory.js';

export interface SessionServiceOptions {
  store: Store;
  settings: RuntimeSettings;
  events: EventLog;
  /** Whether a provider is set up (stored, or through the environment), before a session may choose it. */
  providers: { isConfigured(name: ProviderName): Promise<boolean> };
}

/** Session bookkeeping: create, list, read, change, export, import and delete sessions. */
export class SessionService {
  private readonly store: Store;
  private readonly settings: RuntimeSettings;
  private readonly events: EventLog;
  private readonly providers: SessionServiceOptions['providers'];

  constructor(options: SessionServiceOptions) {
    this.store = options.store;
    this.settings = options.settings;
    this.events = options.events;
    this.providers = options.providers;
  }

  /** With auto_save off, the session lives in memory only. */
  create(request: CreateSessionRequest): Promise<SessionSummary> {
    const workingDirectory = this.workingDirectory(request.working_directory);
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
    const current = await this.get(id);
    const changes: SessionChanges = {
      name: request.name?.trim() || undefined,
      working_directory: request.working_directory === undefined ? undefined : this.workingDirectory(request.working_directory),
      execution_mode: request.execution_mode,
      ...(await this.providerChanges(current, request)),
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
      messages: session.messages.map(({ role, content, parts, status, created_at, usage, error, provider, model }) => ({
        role, content, parts, status, created_at, usage, error, provider, model,
      })),
    };
  }

  /** A new session (new ids) holding the exported messages; a reply that was running is imported as interrupted. */
  async import(request: ImportSessionRequest): Promise<Session> {
    const workingDirectory = this.workingDirectory(request.working_directory ?? request.session.working_directory);
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
        provider: exported.provider ?? null,
        model: exported.model ?? null,
      };
      await this.store.addMessage({ ...message, client_id: null });
      if (message.usage) await this.store.addUsage(session.id, message.usage);
      if (exported.role === 'user') lastUser = id;
    }
    return this.getWithMessages(session.id);
  }

  /**
   * The provider and model a PATCH leaves the session with. A model belongs to its provider: another
   * provider clears it unless one is given, and a model needs a provider (null follows the current one).
   */
  private async providerChanges(current: SessionSummary, request: UpdateSessionRequest): Promise<Pick<SessionChanges, 'provider' | 'model'>> {
    if (request.provider === undefined && request.model === undefined) return {};
    const provider = request.provider === undefined ? current.provider : request.provider;
    const model = request.model !== undefined ? request.model : provider === current.provider ? current.model : null;
    if (provider === null && model !== null) {
      throw new InvalidInput('invalid_model', 'model needs a provider: give provider too (null provider follows the current one, with its model).');
    }
    if (request.provider && !(await this.providers.isConfigured(request.provider))) {
      throw new InvalidInput(
        'provider_not_configured',
        `The provider ${request.provider} is not configured: set it up first (POST /api/providers, or its environment variables).`,
      );
    }
    return { provider, model };
  }

  private workingDirectory(requested: string | undefined): string {
    return resolveWorkingDirectory(requested, this.settings.get().default_working_directory);
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
