// The configured extensions: rows in the store, each with a ToolSource made (and started) only when
// first needed. It is the agent's tool catalog: the tools of the enabled extensions, named
// `<extension>__<tool>`. An extension that cannot start is left out of the reply, not fatal to it.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { ApiError, notFound } from '../api/errors.js';
import type { AddExtensionRequest, Extension, UpdateExtensionRequest } from '../api/extensions.js';
import type { ExtensionRecord, Store } from '../store/store.js';
import { withoutPassthrough, type ChildEnvironment } from './child-environment.js';
import { createToolSource, ExtensionConfigError } from './create-tool-source.js';
import { inferExtensionType, maskSecrets, restoreSecrets } from './extension-config.js';
import { exposedToolName } from './exposed-tool-name.js';
import type { ToolCallContext, ToolDefinition, ToolResult, ToolSource } from './tool.js';

/** A tool as the model is offered it (the agent's AgentTool): exposed name, callable. */
export interface ExposedTool extends ToolDefinition {
  call(args: Record<string, unknown>, context: ToolCallContext): Promise<ToolResult>;
}

/** An extension's instructions for the model, as the agent puts them in the system prompt. */
export interface ExtensionInstructions {
  extension: string;
  text: string;
}

/** What the manager needs from the store: the extension rows, and remembered permissions to forget. */
export interface ExtensionStore {
  extensions: Store['extensions'];
  permissions: Store['permissions'] & { list(): { tool: string }[] };
}

interface ExtensionEntry {
  record: ExtensionRecord;
  /** Made on first use; stays null when the stored config is invalid (`configError` says why). */
  source: ToolSource | null;
  configError: string | null;
  /** The tools of the last successful listing: GET shows them without starting anything. */
  knownTools: ToolDefinition[] | null;
  exposed: { from: ToolDefinition[]; tools: ExposedTool[] } | null;
  /** After a failed start, replies skip the extension until then (so a dead server does not slow each one). */
  retryAt: number;
  failedStarts: number;
}

const FIRST_RETRY_MS = 2_000;
const MAX_RETRY_MS = 60_000;

export class ExtensionManager {
  private readonly entries = new Map<string, ExtensionEntry>();
  private closed = false;

  constructor(
    private readonly store: ExtensionStore,
    private readonly logger: Logger,
    /** The environment of the processes the extensions start (shell commands, stdio servers). */
    private readonly environment: ChildEnvironment = withoutPassthrough,
  ) {
    // Reading the rows starts nothing: sources are made and started on first use.
    for (const record of store.extensions.list()) this.entries.set(record.id, newEntry(record));
  }

  /** The agent's ToolCatalog: tools of enabled extensions, starting those not running yet. */
  async tools(): Promise<ExposedTool[]> {
    if (this.closed) return [];
    const now = Date.now();
    const ready = [...this.entries.values()].filter((entry) => entry.record.enabled && now >= entry.retryAt);
    const lists = await Promise.all(ready.map((entry) => this.listTools(entry)));
    const seen = new Set<string>();
    const tools: ExposedTool[] = [];
    for (const tool of lists.flat()) {
      if (seen.has(tool.name)) continue; // two long names cut to the same 64 characters: the first wins
      seen.add(tool.name);
      tools.push(tool);
    }
    return tools;
  }

  /**
   * The instructions of the enabled extensions that are running (an MCP server gives them when it
   * starts, so ask after tools()). Starts nothing.
   */
  instructions(): ExtensionInstructions[] {
    const found: ExtensionInstructions[] = [];
    for (const { record, source } of this.entries.values()) {
      if (!record.enabled || source?.state !== 'running' || source.instructions === null) continue;
      found.push({ extension: record.name, text: source.instructions });
    }
    return found;
  }

  /** With `start`, enabled extensions that are not running are started so that their tools are known. */
  async list({ start }: { start: boolean }): Promise<Extension[]> {
    const entries = [...this.entries.values()];
    await Promise.all(entries.filter((entry) => (start && entry.record.enabled) || isInProcess(entry)).map((entry) => this.listTools(entry)));
    return entries.map((entry) => this.describe(entry));
  }

  async get(idOrName: string): Promise<Extension> {
    const entry = this.require(idOrName);
    if (isInProcess(entry)) await this.listTools(entry);
    return this.describe(entry);
  }

  async add(request: AddExtensionRequest): Promise<Extension> {
    const type = inferExtensionType(request.name, request.config, request.type);
    if (this.find(request.name)) throw new ApiError(409, 'extension_exists', `An extension named "${request.name}" already exists: change it with PATCH /api/extensions/${request.name}.`);
    const record: ExtensionRecord = {
      id: randomUUID(),
      name: request.name,
      type,
      config: request.config,
      enabled: request.enabled ?? true,
      created_at: new Date().toISOString(),
    };
    const source = createValidatedSource(record, this.environment);
    this.store.extensions.insert(record);
    const entry = { ...newEntry(record), source };
    this.entries.set(record.id, entry);
    return this.afterChange(entry);
  }

  /** A new config replaces the old one whole (masked secrets sent back keep their stored values) and restarts the extension. */
  async update(idOrName: string, changes: UpdateExtensionRequest): Promise<Extension> {
    const entry = this.require(idOrName);
    const previous = entry.source;
    if (changes.config !== undefined) {
      const record = { ...entry.record, config: restoreSecrets(changes.config, entry.record.config) };
      const source = createValidatedSource(record, this.environment);
      entry.record = record;
      entry.source = source;
      entry.configError = null;
      entry.knownTools = null;
      entry.exposed = null;
    }
    if (changes.enabled !== undefined) entry.record = { ...entry.record, enabled: changes.enabled };
    this.store.extensions.update(entry.record);
    if (previous && (previous !== entry.source || !entry.record.enabled)) await this.closeQuietly(entry.record.name, previous);
    return this.afterChange(entry);
  }

