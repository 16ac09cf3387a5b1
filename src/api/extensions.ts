import { z } from '@hono/zod-openapi';

export const ExtensionType = z.enum(['builtin', 'stdio', 'streamable_http']).openapi('ExtensionType');
export type ExtensionType = z.infer<typeof ExtensionType>;

export const ExtensionToolInfo = z
  .object({ name: z.string().openapi({ description: 'As the model sees it: `<extension>__<tool>`.' }), description: z.string(), read_only: z.boolean() })
  .openapi('ExtensionTool');

export const Extension = z
  .object({
    id: z.string(),
    name: z.string(),
    type: ExtensionType,
    config: z.record(z.string(), z.unknown()).openapi({ description: 'Header and env values are masked.' }),
    enabled: z.boolean(),
    state: z.enum(['stopped', 'starting', 'running', 'failed']),
    last_error: z.string().nullable(),
    tools: z.array(ExtensionToolInfo),
    created_at: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('Extension');
export type Extension = z.infer<typeof Extension>;

const extensionName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9_-]*$/i, 'letters, digits, - and _ (it prefixes tool names)')
  .refine((name) => !name.includes('__'), 'must not contain "__" (it separates extension and tool names)');

export const AddExtensionRequest = z
  .object({
    name: extensionName.openapi({ example: 'developer' }),
    type: ExtensionType.optional().openapi({ description: 'Default: builtin for `developer`, else stdio when config.command is set, streamable_http when config.url is.' }),
    config: z.record(z.string(), z.unknown()).default({}).openapi({ example: { allow_shell: true } }),
    enabled: z.boolean().optional(),
  })
  .openapi('AddExtensionRequest');
export type AddExtensionRequest = z.infer<typeof AddExtensionRequest>;

export const UpdateExtensionRequest = z
  .strictObject({ config: z.record(z.string(), z.unknown()).optional(), enabled: z.boolean().optional() })
  .openapi('UpdateExtensionRequest');
export type UpdateExtensionRequest = z.infer<typeof UpdateExtensionRequest>;

export const ExtensionIdParam = z.object({ id: z.string().max(200).openapi({ param: { name: 'id', in: 'path' } }) });
