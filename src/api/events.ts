import { z } from '@hono/zod-openapi';
import { Message, ToolResultBody } from './messages.js';
import { SessionSummary } from './sessions.js';
import { ContextSummary, ContextUsage } from './context.js';

// One definition per event: these objects are what SSE frames, WebSocket messages and the store carry.

const envelope = {
  seq: z.number().int().openapi({ description: 'Per-session, strictly increasing.' }),
  session_id: z.string(),
  message_id: z.string().optional().openapi({ description: 'The assistant message the event belongs to.' }),
  created_at: z.string().openapi({ format: 'date-time' }),
};

export const ApprovalDecision = z.enum(['allow_once', 'always_allow', 'deny', 'always_deny']).openapi('ApprovalDecision');
export type ApprovalDecision = z.infer<typeof ApprovalDecision>;

export const UserMessageEvent = z
  .object({ ...envelope, type: z.literal('user_message'), message: Message })
  .openapi('UserMessageEvent', { description: 'A user message was added to the session.' });
export const MessageStartEvent = z
  .object({ ...envelope, type: z.literal('message_start'), message: Message })
  .openapi('MessageStartEvent', { description: 'The assistant began a reply; `message` is still empty.' });
export const ContentDeltaEvent = z
  .object({ ...envelope, type: z.literal('content_delta'), delta: z.string() })
  .openapi('ContentDeltaEvent', { description: 'A piece of assistant text. Live: recent ones are kept for replay.' });
export const ToolUseEvent = z
  .object({ ...envelope, type: z.literal('tool_use'), id: z.string(), tool: z.string(), arguments: z.record(z.string(), z.unknown()) })
  .openapi('ToolUseEvent', { description: 'The model asked for a tool.' });
export const ToolProgressEvent = z
  .object({ ...envelope, type: z.literal('tool_progress'), id: z.string(), progress: z.number(), total: z.number().optional(), message: z.string().optional() })
  .openapi('ToolProgressEvent', { description: 'A running tool reported progress. Live.' });
export const ApprovalRequestEvent = z
  .object({
    ...envelope,
    type: z.literal('approval_request'),
    id: z.string().openapi({ description: 'The approval id to answer.' }),
    tool_call_id: z.string(),
    tool: z.string(),
    arguments: z.record(z.string(), z.unknown()),
    reason: z.string(),
  })
  .openapi('ApprovalRequestEvent', { description: 'A tool call waits for a person.' });
export const ApprovalResolvedEvent = z
  .object({ ...envelope, type: z.literal('approval_resolved'), id: z.string(), decision: ApprovalDecision })
  .openapi('ApprovalResolvedEvent');
export const ToolResultEvent = z
  .object({ ...envelope, type: z.literal('tool_result'), id: z.string(), ...ToolResultBody.shape })
  .openapi('ToolResultEvent', { description: 'What a tool call gave back (`id` is the tool call id).' });
export const MessageCompleteEvent = z
  .object({
    ...envelope,
    type: z.literal('message_complete'),
    message: Message,
    context: ContextUsage.optional().openapi({
      description: "The session's context after the reply. Every reply's own message_complete carries it; the copy that answers a repeated request for a reply that had already ended does not.",
    }),
  })
  .openapi('MessageCompleteEvent', { description: 'The reply ended; `message.status` says how (complete, cancelled).' });
export const ErrorEvent = z
  .object({ ...envelope, type: z.literal('error'), error: z.string(), code: z.string() })
  .openapi('ErrorEvent', { description: 'The reply failed (what was produced is kept), or a WebSocket frame was refused.' });
export const SessionUpdatedEvent = z
  .object({ ...envelope, type: z.literal('session_updated'), session: SessionSummary })
  .openapi('SessionUpdatedEvent', { description: 'Name, status or usage of the session changed.' });
export const ContextCompactedEvent = z
  .object({
    ...envelope,
    type: z.literal('context_compacted'),
    summary: ContextSummary,
    tokens_before: z.number().int(),
    tokens_after: z.number().int(),
  })
  .openapi('ContextCompactedEvent', {
    description:
      "The older part of the conversation was summarised: the model now sees the summary instead of the messages up to `summary.through_message_id` (the history keeps them). `message_id` is the reply it happened in, absent for POST /compact.",
  });
export const ResyncEvent = z
  .object({
    ...envelope,
    type: z.literal('resync'),
    reason: z.string(),
  })
  .openapi('ResyncEvent', {
    description: 'Events the client asked for are no longer available: fetch the session again, then follow from this seq.',
  });

export const SessionEvent = z
  .discriminatedUnion('type', [
    UserMessageEvent,
    MessageStartEvent,
    ContentDeltaEvent,
    ToolUseEvent,
    ToolProgressEvent,
    ApprovalRequestEvent,
    ApprovalResolvedEvent,
    ToolResultEvent,
    MessageCompleteEvent,
    ErrorEvent,
    SessionUpdatedEvent,
    ContextCompactedEvent,
    ResyncEvent,
  ])
  .openapi('SessionEvent');
export type SessionEvent = z.infer<typeof SessionEvent>;
export type SessionEventType = SessionEvent['type'];

/** Events that are only relayed live (kept in a short replay buffer, never stored). */
export const liveEventTypes: ReadonlySet<SessionEventType> = new Set(['content_delta', 'tool_progress', 'resync']);

type WithoutEnvelope<T> = T extends unknown ? Omit<T, 'seq' | 'session_id' | 'created_at'> : never;
/** An event before the session channel stamps it with seq, session and time. */
export type EventPayload = WithoutEnvelope<SessionEvent>;
