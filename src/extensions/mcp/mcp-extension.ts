// An MCP server (stdio or streamable HTTP) as a ToolSource. Nothing is spawned or loaded until the
// first use; a server that crashes or stops answering is marked failed, its calls get error
// results, and the next use starts it again.
import { withoutPassthrough, type ChildEnvironment } from '../child-environment.js';
import { errorResult, type ExtensionState, type ToolCallContext, type ToolDefinition, type ToolResult, type ToolSource } from '../tool.js';
import { McpExtensionConfig, type McpExtensionSettings } from './mcp-config.js';
import type { McpConnection } from './mcp-connection.js';

/** After a call times out, a ping this long (at most) tells a slow tool from a hung server. */
const LIVENESS_PING_MAX_MS = 5_000;
/** setTimeout-based timers fire at once beyond 2^31-1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Throws (a zod error) when the config is invalid; connects only when first used. `environment` is a stdio server's. */
export function createMcpExtension(name: string, config: McpExtensionConfig, environment: ChildEnvironment = withoutPassthrough): ToolSource {
  return new McpExtension(name, McpExtensionConfig.parse(config), environment);
}

class McpExtension implements ToolSource {
  readonly #name: string;
  readonly #settings: McpExtensionSettings;
  readonly #environment: ChildEnvironment;
  #state: ExtensionState = 'stopped';
  #lastError: string | null = null;
  /** The connection in use or being opened; null when stopped or failed (the next use reconnects). */
  #connection: Promise<McpConnection> | null = null;
  #tools: ToolDefinition[] | null = null;
  #instructions: string | null = null;
  /** Bumped on list_changed, so that a list fetched meanwhile is not cached as current. */
  #toolsVersion = 0;

  constructor(name: string, settings: McpExtensionSettings, environment: ChildEnvironment) {
    this.#name = name;
    this.#settings = settings;
    this.#environment = environment;
  }

  get state(): ExtensionState {
    return this.#state;
  }

  get lastError(): string | null {
    return this.#lastError;
  }

  get instructions(): string | null {
    return this.#instructions;
  }

  async listTools(): Promise<ToolDefinition[]> {
    const attempt = this.#connect();
    const connection = await attempt.catch((error: unknown) => {
      throw new Error(`The ${this.#name} extension could not start: ${messageOf(error)}`);
    });
    if (this.#tools !== null && this.#connection === attempt) return this.#tools;
    const version = this.#toolsVersion;
    try {
      const tools = await connection.listTools(this.#settings.timeout_ms);
      if (this.#connection === attempt && version === this.#toolsVersion) this.#tools = tools;
      return tools;
    } catch (error) {
      this.#fail(attempt, messageOf(error));
      throw new Error(`The ${this.#name} extension failed: ${messageOf(error)}`);
    }
  }

  async callTool(name: string, args: Record<string, unknown>, context: ToolCallContext): Promise<ToolResult> {
    const tool = `${this.#name}__${name}`;
    // One signal for the whole call: the reply was cancelled, or the call's time is up.
    const signal = AbortSignal.any([context.signal, AbortSignal.timeout(Math.min(context.timeoutMs, MAX_TIMER_MS))]);
    const stopped = (): ToolResult =>
      context.signal.aborted
        ? errorResult(`${tool} was cancelled.`)
        : errorResult(`${tool} timed out: it did not finish within ${context.timeoutMs} ms. The call was cancelled.`);
    if (signal.aborted) return stopped();

    const attempt = this.#connect();
    let connection: McpConnection;
    try {
      connection = await untilAborted(attempt, signal);
    } catch (error) {
      if (signal.aborted) return stopped();
      return errorResult(`The ${this.#name} extension could not start, so ${tool} was not called: ${messageOf(error)}`);
    }

    const idleTimeoutMs = Math.min(this.#settings.timeout_ms, context.timeoutMs);
    const outcome = await connection.callTool(name, args ?? {}, {
      signal,
      idleTimeoutMs,
      onProgress: context.onProgress,
    });
    switch (outcome.kind) {
      case 'result':
        return outcome.result;
      case 'rejected':
        return errorResult(`${tool} failed: ${outcome.message}`);
      case 'disconnected':
        this.#fail(attempt, outcome.message);
        return errorResult(`The ${this.#name} extension failed during ${tool}: ${outcome.message}. It will be restarted on its next use.`);
      case 'aborted':
      case 'timeout':
        if (context.signal.aborted) return stopped();
        void this.#failIfUnresponsive(attempt, connection, Math.min(idleTimeoutMs, LIVENESS_PING_MAX_MS));
        return outcome.kind === 'timeout' ? errorResult(`${tool} timed out: ${outcome.message}. The call was cancelled.`) : stopped();
    }
  }

  async close(): Promise<void> {
    const attempt = this.#connection;
    this.#connection = null;
    this.#tools = null;
    this.#instructions = null;
    this.#state = 'stopped';
    if (attempt) await attempt.then((connection) => connection.close()).catch(() => {});
  }

  #connect(): Promise<McpConnection> {
    if (this.#connection !== null) return this.#connection;
    this.#state = 'starting';
    // The SDK is imported here, on first use, so that starting goosed does not load it.
    const attempt: Promise<McpConnection> = import('./mcp-connection.js').then(({ openMcpConnection }) =>
      openMcpConnection(
        this.#settings,
        {
          onLost: (reason) => this.#fail(attempt, reason),
          onToolsChanged: () => {
            if (this.#connection !== attempt) return;
            this.#tools = null;
            this.#toolsVersion++;
          },
        },
        this.#environment,
      ),
    );
    this.#connection = attempt;
    attempt.then(
      (connection) => {
        if (this.#connection !== attempt) return;
        this.#state = 'running';
        this.#instructions = connection.instructions;
      },
      (error: unknown) => this.#fail(attempt, messageOf(error)),
    );
    return attempt;
  }

  /** Marks the extension failed (if `attempt` is still its connection) and stops what is left of it. */
  #fail(attempt: Promise<McpConnection>, reason: string): void {
    if (this.#connection !== attempt) return;
    this.#connection = null;
    this.#tools = null;
    this.#instructions = null;
    this.#state = 'failed';
    this.#lastError = reason;
    attempt.then((connection) => connection.close()).catch(() => {});
  }

  /** A timed-out call may be one slow tool or a hung server: a ping tells which. */
  async #failIfUnresponsive(attempt: Promise<McpConnection>, connection: McpConnection, pingTimeoutMs: number): Promise<void> {
    if (await connection.isResponsive(pingTimeoutMs)) return;
    this.#fail(attempt, `the server stopped responding: a call timed out and a ping got no answer within ${pingTimeoutMs} ms`);
  }
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
