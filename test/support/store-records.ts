// Records of every kind, made up for the store contract suites (store-contract.ts,
// shared-store-contract.ts).
import type { Approval } from '../../src/api/approvals.js';
import type { ContextSummary } from '../../src/api/context.js';
import type { SessionEvent } from '../../src/api/events.js';
import type { NewMessage, NewSession } from '../../src/store/store.js';

/** Distinct, increasing times, in the past: a touch by the store (now) always sorts after them. */
let clock = Date.parse('2020-01-01T00:00:00.000Z');
export const tick = () => new Date((clock += 1000)).toISOString();

export function newSession(id: string, name = `session ${id}`, workingDirectory = '/tmp/work'): NewSession {
  return { id, name, working_directory: workingDirectory, execution_mode: null, created_at: tick() };
}

export function newMessage(sessionId: string, id: string, fields: Partial<NewMessage> = {}): NewMessage {
  const content = fields.content ?? `text of ${id}`;
  return {
    id,
    session_id: sessionId,
    role: 'user',
    content,
    parts: [{ type: 'text', text: content }],
    status: 'complete',
    created_at: tick(),
    usage: null,
    error: null,
    reply_to: null,
    provider: null,
    model: null,
    client_id: null,
    ...fields,
  };
}

export function newApproval(sessionId: string, id: string, messageId: string, toolCallId = `tc_${id}`): Approval {
  return {
    id, session_id: sessionId, message_id: messageId, tool_call_id: toolCallId, tool: 'developer__shell', arguments: { command: 'ls', n: [1, 2.5] },
    reason: 'it can change things', status: 'pending', decision: null, message: null, created_at: tick(), resolved_at: null,
  };
}

export function newSummary(sessionId: string, id: string, throughMessageId: string, text = `summary ${id}: the user's name is Ada; /src/main.ts fails with E42`): ContextSummary {
  return { id, session_id: sessionId, text, through_message_id: throughMessageId, tokens_before: 9000, tokens_after: 1200, created_at: tick() };
}

export function event(sessionId: string, seq: number): SessionEvent {
  return { type: 'tool_use', seq, session_id: sessionId, created_at: tick(), message_id: 'm1', id: `call-${seq}`, tool: 'developer__view', arguments: { path: `/p/${seq}` } };
}
