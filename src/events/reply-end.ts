import type { EventPayload } from '../api/events.js';
import type { Message } from '../api/messages.js';
import type { ContextUsage } from '../api/context.js';

/**
 * The event that ends a reply, built from its final message: `error` when it ended with one (failed,
 * or interrupted by a restart), else `message_complete` (complete or cancelled). The reply's own
 * stream ends with it, and so does the answer to a repeated request for a reply that already ended.
 * `context` (how full the session's context is) goes with a reply's own message_complete.
 */
export function replyEnd(message: Message, context?: ContextUsage): EventPayload {
  if (message.error) return { type: 'error', message_id: message.id, ...message.error };
  return context ? { type: 'message_complete', message_id: message.id, message, context } : { type: 'message_complete', message_id: message.id, message };
}

/** Whether an event is the end of the reply whose assistant message is `messageId`. */
export function isReplyEnd(event: { type: string; message_id?: string }, messageId: string): boolean {
  return (event.type === 'message_complete' || event.type === 'error') && event.message_id === messageId;
}
