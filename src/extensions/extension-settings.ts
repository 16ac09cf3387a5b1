// The configured extensions as a person administers them: rows in the store, checked before they
// are saved, shown with their secrets masked, their state and their known tools. A change reaches
// the running extensions through the catalog (restart, stop). Store calls are awaited: a store may answer later.
import { randomUUID } from 'node:crypto';
import type { AddExtensionRequest, Extension, UpdateExtensionRequest } from '../api/extensions.js';
import type { ExtensionRecord, Store } from '../store/store.js';
import type { ExtensionCatalog } from './extension-catalog.js';
import { inferExtensionType, maskSecrets, restoreSecrets } from './extension-config.js';
import { ExtensionExists, ExtensionNotFound } from './extension-errors.js';
import { isInProcess, type ExtensionEntry, type ExtensionRegistry } from './extension-registry.js';
import { exposedToolName } from './exposed-tool-name.js';

export interface ExtensionSettingsOptions {
  /** The extension rows, and the remembered permissions to forget with an extension. */
  store: { extensions: Pick<Store['extensions'], 'list' | 'insert' | 'update' | 'delete'>; permissions: Pick<Store['permissions'], 'list' | 'clear'> };
  registry: ExtensionRegistry;
  catalog: ExtensionCatalog;
}

export class ExtensionSettings {
  readonly #store: ExtensionSettingsOptions['store'];
  readonly #registry: ExtensionRegistry;
  readonly #catalog: ExtensionCatalog;

  constructor({ store, registry, catalog }: ExtensionSettingsOptions) {
    this.#store = store;
    this.#registry = registry;
    this.#catalog = catalog;
  }

