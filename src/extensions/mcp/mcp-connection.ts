// One live connection to an MCP server, through the official SDK. This module (and the SDK behind
// it) is imported only when an MCP extension is first used, so goosed starts without loading it.
// Failures come back as values the extension can act on, not as exceptions.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { type CallToolResult, CallToolResultSchema, ErrorCode, McpError, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import type { ChildEnvironment } from '../child-environment.js';
import { capText } from '../capped-output.js';
import type { JsonSchemaObject, ToolDefinition, ToolProgress, ToolResult } from '../tool.js';
import { VERSION } from '../../version.js';
import type { McpExtensionSettings } from './mcp-config.js';
import { toolResultText } from './mcp-result-text.js';
import { StdioProcessTransport } from './stdio-process-transport.js';

const CLIENT_INFO = { name: 'goosed', version: VERSION };
/** Time a stdio server gets to exit after stdin closes, and again after SIGTERM. */
const STOP_GRACE_MS = 1_000;
/** Time an HTTP server gets to acknowledge the end of our session. */
const END_SESSION_TIMEOUT_MS = 1_000;

export type CallOutcome =
  | { kind: 'result'; result: ToolResult }
  /** timeout: no answer in time; aborted: our signal fired; disconnected: the server is gone;
   *  rejected: the server answered with a JSON-RPC error (it is alive). */
  | { kind: 'timeout' | 'aborted' | 'disconnected' | 'rejected'; message: string };

export interface CallOptions {
  signal: AbortSignal;
  /** Without an answer or a progress notification for this long, the call times out. */
  idleTimeoutMs: number;
  onProgress?: (progress: ToolProgress) => void;
}

export interface McpConnection {
  /** The server's `instructions` from the handshake (how to use its tools), null when it sent none. */
  readonly instructions: string | null;
  /** Rejects with an Error explaining why the list could not be fetched. */
  listTools(timeoutMs: number): Promise<ToolDefinition[]>;
  callTool(name: string, args: Record<string, unknown>, options: CallOptions): Promise<CallOutcome>;
  /** A ping: false when the server does not answer within `timeoutMs`. */
  isResponsive(timeoutMs: number): Promise<boolean>;
  /** Ends the session and stops the server process (with everything it started). */
  close(): Promise<void>;
}

export interface ConnectionEvents {
  /** The connection ended without close() being called: the server exited or crashed. */
  onLost(reason: string): void;
  onToolsChanged(): void;
}

