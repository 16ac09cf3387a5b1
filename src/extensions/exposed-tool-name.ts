// The name the model sees for a tool: `<extension>__<tool>`. Providers accept only letters, digits,
// `_` and `-`, at most 64 characters (OpenAI's limit, the strictest), and refuse the whole request
// otherwise, so one MCP server with a dotted tool name would break every reply.
const MAX_TOOL_NAME = 64;

export function exposedToolName(extension: string, tool: string): string {
  return `${extension}__${tool.replace(/[^A-Za-z0-9_-]/g, '_')}`.slice(0, MAX_TOOL_NAME);
}
