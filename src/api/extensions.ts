import { z } from '@hono/zod-openapi';

export const ExtensionType = z.enum(['builtin', 'stdio', 'streamable_http']).openapi('ExtensionType');
export type ExtensionType = z.infer<typeof ExtensionType>;

export const ExtensionState = z.enum(['stopped', 'starting', 'running', 'failed']).openapi('ExtensionState', {
  description: 'stopped: disabled, or not started yet (extensions start on first use); failed: could not start or crashed (`last_error` says why); it is started again on its next use or when toggled.',
});
export type ExtensionState = z.infer<typeof ExtensionState>;

export const ExtensionToolInfo = z
  .object({ name: z.string().openapi({ description: 'As the model sees it: `<extension>__<tool>`.' }), description: z.string(), read_only: z.boolean() })
  .openapi('ExtensionTool');

export const Extension = z
  .object({
    id: z.string(),
    name: z.string(),
    type: ExtensionType,
    config: z.record(z.string(), z.unknown()).openapi({ description: 'Header and env values, and a password in the URL, are shown as `********`.' }),
    enabled: z.boolean(),
    state: ExtensionState,
    last_error: z.string().nullable().openapi({ description: 'The most recent failure (kept after a later successful start; `state` says whether it is current).' }),
    tools: z.array(ExtensionToolInfo).openapi({ description: 'Known from its last start (built-in extensions: always). `POST /api/extensions/start` starts enabled extensions to list them.' }),
    created_at: z.string().openapi({ format: 'date-time' }),
    session_id: z.string().nullable().openapi({ description: "The session whose own extension this is (offered in that session's replies only, deleted with it); null: server-wide." }),
  })
  .openapi('Extension');
export type Extension = z.infer<typeof Extension>;

const extensionName = z
  .string()
  .min(1)
  // Short: the name prefixes every tool name, and providers allow 64 characters in all.
  .max(32)
  .regex(/^[a-z][a-z0-9_-]*$/i, 'a letter, then letters, digits, - and _ (it prefixes tool names)')
  .refine((name) => !name.includes('__'), 'must not contain "__" (it separates extension and tool names)');

const ExtensionConfig = z.record(z.string(), z.unknown()).openapi({
  description:
    'builtin `developer`: `{allow_shell, shell_timeout_ms, max_output_bytes, kill_grace_ms}`; stdio: `{command, args, env, cwd, timeout_ms, max_output_bytes}`; streamable_http: `{url, headers, timeout_ms, max_output_bytes}`.',
});

export const AddExtensionRequest = z
  .strictObject({
    name: extensionName.openapi({ example: 'developer' }),
    type: ExtensionType.optional().openapi({ description: 'Default: stdio when config.command is set, streamable_http when config.url is, else builtin for a built-in name (`developer`).' }),
    config: ExtensionConfig.default({}).openapi({ example: { allow_shell: true } }),
    enabled: z.boolean().optional().openapi({ description: 'Default true.' }),
  })
  .openapi('AddExtensionRequest');
export type AddExtensionRequest = z.infer<typeof AddExtensionRequest>;

export const UpdateExtensionRequest = z
  .strictObject({
    config: ExtensionConfig.optional().openapi({
      description: 'Replaces the whole config and restarts the extension. `********` values (as GET shows secrets) keep the stored value.',
    }),
    enabled: z.boolean().optional(),
  })
  .openapi('UpdateExtensionRequest');
export type UpdateExtensionRequest = z.infer<typeof UpdateExtensionRequest>;

export const ExtensionIdParam = z.object({
  id: z.string().max(200).openapi({ param: { name: 'id', in: 'path' }, description: 'The extension id or its name.' }),
});

export const SessionExtensionParams = z.object({
  id: z.string().max(200).openapi({ param: { name: 'id', in: 'path' }, description: 'The session id.' }),
  extension_id: z.string().max(200).openapi({ param: { name: 'extension_id', in: 'path' }, description: "The extension's id or its name." }),
});
