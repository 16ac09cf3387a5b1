import type { Message } from '../api/messages.js';
import type { SessionSummary } from '../api/sessions.js';
import { STORED_MESSAGE_FIELDS, type StoredMessageRow } from './store.js';

// Sessions and messages as every store keeps them in columns, and the records made of them.

export type SessionColumns = Omit<SessionSummary, 'persisted' | 'message_count' | 'usage' | 'context'> & {
  message_count: number;
  input_tokens: number;
  output_tokens: number;
  context_tokens: number;
  context_limit: number | null;
};

/**
 * A message's columns: the JSON fields as the text JSON.stringify wrote, the position in its session,
 * and, when read, the text appended to it since it was last saved whole (see appendedText).
 */
export type MessageColumns = Omit<Message, 'parts' | 'usage' | 'error'> & {
  position: number;
  parts: string;
  usage: string | null;
  error: string | null;
  appended?: string | null;
};

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
  const message: Message = {
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
  if (row.appended) withAppendedText(message, row.appended);
  return message;
}

/**
 * The text a running reply streamed since it was last saved whole is stored apart, each piece a row
 * of its own (Store.appendMessageText), so that saving it costs the piece, not the whole message
 * again. Read back, it continues the message's text: its last part when that is text, or a new text
 * part after a tool call; the writer appends to its message in the same way.
 */
export function withAppendedText(message: Pick<Message, 'content' | 'parts'>, text: string): void {
  message.content += text;
  const last = message.parts[message.parts.length - 1];
  if (last?.type === 'text') last.text += text;
  else message.parts.push({ type: 'text', text });
}

const CONTENT_AT = STORED_MESSAGE_FIELDS.indexOf('content');
const PARTS_AT = STORED_MESSAGE_FIELDS.indexOf('parts');
const APPENDED_AT = STORED_MESSAGE_FIELDS.length + 1;

/**
 * A stored row (StoredMessageRow) with the text appended to it folded in: its value after the
 * position is that text (null: none). Only a running reply's row has any; others pass unchanged.
 */
export function storedRowWithAppendedText(row: StoredMessageRow): StoredMessageRow {
  const appended = row[APPENDED_AT];
  if (typeof appended !== 'string' || appended === '') return row;
  const message = { content: row[CONTENT_AT] as string, parts: JSON.parse(row[PARTS_AT] as string) as Message['parts'] };
  withAppendedText(message, appended);
  const folded = [...row];
  folded[CONTENT_AT] = message.content;
  folded[PARTS_AT] = JSON.stringify(message.parts);
  return folded;
}

/** The JSON fields of a message as stored. */
export function messageJsonColumns(message: Message): Pick<MessageColumns, 'parts' | 'usage' | 'error'> {
  return {
    parts: JSON.stringify(message.parts),
    usage: message.usage ? JSON.stringify(message.usage) : null,
    error: message.error ? JSON.stringify(message.error) : null,
  };
}
