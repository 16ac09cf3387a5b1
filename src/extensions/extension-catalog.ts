// The agent's ToolCatalog: the tools of the enabled extensions (server-wide, and the session's own),
// named `<extension>__<tool>`, each extension started on first use. One that cannot start is left
// out of the reply, not fatal to it, and is skipped for a while (doubling from 2 s to 60 s) so that
// a dead server does not slow every reply. A session's own stop when it leaves them unused a while.
import type { Logger } from 'pino';
import type { ExtensionRecord } from '../store/store.js';
import { exposedToolName } from './exposed-tool-name.js';
import { isInProcess, type ExtensionEntry, type ExtensionRegistry } from './extension-registry.js';
import { IdleSessionExtensions } from './idle-session-extensions.js';
import { errorResult, type ExposedTool, type ExtensionInstructions, type ToolCallContext, type ToolCatalog, type ToolDefinition, type ToolResult, type ToolSource } from './tool.js';

const FIRST_RETRY_MS = 2_000;
const MAX_RETRY_MS = 60_000;

/** How long a session's own extensions may go unused before they are stopped (default). */
const SESSION_EXTENSION_IDLE_MS = 10 * 60_000;

export interface ExtensionCatalogOptions {
  registry: ExtensionRegistry;
  logger: Logger;
  /** A session's own extensions unused for this long are stopped (default 10 minutes). */
  sessionIdleMs?: number;
}

export class ExtensionCatalog implements ToolCatalog {
  readonly #registry: ExtensionRegistry;
  readonly #logger: Logger;
  readonly #idleSessions: IdleSessionExtensions;
  #closed = false;

  constructor({ registry, logger, sessionIdleMs = SESSION_EXTENSION_IDLE_MS }: ExtensionCatalogOptions) {
    this.#registry = registry;
    this.#logger = logger;
    this.#idleSessions = new IdleSessionExtensions({ registry, idleMs: sessionIdleMs, stop: (entries) => this.#stopAll(entries) });
  }