  async toggle(idOrName: string): Promise<Extension> {
    return this.update(idOrName, { enabled: !this.require(idOrName).record.enabled });
  }

  /** Stops it, forgets it, and forgets the always_allow / always_deny decisions about its tools. */
  async remove(idOrName: string): Promise<void> {
    const entry = this.require(idOrName);
    this.entries.delete(entry.record.id);
    this.store.extensions.delete(entry.record.id);
    const prefix = `${entry.record.name}__`;
    for (const { tool } of this.store.permissions.list()) if (tool.startsWith(prefix)) this.store.permissions.clear(tool);
    if (entry.source) await this.closeQuietly(entry.record.name, entry.source);
  }

  /** Shutdown: every extension stops, with the processes it started; nothing starts afterwards. */
  async closeAll(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.entries.values()].map((entry) => entry.source && this.closeQuietly(entry.record.name, entry.source)));
  }

  /** Enabled: started in the background, so that GET soon shows it running (or why it failed). */
  private async afterChange(entry: ExtensionEntry): Promise<Extension> {
    entry.retryAt = 0;
    entry.failedStarts = 0;
    if (entry.record.enabled) {
      const listing = this.listTools(entry);
      if (isInProcess(entry)) await listing;
    }
    return this.describe(entry);
  }

  /** Never rejects: a failure is recorded on the entry (and its source) and gives no tools. */
  private async listTools(entry: ExtensionEntry): Promise<ExposedTool[]> {
    const source = this.sourceOf(entry);
    if (!source || this.closed) return [];
    try {
      const definitions = await source.listTools();
      if (entry.source !== source) return [];
      entry.knownTools = definitions;
      entry.failedStarts = 0;
      entry.retryAt = 0;
      return this.expose(entry, definitions);
    } catch (error) {
      // Reconfigured or disabled meanwhile: the failure is of a start nobody wants any more.
      if (entry.source !== source || !entry.record.enabled) return [];
      entry.failedStarts++;
      entry.retryAt = Date.now() + Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (entry.failedStarts - 1));
      this.logger.warn({ extension: entry.record.name, err: messageOf(error) }, 'extension could not start; its tools are left out');
      return [];
    }
  }

  private expose(entry: ExtensionEntry, definitions: ToolDefinition[]): ExposedTool[] {
    if (entry.exposed?.from === definitions) return entry.exposed.tools;
    const { id, name: extension } = entry.record;
    const tools = definitions.map((definition): ExposedTool => {
      const name = exposedToolName(extension, definition.name);
      return { ...definition, name, call: (args, context) => this.callTool(id, definition.name, name, args, context) };
    });
    entry.exposed = { from: definitions, tools };
    return tools;
  }

  /** Looks the extension up at call time: it may have been disabled, reconfigured or removed since the listing. */
  private async callTool(id: string, tool: string, exposedName: string, args: Record<string, unknown>, context: ToolCallContext): Promise<ToolResult> {
    const entry = this.entries.get(id);
    if (!entry) return { content: `${exposedName} is no longer available: its extension was removed.`, isError: true };
    if (!entry.record.enabled) return { content: `${exposedName} is not available: the ${entry.record.name} extension is disabled.`, isError: true };
    const source = this.sourceOf(entry);
    if (!source) return { content: `${exposedName} is not available: ${entry.configError}`, isError: true };
    try {
      return await source.callTool(tool, args, context);
    } catch (error) {
      // Sources promise not to throw; if one does, the model still gets a result and the server goes on.
      this.logger.error({ extension: entry.record.name, tool, err: error }, 'tool call threw');
      return { content: `${exposedName} failed: ${messageOf(error)}`, isError: true };
    }
  }

  private sourceOf(entry: ExtensionEntry): ToolSource | null {
    if (entry.source || entry.configError) return entry.source;
    try {
      entry.source = createValidatedSource(entry.record, this.environment);
    } catch (error) {
      // A row saved by another version, or edited by hand: shown as failed, with the reason.
      entry.configError = error instanceof ApiError ? error.message : messageOf(error);
    }
    return entry.source;
  }

  private describe(entry: ExtensionEntry): Extension {
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

  private find(idOrName: string): ExtensionEntry | undefined {
    return this.entries.get(idOrName) ?? [...this.entries.values()].find((entry) => entry.record.name === idOrName);
  }

  private require(idOrName: string): ExtensionEntry {
    const entry = this.find(idOrName);
    if (!entry) throw notFound('extension', idOrName);
    return entry;
  }

  private async closeQuietly(name: string, source: ToolSource): Promise<void> {
    await source.close().catch((error: unknown) => this.logger.warn({ extension: name, err: messageOf(error) }, 'extension did not close cleanly'));
  }
}

function newEntry(record: ExtensionRecord): ExtensionEntry {
  return { record, source: null, configError: null, knownTools: null, exposed: null, retryAt: 0, failedStarts: 0 };
}

/** Built-in extensions run in this process: listing their tools starts nothing. */
function isInProcess(entry: ExtensionEntry): boolean {
  return entry.record.type === 'builtin';
}

/** Checks the config (nothing is started): a bad one is a 400 that names the field. */
function createValidatedSource(record: ExtensionRecord, environment: ChildEnvironment): ToolSource {
  try {
    return createToolSource(record, environment);
  } catch (error) {
    if (error instanceof ExtensionConfigError) throw new ApiError(400, error.code, error.message);
    throw error;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
