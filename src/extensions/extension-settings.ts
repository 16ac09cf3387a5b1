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
  store: { extensions: Pick<Store['extensions'], 'insert' | 'update' | 'delete'>; permissions: Pick<Store['permissions'], 'list' | 'clear'> };
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

  /** With `start`, enabled extensions that are not running are started so that their tools are known. */
  async list({ start }: { start: boolean }): Promise<Extension[]> {
    await this.#registry.load();
    const entries = this.#registry.all();
    await Promise.all(entries.filter((entry) => (start && entry.record.enabled) || isInProcess(entry)).map((entry) => this.#catalog.start(entry)));
    return entries.map(describe);
  }

  async get(idOrName: string): Promise<Extension> {
    const entry = await this.#require(idOrName);
    if (isInProcess(entry)) await this.#catalog.start(entry);
    return describe(entry);
  }

  /** Throws ExtensionConfigError (a config it cannot use) or ExtensionExists. */
  async add(request: AddExtensionRequest): Promise<Extension> {
    await this.#registry.load();
    const type = inferExtensionType(request.name, request.config, request.type);
    if (this.#registry.find(request.name)) throw new ExtensionExists(request.name);
    const record: ExtensionRecord = {
      id: randomUUID(),
      name: request.name,
      type,
      config: request.config,
      enabled: request.enabled ?? true,
      created_at: new Date().toISOString(),
    };
    // In the registry before the write, so that a second add of the name meanwhile is refused.
    const entry = this.#registry.add(record, this.#registry.createSource(record));
    try {
      await this.#store.extensions.insert(record);
    } catch (error) {
      this.#registry.delete(record.id);
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

  /** Stops it, forgets it, and forgets the always_allow / always_deny decisions about its tools. */
  async remove(idOrName: string): Promise<void> {
    const entry = await this.#require(idOrName);
    this.#registry.delete(entry.record.id);
    await this.#store.extensions.delete(entry.record.id);
    const prefix = `${entry.record.name}__`;
    for (const { tool } of await this.#store.permissions.list()) if (tool.startsWith(prefix)) await this.#store.permissions.clear(tool);
    if (entry.source) await this.#catalog.stop(entry.record.name, entry.source);
  }

  async #require(idOrName: string): Promise<ExtensionEntry> {
    await this.#registry.load();
    const entry = this.#registry.find(idOrName);
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
  };
}
