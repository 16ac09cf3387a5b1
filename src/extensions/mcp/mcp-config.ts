// The configuration of an MCP extension (stdio or streamable HTTP), checked when it is added or
// changed. Its own module: the extension and its connection both read it, and neither imports the other for it.
import { z } from 'zod';
import { MaxOutputBytes } from '../capped-output.js';

const TimeoutMs = z.number().int().positive().default(60_000);
const StringMap = z.record(z.string(), z.string()).default({});

export const McpStdioConfig = z.strictObject({
  type: z.literal('stdio'),
  command: z.string().min(1),
  args: z.array(z.string()).default([]),
  env: StringMap,
  cwd: z.string().optional(),
  timeout_ms: TimeoutMs,
  max_output_bytes: MaxOutputBytes,
});
export const McpStreamableHttpConfig = z.strictObject({
  type: z.literal('streamable_http'),
  url: z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' }),
  headers: StringMap,
  timeout_ms: TimeoutMs,
  max_output_bytes: MaxOutputBytes,
});
export const McpExtensionConfig = z.discriminatedUnion('type', [McpStdioConfig, McpStreamableHttpConfig]);
/** The configuration as written (defaults may be left out). */
export type McpExtensionConfig = z.input<typeof McpExtensionConfig>;
/** The configuration with defaults applied. */
export type McpExtensionSettings = z.output<typeof McpExtensionConfig>;
