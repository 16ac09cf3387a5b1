// The configured extensions in memory, shared by their settings (admin) and the tool catalog
// (runtime): each stored row, with the ToolSource made for it on first use, server-wide or of one
// session. Reading the rows starts nothing.
import type { ExtensionRecord, Store } from '../store/store.js';
import { withoutPassthrough, type ChildEnvironment } from './child-environment.js';
import { createToolSource } from './create-tool-source.js';
import type { ExposedTool, ToolDefinition, ToolSource } from './tool.js';

export interface ExtensionEntry {
  record: ExtensionRecord;
  /** Made on first use; stays null when the stored config is invalid (`configError` says why). */
  source: ToolSource | null;
  configError: string | null;
  /** The tools of the last successful listing: the settings show them without starting anything. */
  knownTools: ToolDefinition[] | null;
  /** The catalog's: the tools as offered to the model, made from the listing `from`. */
  exposed: { from: ToolDefinition[]; tools: ExposedTool[] } | null;
  /** The catalog's: after a failed start, replies skip the extension until then (so a dead server does not slow each one). */
  retryAt: number;
  failedStarts: number;
}

export interface ExtensionRegistryOptions {
  rows: Pick<Store['extensions'], 'list'>;
  /** The environment of the processes the extensions start (shell commands, stdio servers). */
  environment?: ChildEnvironment;
}

/** The server-wide extensions (key null), or one session's own: its entries, and its rows read once. */
interface Scope {
  entries: Map<string, ExtensionEntry>;
  loading: Promise<void> | null;
}

export class ExtensionRegistry {
  /** null: the server-wide scope. A session's scope is kept while it has extensions. */
  readonly #scopes = new Map<string | null, Scope>([[null, newScope()]]);
  readonly #rows: ExtensionRegistryOptions['rows'];
  readonly #environment: ChildEnvironment;

  constructor({ rows, environment = withoutPassthrough }: ExtensionRegistryOptions) {
    this.#rows = rows;
    this.#environment = environment;
  }

  /**
   * Reads the stored rows of a scope (server-wide, or a session's own), once; a failed read is tried
   * again at the next call. A session with none is read again at its next use, so that a session
   * without extensions (most of them) costs no memory here.
   */
  async load(sessionId: string | null = null): Promise<void> {
    const scope = this.#scope(sessionId);
    scope.loading ??= this.#readRows(scope, sessionId).catch((error: unknown) => {
      scope.loading = null;
      throw error;
    });
    await scope.loading;
    if (sessionId !== null && scope.entries.size === 0 && this.#scopes.get(sessionId) === scope) this.#scopes.delete(sessionId);
  }

  /** Every entry of a scope, oldest first (none before load()). */
  all(sessionId: string | null = null): ExtensionEntry[] {
    return [...(this.#scopes.get(sessionId)?.entries.values() ?? [])];
  }

  /** The sessions whose own extensions are known here. */
  sessions(): string[] {
    return [...this.#scopes.keys()].filter((key): key is string => key !== null);
  }

  get(id: string, sessionId: string | null = null): ExtensionEntry | undefined {
    return this.#scopes.get(sessionId)?.entries.get(id);
  }

  /** By id, or by name, within one scope. */
  find(idOrName: string, sessionId: string | null = null): ExtensionEntry | undefined {
    return this.get(idOrName, sessionId) ?? this.all(sessionId).find((entry) => entry.record.name === idOrName);
  }

  add(record: ExtensionRecord, source: ToolSource): ExtensionEntry {
    const entry = { ...newEntry(record), source };
    this.#scope(record.session_id).entries.set(record.id, entry);
    return entry;
  }

  /** A row another instance stored: its source is made on first use (sourceOf). */
  added(record: ExtensionRecord): ExtensionEntry {
    const entry = newEntry(record);
    this.#scope(record.session_id).entries.set(record.id, entry);
    return entry;
  }

  delete(record: ExtensionRecord): void {
    this.#scopes.get(record.session_id)?.entries.delete(record.id);
  }

  /** Forgets a session's scope (the session is gone) and hands back its entries, to be stopped. */
  dropSession(sessionId: string): ExtensionEntry[] {
    const entries = this.all(sessionId);
    this.#scopes.delete(sessionId);
    return entries;
  }

  /** A new config: a new source, and nothing known about its tools yet. */
  reconfigure(entry: ExtensionEntry, record: ExtensionRecord, source: ToolSource | null): void {
    Object.assign(entry, { record, source, configError: null, knownTools: null, exposed: null });
  }

  /** Checks the config (throws ExtensionConfigError naming the fields at fault); starts nothing. */
  createSource(record: ExtensionRecord): ToolSource {
    return createToolSource(record, this.#environment);
  }

  /** The entry's source, made now if it was not; null (with `configError` set) when its stored config is invalid. */
  sourceOf(entry: ExtensionEntry): ToolSource | null {
    if (entry.source || entry.configError) return entry.source;
    try {
      entry.source = this.createSource(entry.record);
    } catch (error) {
      // A row saved by another version, or edited by hand: shown as failed, with the reason.
      entry.configError = error instanceof Error ? error.message : String(error);
    }
    return entry.source;
  }

  #scope(sessionId: string | null): Scope {
    let scope = this.#scopes.get(sessionId);
    if (!scope) this.#scopes.set(sessionId, (scope = newScope()));
    return scope;
  }

  async #readRows(scope: Scope, sessionId: string | null): Promise<void> {
    const rows = await (sessionId === null ? this.#rows.list() : this.#rows.list(sessionId));
    for (const record of rows) if (!scope.entries.has(record.id)) scope.entries.set(record.id, newEntry(record));
  }
}

/** Built-in extensions run in this process: listing their tools starts nothing. */
export function isInProcess(entry: ExtensionEntry): boolean {
  return entry.record.type === 'builtin';
}

function newScope(): Scope {
  return { entries: new Map(), loading: null };
}

function newEntry(record: ExtensionRecord): ExtensionEntry {
  return { record, source: null, configError: null, knownTools: null, exposed: null, retryAt: 0, failedStarts: 0 };
}
