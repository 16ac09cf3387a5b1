import type { Message } from '../api/messages.js';
import type { SessionSummary } from '../api/sessions.js';

// Sessions and messages as every store keeps them in columns, and the records made of them.

export type SessionColumns = Omit<SessionSummary, 'persisted' | 'message_count' | 'usage' | 'context'> & {
  message_count: number;
  input_tokens: number;
  output_tokens: number;
  context_tokens: number;
  context_limit: number | null;
};

/** A message's columns: the JSON fields as the text JSON.stringify wrote, the position in its session. */
export type MessageColumns = Omit<Message, 'parts' | 'usage' | 'error'> & { position: number; parts: string; usage: string | null; error: string | null };

export const SESSION_COLUMNS =
  'id, name, working_directory, execution_mode, status, created_at, updated_at, message_count, input_tokens, output_tokens, context_tokens, context_limit, provider, model';
export const MESSAGE_COLUMNS = 'session_id, position, id, role, content, parts, status, created_at, usage, error, reply_to, provider, model';
export const SUMMARY_COLUMNS = 'id, session_id, text, through_message_id, tokens_before, tokens_after, created_at';

export function sessionFromColumns(row: SessionColumns, persisted: boolean): SessionSummary {
  return {
    id: row.id,
    name: row.name,
    working_directory: row.working_directory,
    created_at: row.created_at,
    updated_at: row.updated_at,
    execution_mode: row.execution_mode,
    status: row.status,
    persisted,
    message_count: row.message_count,
    usage: { input_tokens: row.input_tokens, output_tokens: row.output_tokens, total_tokens: row.input_tokens + row.output_tokens },
    context: { tokens: row.context_tokens, limit: row.context_limit },
    provider: row.provider,
    model: row.model,
  };
}

export function messageFromColumns(row: MessageColumns): Message {
  return {
    id: row.id,
    session_id: row.session_id,
    role: row.role,
    content: row.content,
    parts: JSON.parse(row.parts),
    status: row.status,
    created_at: row.created_at,
    usage: row.usage ? JSON.parse(row.usage) : null,
    error: row.error ? JSON.parse(row.error) : null,
    reply_to: row.reply_to,
    provider: row.provider,
    model: row.model,
  };
}

/** The JSON fields of a message as stored. */
export function messageJsonColumns(message: Message): Pick<MessageColumns, 'parts' | 'usage' | 'error'> {
  return {
    parts: JSON.stringify(message.parts),
    usage: message.usage ? JSON.stringify(message.usage) : null,
    error: message.error ? JSON.stringify(message.error) : null,
  };
}