  /**
   * The server-wide extensions, or with `sessionId` that session's own. With `start`, enabled ones
   * that are not running are started so that their tools are known.
   */
  async list({ start, sessionId = null }: { start: boolean; sessionId?: string | null }): Promise<Extension[]> {
    await this.#registry.load(sessionId);
    const entries = this.#registry.all(sessionId);
    await Promise.all(entries.filter((entry) => (start && entry.record.enabled) || isInProcess(entry)).map((entry) => this.#catalog.start(entry)));
    return entries.map(describe);
  }

  async get(idOrName: string): Promise<Extension> {
    const entry = await this.#require(idOrName);
    if (isInProcess(entry)) await this.#catalog.start(entry);
    return describe(entry);
  }

  /**
   * Adds a server-wide extension, or with `sessionId` one of that session only (the caller makes
   * sure the session exists). Throws ExtensionConfigError (a config it cannot use) or
   * ExtensionExists: a name is unique server-wide, and a session's own may not take a server-wide
   * one's name either, since both would offer the same tool names.
   */
  async add(request: AddExtensionRequest, sessionId: string | null = null): Promise<Extension> {
    await Promise.all([this.#registry.load(), sessionId === null ? null : this.#registry.load(sessionId)]);
    const type = inferExtensionType(request.name, request.config, request.type);
    if (this.#registry.find(request.name)) throw sessionId === null ? new ExtensionExists(request.name) : ExtensionExists.serverWide(request.name);
    if (sessionId !== null && this.#registry.find(request.name, sessionId)) throw ExtensionExists.inSession(request.name);
    const record: ExtensionRecord = {
      id: randomUUID(),
      name: request.name,
      type,
      config: request.config,
      enabled: request.enabled ?? true,
      created_at: new Date().toISOString(),
      session_id: sessionId,
    };
    // In the registry before the write, so that a second add of the name meanwhile is refused.
    const entry = this.#registry.add(record, this.#registry.createSource(record));
    try {
      await this.#store.extensions.insert(record);
    } catch (error) {
      this.#registry.delete(record);
      throw error;
    }
    await this.#catalog.restart(entry);
    return describe(entry);
  }

  /** A new config replaces the old one whole (masked secrets sent back keep their stored values) and restarts the extension. */
  async update(idOrName: string, changes: UpdateExtensionRequest): Promise<Extension> {
    const entry = await this.#require(idOrName);
    const previous = entry.source;
    if (changes.config !== undefined) {
      const record = { ...entry.record, config: restoreSecrets(changes.config, entry.record.config) };
      this.#registry.reconfigure(entry, record, this.#registry.createSource(record));
    }
    if (changes.enabled !== undefined) entry.record = { ...entry.record, enabled: changes.enabled };
    await this.#store.extensions.update(entry.record);
    if (previous && (previous !== entry.source || !entry.record.enabled)) await this.#catalog.stop(entry.record.name, previous);
    await this.#catalog.restart(entry);
    return describe(entry);
  }

  async toggle(idOrName: string): Promise<Extension> {
    const entry = await this.#require(idOrName);
    return this.update(entry.record.id, { enabled: !entry.record.enabled });
  }

  /**
   * Stops it and forgets it. A server-wide one's always_allow / always_deny decisions about its tools
   * go too; a session's own leaves them, for the same server an editor gives its next session.
   */
  async remove(idOrName: string, sessionId: string | null = null): Promise<void> {
    const entry = await this.#require(idOrName, sessionId);
    this.#registry.delete(entry.record);
    await this.#store.extensions.delete(entry.record.id);
    if (sessionId === null) {
      const prefix = `${entry.record.name}__`;
      for (const { tool } of await this.#store.permissions.list()) if (tool.startsWith(prefix)) await this.#store.permissions.clear(tool);
    }
    if (entry.source) await this.#catalog.stop(entry.record.name, entry.source);
  }

  /**
   * The rows changed on another instance (several instances on one database). Server-wide: the
   * ones removed stop, the ones changed restart, and new ones start in the background, so that they
   * run before a reply here needs them. A session's own, for the sessions whose extensions this
   * instance knows: the same, except that they start at the session's next use here (the others
   * are read then anyway).
   */
  async syncFromStore(): Promise<void> {
    await this.#registry.load();
    await this.#syncScope(null);
    for (const sessionId of this.#registry.sessions()) await this.#syncScope(sessionId);
  }

  async #syncScope(sessionId: string | null): Promise<void> {
    const startNow = sessionId === null;
    const rows = new Map((await this.#store.extensions.list(sessionId ?? undefined)).map((record) => [record.id, record]));
    for (const entry of this.#registry.all(sessionId)) {
      const row = rows.get(entry.record.id);
      rows.delete(entry.record.id);
      if (!row) {
        this.#registry.delete(entry.record);
        if (entry.source) await this.#catalog.stop(entry.record.name, entry.source);
        continue;
      }
      const configChanged = JSON.stringify(row.config) !== JSON.stringify(entry.record.config);
      if (!configChanged && row.enabled === entry.record.enabled) continue;
      const previous = entry.source;
      if (configChanged) this.#registry.reconfigure(entry, row, null);
      else entry.record = row;
      if (previous && (previous !== entry.source || !row.enabled)) await this.#catalog.stop(row.name, previous);
      if (startNow && this.#registry.sourceOf(entry)) void this.#catalog.restart(entry).catch(() => {});
    }
    for (const row of rows.values()) {
      const entry = this.#registry.added(row);
      if (startNow && this.#registry.sourceOf(entry)) void this.#catalog.restart(entry).catch(() => {});
    }
  }

  /** The session was deleted (its rows with it): its own extensions stop and are forgotten. */
  closeSession(sessionId: string): Promise<void> {
    return this.#catalog.closeSession(sessionId);
  }

  async #require(idOrName: string, sessionId: string | null = null): Promise<ExtensionEntry> {
    await this.#registry.load(sessionId);
    const entry = this.#registry.find(idOrName, sessionId);
    if (!entry) throw new ExtensionNotFound(idOrName);
    return entry;
  }
}

function describe(entry: ExtensionEntry): Extension {
  const { record, source } = entry;
  const state = entry.configError ? 'failed' : !record.enabled || !source ? 'stopped' : source.state;
  return {
    id: record.id,
    name: record.name,
    type: record.type,
    config: maskSecrets(record.config),
    enabled: record.enabled,
    state,
    last_error: entry.configError ?? source?.lastError ?? null,
    tools: (entry.knownTools ?? []).map((tool) => ({ name: exposedToolName(record.name, tool.name), description: tool.description, read_only: tool.readOnly })),
    created_at: record.created_at,
    session_id: record.session_id,
  };
}