  /**
   * The tools of a reply in `sessionId`: the enabled server-wide extensions' and the session's own.
   * A session's extension never takes a server-wide one's tool names (refused when added; one
   * added server-wide later shadows it): the server-wide one comes first and wins.
   */
  async tools(sessionId: string): Promise<ExposedTool[]> {
    await Promise.all([this.#registry.load(), this.#registry.load(sessionId)]);
    if (this.#closed) return [];
    const now = Date.now();
    const ready = this.#entriesOf(sessionId).filter((entry) => entry.record.enabled && now >= entry.retryAt);
    // In use while they start: a slow start must not be taken for idleness.
    const lists = await this.#idleSessions.during(sessionId, () => Promise.all(ready.map((entry) => this.#listTools(entry))));
    const seen = new Set<string>();
    const tools: ExposedTool[] = [];
    for (const tool of lists.flat()) {
      if (seen.has(tool.name)) continue; // two long names cut to the same 64 characters, or a shadowed session extension: the first wins
      seen.add(tool.name);
      tools.push(tool);
    }
    return tools;
  }

  /**
   * The instructions of the enabled extensions of a reply in `sessionId` that are running (an MCP
   * server gives them when it starts, so ask after tools()). Starts nothing.
   */
  instructions(sessionId: string): ExtensionInstructions[] {
    const found: ExtensionInstructions[] = [];
    const names = new Set<string>();
    for (const { record, source } of this.#entriesOf(sessionId)) {
      if (names.has(record.name)) continue;
      names.add(record.name);
      if (!record.enabled || source?.state !== 'running' || source.instructions === null) continue;
      found.push({ extension: record.name, text: source.instructions });
    }
    return found;
  }

  /** Starts the extension if it is not running, whatever its backoff, so that its tools are known. Never rejects. */
  async start(entry: ExtensionEntry): Promise<void> {
    await this.#listTools(entry);
  }

  /**
   * After its settings changed: no backoff, and an enabled one is started in the background, so
   * that its state soon shows it running (or why it failed); a built-in one has started on return.
   */
  async restart(entry: ExtensionEntry): Promise<void> {
    entry.retryAt = 0;
    entry.failedStarts = 0;
    if (!entry.record.enabled) return;
    const sessionId = entry.record.session_id;
    // A session's own, started before any reply uses it, is stopped if none does for a while.
    const listing = sessionId === null ? this.#listTools(entry) : this.#idleSessions.during(sessionId, () => this.#listTools(entry));
    if (isInProcess(entry)) await listing;
  }

  /** Stops a source the settings replaced or removed; a failure to stop is logged, not thrown. */
  async stop(extension: string, source: ToolSource): Promise<void> {
    await source.close().catch((error: unknown) => this.#logger.warn({ extension, err: messageOf(error) }, 'extension did not close cleanly'));
  }

  /** A session was deleted: its own extensions stop (with the processes they started) and are forgotten. */
  async closeSession(sessionId: string): Promise<void> {
    await this.#stopAll(this.#registry.dropSession(sessionId));
  }

  /** Shutdown: every extension stops, with the processes it started; nothing starts afterwards. */
  async closeAll(): Promise<void> {
    this.#closed = true;
    this.#idleSessions.close();
    const sessions = this.#registry.sessions().flatMap((sessionId) => this.#registry.all(sessionId));
    await this.#stopAll([...this.#registry.all(), ...sessions]);
  }

  #stopAll(entries: ExtensionEntry[]): Promise<unknown> {
    return Promise.all(entries.map((entry) => entry.source && this.stop(entry.record.name, entry.source)));
  }

  /** Server-wide first: their names win over a session's own. */
  #entriesOf(sessionId: string): ExtensionEntry[] {
    return [...this.#registry.all(), ...this.#registry.all(sessionId)];
  }

  /** Never rejects: a failure is recorded on the entry (and its source) and gives no tools. */
  async #listTools(entry: ExtensionEntry): Promise<ExposedTool[]> {
    const source = this.#registry.sourceOf(entry);
    if (!source || this.#closed) return [];
    try {
      const definitions = await source.listTools();
      if (entry.source !== source) return [];
      entry.knownTools = definitions;
      entry.failedStarts = 0;
      entry.retryAt = 0;
      return this.#expose(entry, definitions);
    } catch (error) {
      // Reconfigured or disabled meanwhile: the failure is of a start nobody wants any more.
      if (entry.source !== source || !entry.record.enabled) return [];
      entry.failedStarts++;
      entry.retryAt = Date.now() + Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (entry.failedStarts - 1));
      this.#logger.warn({ extension: entry.record.name, err: messageOf(error) }, 'extension could not start; its tools are left out');
      return [];
    }
  }

  #expose(entry: ExtensionEntry, definitions: ToolDefinition[]): ExposedTool[] {
    if (entry.exposed?.from === definitions) return entry.exposed.tools;
    const { record } = entry;
    const tools = definitions.map((definition): ExposedTool => {
      const name = exposedToolName(record.name, definition.name);
      return { ...definition, name, call: (args, context) => this.#callTool(record, definition.name, name, args, context) };
    });
    entry.exposed = { from: definitions, tools };
    return tools;
  }

  /** Looks the extension up at call time: it may have been disabled, reconfigured or removed since the listing. */
  async #callTool(
    { id, session_id: sessionId }: ExtensionRecord,
    tool: string,
    exposedName: string,
    args: Record<string, unknown>,
    context: ToolCallContext,
  ): Promise<ToolResult> {
    const entry = this.#registry.get(id, sessionId);
    if (!entry) return errorResult(`${exposedName} is no longer available: its extension was removed.`);
    if (!entry.record.enabled) return errorResult(`${exposedName} is not available: the ${entry.record.name} extension is disabled.`);
    const source = this.#registry.sourceOf(entry);
    if (!source) return errorResult(`${exposedName} is not available: ${entry.configError}`);
    try {
      return await (sessionId === null ? source.callTool(tool, args, context) : this.#idleSessions.during(sessionId, () => source.callTool(tool, args, context)));
    } catch (error) {
      // Sources promise not to throw; if one does, the model still gets a result and the server goes on.
      this.#logger.error({ extension: entry.record.name, tool, err: error }, 'tool call threw');
      return errorResult(`${exposedName} failed: ${messageOf(error)}`);
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
