import type { SessionUpdate } from '@agentclientprotocol/sdk';
import type { Message } from '../client/types.js';
import { resultContent, statusOfToolCall, viewOfToolCall } from './tool-call-view.js';

/**
 * A session's history as the `session/update`s an editor replays on `session/load`: user text,
 * agent text, and each tool call once, in its final state. A reply that failed or was cut off by a
 * restart says so at its end, as the web page does.
 */
export function historyUpdates(messages: readonly Message[], workingDirectory: string): SessionUpdate[] {
  const updates: SessionUpdate[] = [];
  for (const message of messages) {
    if (message.role === 'user') {
      updates.push({ sessionUpdate: 'user_message_chunk', messageId: message.id, content: { type: 'text', text: message.content } });
      continue;
    }
    for (const part of message.parts) {
      if (part.type === 'text') {
        if (part.text) updates.push({ sessionUpdate: 'agent_message_chunk', messageId: message.id, content: { type: 'text', text: part.text } });
        continue;
      }
      const view = viewOfToolCall(part.tool, part.arguments, workingDirectory);
      updates.push({
        sessionUpdate: 'tool_call',
        toolCallId: part.id,
        title: view.title,
        kind: view.kind,
        status: statusOfToolCall(part.status),
        rawInput: part.arguments,
        locations: view.locations,
        content: part.result ? resultContent(view, part.result) : [],
        ...(part.result ? { rawOutput: part.result } : {}),
      });
    }
    if (message.error) {
      updates.push({ sessionUpdate: 'agent_message_chunk', messageId: message.id, content: { type: 'text', text: `\n\n(${message.error.error})` } });
    }
  }
  return updates;
}
