import { z } from '@hono/zod-openapi';

export const ExecutionMode = z.enum(['auto', 'approve', 'smart_approval', 'chat']).openapi('ExecutionMode', {
  description: 'auto runs every tool; approve asks before every tool; smart_approval runs read-only tools and asks for the rest; chat offers no tools.',
});
export type ExecutionMode = z.infer<typeof ExecutionMode>;

const origin = z.string().max(500).regex(/^https?:\/\/[^/\s]+$/, 'an origin such as http://localhost:3000 (scheme and host, no path)');
const hostName = z.string().max(255).regex(/^[A-Za-z0-9.\-:[\]]+$/, 'a host name or address, without scheme or path');
const environmentVariableName = z.string().max(200).regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name such as GITHUB_TOKEN');

/** The settings a client may read and change at run time (`GET/PATCH /api/config`, the config file). */
export const Settings = z
  .object({
    execution_mode: ExecutionMode,
    auto_save: z.boolean().openapi({ description: 'When false, new sessions live in memory only.' }),
    max_turns: z.number().int().min(1).max(1000).openapi({ description: 'Most model calls in one reply.' }),
    allowed_origins: z.array(origin).max(100).openapi({ description: "Browser origins besides the server's own that may call the API." }),
    allowed_hosts: z.array(hostName).max(100).openapi({ description: 'Host names besides loopback and the bound host that the server answers to.' }),
    tool_timeout_ms: z.number().int().min(100).max(3_600_000).openapi({ description: 'Default timeout of one tool call.' }),
    compaction_threshold: z.number().min(0.2).max(0.95).openapi({
      description: "Share of the model's context window past which the older part of a conversation is compacted before the next model call.",
    }),
    default_working_directory: z.string().min(1).max(4096).openapi({
      description: "Where a session works when it is created without a working_directory, and what a relative one is relative to: an existing directory; `~` and `~/...` are the user's home. Default `~`.",
    }),
    env_passthrough: z.array(environmentVariableName).max(100).openapi({
      description:
        "Variables of goosed's environment that shell commands and stdio MCP servers get although goosed withholds them (its own GOOSED_* variables and credentials: *_KEY, *TOKEN, *SECRET, *PASSWORD, ...). Exact names; read when a process starts.",
    }),
  })
  .openapi('Settings');
export type Settings = z.infer<typeof Settings>;

export const defaultSettings: Settings = {
  execution_mode: 'smart_approval',
  auto_save: true,
  max_turns: 25,
  allowed_origins: [],
  allowed_hosts: [],
  tool_timeout_ms: 120_000,
  compaction_threshold: 0.8,
  // The user's home, not wherever the server happened to be started; expanded when used.
  default_working_directory: '~',
  env_passthrough: [],
};

/** A partial update: unknown keys are refused, each value validated like the full settings. */
export const SettingsPatch = Settings.partial().strict().openapi('SettingsPatch');
export type SettingsPatch = z.infer<typeof SettingsPatch>;