/** Connects and completes the MCP handshake; rejects with an Error that says why it could not. */
export async function openMcpConnection(settings: McpExtensionSettings, events: ConnectionEvents, environment: ChildEnvironment): Promise<McpConnection> {
  const transport = createTransport(settings, environment);
  const client = new Client(CLIENT_INFO, { capabilities: {} });
  let lastTransportError: string | null = null;
  let established = false;
  let closing = false;
  client.onerror = (error) => {
    lastTransportError = error.message;
  };
  client.onclose = () => {
    if (established && !closing) events.onLost(lastTransportError ?? 'the connection to the server closed');
  };
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => events.onToolsChanged());

  try {
    await client.connect(transport, { timeout: settings.timeout_ms });
  } catch (error) {
    closing = true;
    await transport.close().catch(() => {});
    throw new Error(explainHandshakeFailure(error, lastTransportError, settings));
  }
  established = true;

  return {
    instructions: client.getInstructions()?.trim() || null,

    async listTools(timeoutMs) {
      const tools: ToolDefinition[] = [];
      let cursor: string | undefined;
      try {
        do {
          const page = await client.listTools(cursor === undefined ? undefined : { cursor }, { timeout: timeoutMs });
          for (const tool of page.tools) {
            tools.push({
              name: tool.name,
              description: tool.description ?? tool.title ?? '',
              inputSchema: tool.inputSchema as JsonSchemaObject,
              readOnly: tool.annotations?.readOnlyHint === true,
            });
          }
          cursor = page.nextCursor;
        } while (cursor !== undefined);
      } catch (error) {
        throw new Error(explainFailure(error, lastTransportError, timeoutMs, 'list its tools'));
      }
      return tools;
    },

    async callTool(name, args, { signal, idleTimeoutMs, onProgress }) {
      try {
        const result = await client.callTool({ name, arguments: args }, CallToolResultSchema, {
          signal,
          timeout: idleTimeoutMs,
          // A server that keeps reporting progress is working, not hung.
          resetTimeoutOnProgress: true,
          onprogress: onProgress && ((progress) => onProgress({ progress: progress.progress, total: progress.total, message: progress.message })),
        });
        // Capped like the shell's output: the text is stored, streamed to every follower and sent to the model again each turn.
        const content = capText(toolResultText(result as CallToolResult), settings.max_output_bytes);
        return { kind: 'result', result: { content, isError: result.isError === true } };
      } catch (error) {
        if (signal.aborted) return { kind: 'aborted', message: 'the call was aborted' };
        const message = explainFailure(error, lastTransportError, idleTimeoutMs, 'answer');
        if (!(error instanceof McpError)) return { kind: 'disconnected', message };
        if (error.code === ErrorCode.RequestTimeout) return { kind: 'timeout', message };
        if (error.code === ErrorCode.ConnectionClosed) return { kind: 'disconnected', message };
        return { kind: 'rejected', message };
      }
    },

    async isResponsive(timeoutMs) {
      return client.ping({ timeout: timeoutMs }).then(
        () => true,
        () => false,
      );
    },

    async close() {
      closing = true;
      if (transport instanceof StreamableHTTPClientTransport) {
        // Lets the server free the session now; a server that does not answer is not waited for.
        await Promise.race([transport.terminateSession().catch(() => {}), new Promise((done) => setTimeout(done, END_SESSION_TIMEOUT_MS))]);
      }
      await client.close().catch(() => {});
    },
  };
}

function createTransport(settings: McpExtensionSettings, environment: ChildEnvironment): Transport {
  if (settings.type === 'stdio') {
    return new StdioProcessTransport({
      command: settings.command,
      args: settings.args,
      // What the config names is given as configured, whatever the name.
      env: environment(settings.env),
      cwd: settings.cwd,
      stopGraceMs: STOP_GRACE_MS,
    });
  }
  return new StreamableHTTPClientTransport(new URL(settings.url), { requestInit: { headers: settings.headers } });
}

/**
 * A program that started but does not speak MCP (it exited, answered "Method not found", or said
 * nothing) is told apart from one that could not start or be reached.
 */
function explainHandshakeFailure(error: unknown, lastTransportError: string | null, settings: McpExtensionSettings): string {
  const reason = explainFailure(error, lastTransportError, settings.timeout_ms, 'complete the MCP handshake');
  if (!(error instanceof McpError)) return reason;
  const who = settings.type === 'stdio' ? 'the program' : `the server at ${settings.url}`;
  if (error.code === ErrorCode.RequestTimeout) return `${who} did not answer as an MCP server within ${settings.timeout_ms} ms`;
  if (error.code === ErrorCode.ConnectionClosed) return settings.type === 'stdio' ? `${who} did not answer as an MCP server: ${reason.replace(/^the server process /, 'it ')}` : reason;
  return `${who} did not answer as an MCP server: it answered the handshake with "${error.message.replace(/^MCP error -?\d+: /, '')}"`;
}

/** The most telling reason: a closed connection is explained by how the transport ended. */
function explainFailure(error: unknown, lastTransportError: string | null, timeoutMs: number, action: string): string {
  if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) {
    return `the server did not ${action} within ${timeoutMs} ms`;
  }
  if (error instanceof McpError && error.code === ErrorCode.ConnectionClosed && lastTransportError !== null) {
    return lastTransportError;
  }
  if (!(error instanceof Error)) return String(error);
  // fetch() says only "fetch failed"; the cause says why (ECONNREFUSED, a DNS failure, ...).
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return error.message + cause;
}
