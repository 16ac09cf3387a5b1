import { z } from '@hono/zod-openapi';
import { orNull } from './nullable.js';
import { ProviderName } from './providers.js';

export const Usage = z
  .object({
    input_tokens: z.number().int(),
    output_tokens: z.number().int(),
    total_tokens: z.number().int(),
  })
  .openapi('Usage');
export type Usage = z.infer<typeof Usage>;
export const zeroUsage = (): Usage => ({ input_tokens: 0, output_tokens: 0, total_tokens: 0 });

export const TextPart = z.object({ type: z.literal('text'), text: z.string() }).openapi('TextPart');
export type TextPart = z.infer<typeof TextPart>;

export const ToolCallStatus = z
  .enum(['pending', 'awaiting_approval', 'running', 'done', 'denied', 'cancelled', 'error'])
  .openapi('ToolCallStatus');
export type ToolCallStatus = z.infer<typeof ToolCallStatus>;

export const ToolResultBody = z.object({ content: z.string(), is_error: z.boolean() }).openapi('ToolResultBody');
export type ToolResultBody = z.infer<typeof ToolResultBody>;

export const ToolCallPart = z
  .object({
    type: z.literal('tool_call'),
    id: z.string().openapi({ description: "goosed's own id of the call, unique: approvals, events and results refer to it." }),
    provider_call_id: z.string().optional().openapi({
      description: 'The id the provider gave the call (providers repeat ids); used only to pair the result with the call in the prompt. Absent on calls recorded before goosed gave calls ids of their own.',
    }),
    tool: z.string().openapi({ description: 'Exposed name, `<extension>__<tool>`.' }),
    arguments: z.record(z.string(), z.unknown()),
    status: ToolCallStatus,
    result: orNull(ToolResultBody),
  })
  .openapi('ToolCallPart');
export type ToolCallPart = z.infer<typeof ToolCallPart>;

export const MessagePart = z.discriminatedUnion('type', [TextPart, ToolCallPart]).openapi('MessagePart');
export type MessagePart = z.infer<typeof MessagePart>;

export const MessageRole = z.enum(['user', 'assistant']).openapi('MessageRole');
export type MessageRole = z.infer<typeof MessageRole>;

export const MessageStatus = z
  .enum(['running', 'complete', 'cancelled', 'interrupted', 'error'])
  .openapi('MessageStatus', { description: 'interrupted: the server stopped while the reply ran; what was written is kept.' });
export type MessageStatus = z.infer<typeof MessageStatus>;

export const Message = z
  .object({
    id: z.string().openapi({ example: 'msg_01J9Z3V4' }),
    session_id: z.string(),
    role: MessageRole,
    content: z.string().openapi({ description: "The message's text (all text parts joined)." }),
    parts: z.array(MessagePart),
    status: MessageStatus,
    created_at: z.string().openapi({ format: 'date-time' }),
    usage: orNull(Usage).openapi({ description: 'Tokens the reply used (assistant messages).' }),
    error: z.object({ error: z.string(), code: z.string() }).nullable(),
    reply_to: z.string().nullable().openapi({ description: 'For an assistant message: the user message it answers.' }),
    provider: orNull(ProviderName).openapi({ description: 'For an assistant message: the provider that wrote it (null for user messages and replies written before goosed recorded it).' }),
    model: z.string().nullable().openapi({ description: 'For an assistant message: the model that wrote it.' }),
  })
  .openapi('Message');
export type Message = z.infer<typeof Message>;

export const SendMessageRequest = z
  .strictObject({
    content: z.string().min(1).max(1_000_000),
    role: z.literal('user').optional().openapi({ description: 'Only user messages can be sent.' }),
    id: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[A-Za-z0-9_.:-]+$/)
      .optional()
      .openapi({ description: 'Client-chosen id of the user message; sending the same id again does not start a second reply.' }),
    queue: z.boolean().optional().openapi({ description: 'Wait for a running reply to finish instead of answering 409 session_busy.' }),
  })
  .openapi('SendMessageRequest');
export type SendMessageRequest = z.infer<typeof SendMessageRequest>;

export const MessageListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).optional().openapi({ description: 'Page size (default: all).' }),
  cursor: z.string().max(200).optional().openapi({ description: 'The X-Next-Cursor of the previous page.' }),
});
