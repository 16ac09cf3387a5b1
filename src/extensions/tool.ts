// The one tool contract. An extension offers tools as a ToolSource; the catalog offers them to the
// model as ExposedTools (`<extension>__<tool>`); the agent sees only the ToolCatalog and these types.
// Where a type is also on the wire (an extension's state, a progress report), the api/ schema defines it.
import type { z } from 'zod';
import type { ToolProgressEvent } from '../api/events.js';
import type { ExtensionState } from '../api/extensions.js';

export type { ExtensionState };

/** A JSON Schema object describing a tool's arguments (always `type: "object"`). */
export type JsonSchemaObject = { type: 'object'; properties?: Record<string, unknown>; required?: string[]; [key: string]: unknown };

export interface ToolDefinition {
  /** Name within its extension, e.g. `shell`; the catalog exposes it as `<extension>__<name>`. */
  name: string;
  description: string;
  inputSchema: JsonSchemaObject;
  /** True when the tool only reads (MCP `readOnlyHint`, or the built-in tool's own declaration). */
  readOnly: boolean;
}

/** What a running tool reports; clients get it as a `tool_progress` event. */
export type ToolProgress = Pick<z.infer<typeof ToolProgressEvent>, 'progress' | 'total' | 'message'>;

export interface ToolCallContext {
  /** The session's working directory: shell commands run here, relative paths resolve here. */
  workingDirectory: string;
  /** Aborted when the reply is cancelled: the tool must stop (kill processes) and return. */
  signal: AbortSignal;
  /** Upper bound for this call; the tool returns an error result when it is exceeded. */
  timeoutMs: number;
  onProgress?: (progress: ToolProgress) => void;
}

export interface ToolResult {
  /** Text given back to the model. */
  content: string;
  isError: boolean;
}

/** One extension's tools, as the catalog uses them. */
export interface ToolSource {
  /** Starts the extension if needed. Rejects (with a readable message) when it cannot start; `state` is then `failed`. */
  listTools(): Promise<ToolDefinition[]>;
  /** Never throws for tool failures: a crashed or hung server gives `{isError: true}`. */
  callTool(name: string, args: Record<string, unknown>, context: ToolCallContext): Promise<ToolResult>;
  readonly state: ExtensionState;
  /**
   * What the extension asks the model to know when using it (an MCP server's `instructions` from
   * its initialize result): from its current start, null when it gave none or is not running.
   */
  readonly instructions: string | null;
  /** The most recent failure; kept after a later successful restart (`state` says whether it is current). */
  readonly lastError: string | null;
  /** Stops the extension and every process it started; a later use starts it again. */
  close(): Promise<void>;
}

/** A tool as the model is offered it: named `<extension>__<tool>`, callable. */
export interface ExposedTool extends ToolDefinition {
  /** Never throws: a tool that is gone, disabled or failing gives `{isError: true}`. */
  call(args: Record<string, unknown>, context: ToolCallContext): Promise<ToolResult>;
}

/** What an extension asks the model to know when using it, as the system prompt shows it. */
export interface ExtensionInstructions {
  /** The extension's configured name, the prefix of its tools. */
  extension: string;
  text: string;
}

/** Where the agent gets its tools each reply: those of every session, and the session's own. */
export interface ToolCatalog {
  /** The tools of the enabled extensions of a reply in the session, starting those not running yet. */
  tools(sessionId: string): Promise<ExposedTool[]>;
  /** Of those extensions, the ones running now: ask after tools(), which starts them. */
  instructions(sessionId: string): ExtensionInstructions[];
}

export function textResult(content: string): ToolResult {
  return { content, isError: false };
}

export function errorResult(content: string): ToolResult {
  return { content, isError: true };
}
