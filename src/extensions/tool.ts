// The narrow contract between the agent and anything that offers tools (the built-in developer
// extension, MCP servers). The agent only sees these types.

/** A JSON Schema object describing a tool's arguments (always `type: "object"`). */
export type JsonSchemaObject = { type: 'object'; properties?: Record<string, unknown>; required?: string[]; [key: string]: unknown };

export interface ToolDefinition {
  /** Name within its extension, e.g. `shell`; the agent exposes it as `<extension>__<name>`. */
  name: string;
  description: string;
  inputSchema: JsonSchemaObject;
  /** True when the tool only reads (MCP `readOnlyHint`, or the built-in tool's own declaration). */
  readOnly: boolean;
}

export interface ToolProgress {
  progress: number;
  total?: number;
  message?: string;
}

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

export type ExtensionState = 'stopped' | 'starting' | 'running' | 'failed';

/** One running extension as the agent sees it. */
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
