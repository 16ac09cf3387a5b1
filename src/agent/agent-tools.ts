import type { JsonSchemaObject, ToolCallContext, ToolResult } from '../extensions/tool.js';

/** A tool as the agent offers it to the model: named `<extension>__<tool>`, callable. */
export interface AgentTool {
  name: string;
  description: string;
  inputSchema: JsonSchemaObject;
  readOnly: boolean;
  call(args: Record<string, unknown>, context: ToolCallContext): Promise<ToolResult>;
}

/** Where the agent gets its tools each turn (the extension manager implements it). */
export interface ToolCatalog {
  tools(): Promise<AgentTool[]>;
}

export const noTools: ToolCatalog = { tools: async () => [] };
