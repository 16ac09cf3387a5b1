import { z } from '@hono/zod-openapi';
import { orNull } from './nullable.js';

/** How full a session's context is: what its next prompt holds, against the model's window. */
export const ContextUsage = z
  .object({
    tokens: z.number().int().openapi({
      description: "Tokens the model's view of the session holds (as of the last model call): the provider's count of the last prompt, plus an estimate of what was added since.",
    }),
    limit: orNull(z.number().int()).openapi({ description: "The model's context window in tokens; null while it is not known." }),
  })
  .openapi('ContextUsage');
export type ContextUsage = z.infer<typeof ContextUsage>;

export const emptyContext = (): ContextUsage => ({ tokens: 0, limit: null });

/**
 * A summary of the older part of a conversation. It replaces, in the model's view only, every
 * message up to and including `through_message_id`; the messages themselves stay in the history.
 */
export const ContextSummary = z
  .object({
    id: z.string(),
    session_id: z.string(),
    text: z.string(),
    through_message_id: z.string().openapi({ description: 'The last message the summary replaces: every message up to and including it.' }),
    tokens_before: z.number().int().openapi({ description: "The model's view before the compaction, in tokens." }),
    tokens_after: z.number().int().openapi({ description: 'The same view with this summary in place of the messages it replaces.' }),
    created_at: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('ContextSummary');
export type ContextSummary = z.infer<typeof ContextSummary>;

export const CompactResult = z
  .object({
    summary: orNull(ContextSummary).openapi({ description: 'The new summary; null when there was nothing old enough to summarise.' }),
    context: ContextUsage,
  })
  .openapi('CompactResult');
export type CompactResult = z.infer<typeof CompactResult>;
