import type { Approval, ContextSummary, Message, MessagePart, Session, SessionEvent, SessionSummary, ToolCallPart } from '../../../src/client/index.js';

export interface PendingApproval {
  id: string;
  toolCallId: string;
  tool: string;
  reason: string;
}

export interface ToolProgress {
  progress: number;
  total?: number;
  message?: string;
}

/** What the chat screen shows: the session as last fetched, moved forward by its events. */
export interface ChatState {
  session: SessionSummary | null;
  messages: Message[];
  /** Pending approvals by approval id. */
  approvals: Record<string, PendingApproval>;
  progress: Record<string, ToolProgress>;
  /** Summaries of the older conversation, oldest first: each shows as a divider after the last message it replaces. */
  summaries: ContextSummary[];
  /** An event named a message this state does not hold: the snapshot should be fetched again. */
  stale: boolean;
}

export const emptyChat: ChatState = { session: null, messages: [], approvals: {}, progress: {}, summaries: [], stale: false };

export function chatFromSnapshot(session: Session, approvals: Approval[], summaries: ContextSummary[] = []): ChatState {
  const { messages, ...summary } = session;
  const pending: Record<string, PendingApproval> = {};
  for (const approval of approvals) {
    if (approval.status === 'pending') pending[approval.id] = { id: approval.id, toolCallId: approval.tool_call_id, tool: approval.tool, reason: approval.reason };
  }
  return { session: summary, messages, approvals: pending, progress: {}, summaries, stale: false };
}

/** Moves the state forward by a batch of events (one render per batch, however fast text streams). */
export function applyEvents(state: ChatState, events: readonly SessionEvent[]): ChatState {
  let next = state;
  for (const event of events) next = applyEvent(next, event);
  return next;
}

function applyEvent(state: ChatState, event: SessionEvent): ChatState {
  switch (event.type) {
    case 'user_message':
    case 'message_start':
      return { ...state, messages: upsert(state.messages, event.message) };
    case 'message_complete': {
      const session = state.session && event.context ? { ...state.session, context: event.context } : state.session;
      return { ...state, session, messages: upsert(state.messages, event.message) };
    }
    case 'context_compacted': {
      const known = state.summaries.some((summary) => summary.id === event.summary.id);
      const session = state.session ? { ...state.session, context: { ...state.session.context, tokens: event.tokens_after } } : null;
      return known ? state : { ...state, session, summaries: [...state.summaries, event.summary] };
    }
    case 'content_delta':
      return updateMessage(state, event.message_id, (message) => appendText(message, event.delta));
    case 'tool_use':
      return updateMessage(state, event.message_id, (message) =>
        message.parts.some((part) => part.type === 'tool_call' && part.id === event.id)
          ? message
          : { ...message, parts: [...message.parts, { type: 'tool_call', id: event.id, tool: event.tool, arguments: event.arguments, status: 'pending', result: null }] },
      );
    case 'tool_progress':
      return { ...state, progress: { ...state.progress, [event.id]: { progress: event.progress, total: event.total, message: event.message } } };
    case 'approval_request': {
      const approvals = { ...state.approvals, [event.id]: { id: event.id, toolCallId: event.tool_call_id, tool: event.tool, reason: event.reason } };
      return updateToolCall({ ...state, approvals }, event.message_id, event.tool_call_id, { status: 'awaiting_approval' });
    }
    case 'approval_resolved': {
      const approval = state.approvals[event.id];
      const { [event.id]: _answered, ...approvals } = state.approvals;
      const allowed = event.decision === 'allow_once' || event.decision === 'always_allow';
      const next = { ...state, approvals };
      return approval ? updateToolCall(next, event.message_id, approval.toolCallId, { status: allowed ? 'running' : 'denied' }) : next;
    }
    case 'tool_result':
      return updateToolCall(state, event.message_id, event.id, { status: event.is_error ? 'error' : 'done', result: { content: event.content, is_error: event.is_error } });
    case 'error':
      return updateMessage(state, event.message_id, (message) => ({ ...message, status: 'error', error: { error: event.error, code: event.code } }));
    case 'session_updated':
      return { ...state, session: event.session };
    case 'resync':
      return state;
  }
}

function upsert(messages: Message[], message: Message): Message[] {
  const index = messages.findIndex((existing) => existing.id === message.id);
  if (index === -1) return [...messages, message];
  const copy = messages.slice();
  copy[index] = message;
  return copy;
}

function updateMessage(state: ChatState, messageId: string | undefined, change: (message: Message) => Message): ChatState {
  const index = messageId === undefined ? -1 : state.messages.findIndex((message) => message.id === messageId);
  if (index === -1) return messageId === undefined ? state : { ...state, stale: true };
  const before = state.messages[index];
  const after = change(before);
  if (after === before) return state;
  const messages = state.messages.slice();
  messages[index] = after;
  return { ...state, messages };
}

function updateToolCall(state: ChatState, messageId: string | undefined, toolCallId: string, change: Partial<ToolCallPart>): ChatState {
  return updateMessage(state, messageId, (message) => ({
    ...message,
    parts: message.parts.map((part) => (part.type === 'tool_call' && part.id === toolCallId ? { ...part, ...change } : part)),
  }));
}

function appendText(message: Message, delta: string): Message {
  const parts: MessagePart[] = message.parts.slice();
  const last = parts[parts.length - 1];
  if (last?.type === 'text') parts[parts.length - 1] = { type: 'text', text: last.text + delta };
  else parts.push({ type: 'text', text: delta });
  return { ...message, parts, content: message.content + delta };
}
