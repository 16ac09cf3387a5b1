import { z } from '@hono/zod-openapi';
import { orNull } from './nullable.js';
import { ExecutionMode } from './settings.js';
import { Message, Usage } from './messages.js';
import { ContextUsage } from './context.js';
import { ProviderName } from './providers.js';

export const SessionStatus = z.enum(['idle', 'running', 'waiting_approval']).openapi('SessionStatus');
export type SessionStatus = z.infer<typeof SessionStatus>;

const sessionFields = {
  id: z.string().openapi({ example: '8f7c2a4e-1b2d-4c3e-9f00-5a6b7c8d9e0f' }),
  name: z.string(),
  working_directory: z.string(),
  created_at: z.string().openapi({ format: 'date-time' }),
  updated_at: z.string().openapi({ format: 'date-time' }),
  execution_mode: orNull(ExecutionMode).openapi({ description: 'Overrides the server-wide mode for this session; null follows the server setting.' }),
  status: SessionStatus,
  persisted: z.boolean().openapi({ description: 'False when the session lives in memory only (created with auto_save off).' }),
  message_count: z.number().int(),
  usage: Usage,
  context: ContextUsage,
  provider: orNull(ProviderName).openapi({ description: "The provider this session's replies use; null follows the server's current provider." }),
  model: z.string().nullable().openapi({ description: "The model this session's replies use; null: the provider's configured model (or its default)." }),
};

/** A session as listed; `GET /api/sessions/{id}` adds its `messages`. */
export const SessionSummary = z.object(sessionFields).openapi('SessionSummary');
export type SessionSummary = z.infer<typeof SessionSummary>;

export const Session = z.object({ ...sessionFields, messages: z.array(Message) }).openapi('Session');
export type Session = z.infer<typeof Session>;

const workingDirectoryDescription =
  'An existing directory: absolute, `~` or `~/...` (the user\'s home; `~user` is refused), or relative to the default_working_directory setting, which is also the default.';

export const CreateSessionRequest = z
  .strictObject({
    name: z.string().max(500).optional().openapi({ example: 'My Project' }),
    working_directory: z.string().min(1).max(4096).optional().openapi({
      example: '/path/to/project',
      description: workingDirectoryDescription,
    }),
    execution_mode: orNull(ExecutionMode).optional(),
  })
  .openapi('CreateSessionRequest');
export type CreateSessionRequest = z.infer<typeof CreateSessionRequest>;

export const UpdateSessionRequest = z
  .strictObject({
    name: z.string().max(500).optional(),
    working_directory: z.string().min(1).max(4096).optional().openapi({ description: workingDirectoryDescription }),
    execution_mode: orNull(ExecutionMode).optional(),
    provider: orNull(ProviderName)
      .optional()
      .openapi({
        description:
          'A configured provider (stored, or usable from the environment) for this session; null follows the server\'s current one (and clears model). Choosing another provider clears model unless model is given.',
      }),
    model: z.string().trim().min(1).max(200).nullable().optional().openapi({ description: "A model of the session's provider; null: the provider's configured model. Needs a provider." }),
  })
  .openapi('UpdateSessionRequest');
export type UpdateSessionRequest = z.infer<typeof UpdateSessionRequest>;

export const SessionListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).optional().openapi({ description: 'Page size (default 50).' }),
  cursor: z.string().max(500).optional().openapi({ description: 'The X-Next-Cursor of the previous page.' }),
  q: z.string().max(500).optional().openapi({ description: 'Case-insensitive search in names and working directories.' }),
});
export type SessionListQuery = z.infer<typeof SessionListQuery>;

export const SessionIdParam = z.object({
  id: z.string().max(200).openapi({ param: { name: 'id', in: 'path' } }),
});

// provider and model are optional: exports written before goosed recorded them lack them.
const ExportedMessage = Message.pick({ role: true, content: true, parts: true, status: true, created_at: true, usage: true, error: true })
  .extend({ provider: Message.shape.provider.optional(), model: Message.shape.model.optional() })
  .strict();

/** A whole session as portable JSON: `GET /api/sessions/{id}/export` writes it, `POST /api/sessions/import` reads it. */
export const SessionExport = z
  .strictObject({
    format: z.literal('goosed.session'),
    version: z.literal(1),
    exported_at: z.string(),
    session: z.strictObject({
      name: z.string().max(500),
      working_directory: z.string().max(4096),
      execution_mode: orNull(ExecutionMode),
      created_at: z.string(),
    }),
    messages: z.array(ExportedMessage).max(100_000),
  })
  .openapi('SessionExport');
export type SessionExport = z.infer<typeof SessionExport>;

// Spelled out, not SessionExport.extend: the document would say allOf of two closed objects, which no body fits.
export const ImportSessionRequest = z.strictObject({
  ...SessionExport.shape,
  working_directory: z.string().min(1).max(4096).optional().openapi({ description: "Overrides the exported working directory (which must exist on this machine otherwise)." }),
}).openapi('ImportSessionRequest');
export type ImportSessionRequest = z.infer<typeof ImportSessionRequest>;
