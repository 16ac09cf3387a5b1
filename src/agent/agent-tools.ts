import type { JsonSchemaObject, ToolCallContext, ToolResult } from '../extensions/tool.js';

/** A tool as the agent offers it to the model: named `<extension>__<tool>`, callable. */
export interface AgentTool {
  name: string;
  description: string;
  inputSchema: JsonSchemaObject;
  readOnly: boolean;
  call(args: Record<string, unknown>, context: ToolCallContext): Promise<ToolResult>;
}

/** What an extension asks the model to know when using it (an MCP server's `instructions`). */
export interface ExtensionInstructions {
  /** The extension's configured name, the prefix of its tools. */
  extension: string;
  text: string;
}

/** Where the agent gets its tools each turn (the extension manager implements it). */
export interface ToolCatalog {
  /** Starts the enabled extensions that are not running yet. */
  tools(): Promise<AgentTool[]>;
  /** Of the extensions running now: ask after tools(), which starts them. */
  instructions(): ExtensionInstructions[];
}

export const noTools: ToolCatalog = { tools: async () => [], instructions: () => [] };
