// The configured extensions in memory, shared by their settings (admin) and the tool catalog
// (runtime): each stored row, with the ToolSource made for it on first use. Reading the rows starts nothing.
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

export class ExtensionRegistry {
  readonly #entries = new Map<string, ExtensionEntry>();
  readonly #rows: ExtensionRegistryOptions['rows'];
  readonly #environment: ChildEnvironment;
  #loading: Promise<void> | null = null;

  constructor({ rows, environment = withoutPassthrough }: ExtensionRegistryOptions) {
    this.#rows = rows;
    this.#environment = environment;
  }

  /** Reads the stored rows, once; a failed read is tried again at the next call. */
  load(): Promise<void> {
    this.#loading ??= this.#readRows().catch((error: unknown) => {
      this.#loading = null;
      throw error;
    });
    return this.#loading;
  }

  /** Every entry, oldest first (none before load()). */
  all(): ExtensionEntry[] {
    return [...this.#entries.values()];
  }

  get(id: string): ExtensionEntry | undefined {
    return this.#entries.get(id);
  }

  find(idOrName: string): ExtensionEntry | undefined {
    return this.#entries.get(idOrName) ?? this.all().find((entry) => entry.record.name === idOrName);
  }

  add(record: ExtensionRecord, source: ToolSource): ExtensionEntry {
    const entry = { ...newEntry(record), source };
    this.#entries.set(record.id, entry);
    return entry;
  }

  delete(id: string): void {
    this.#entries.delete(id);
  }

  /** A new config: a new source, and nothing known about its tools yet. */
  reconfigure(entry: ExtensionEntry, record: ExtensionRecord, source: ToolSource): void {
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

  async #readRows(): Promise<void> {
    for (const record of await this.#rows.list()) if (!this.#entries.has(record.id)) this.#entries.set(record.id, newEntry(record));
  }
}

/** Built-in extensions run in this process: listing their tools starts nothing. */
export function isInProcess(entry: ExtensionEntry): boolean {
  return entry.record.type === 'builtin';
}

function newEntry(record: ExtensionRecord): ExtensionEntry {
  return { record, source: null, configError: null, knownTools: null, exposed: null, retryAt: 0, failedStarts: 0 };
}
