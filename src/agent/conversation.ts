import type { ModelMessage } from 'ai';
import type { Message, ToolCallPart } from '../api/messages.js';

/**
 * The stored history as the model sees it. An assistant message holds its text and tool calls
 * (with results) in order; the model wants them split into assistant turns and tool turns.
 * A tool call that never got a result (the server stopped) gets one saying so, because every
 * provider refuses a tool call without a result.
 */
export function toModelMessages(history: readonly Message[]): ModelMessage[] {
  const messages: ModelMessage[] = [];
  for (const message of history) {
    if (message.role === 'user') {
      messages.push({ role: 'user', content: message.content });
      continue;
    }
    let text = '';
    let calls: ToolCallPart[] = [];
    const flush = () => {
      if (calls.length > 0) {
        messages.push({
          role: 'assistant',
          content: [
            ...(text ? [{ type: 'text' as const, text }] : []),
            ...calls.map((call) => ({ type: 'tool-call' as const, toolCallId: call.id, toolName: call.tool, input: call.arguments })),
          ],
        });
        messages.push({
          role: 'tool',
          content: calls.map((call) => ({
            type: 'tool-result' as const,
            toolCallId: call.id,
            toolName: call.tool,
            output: call.result
              ? { type: call.result.is_error ? ('error-text' as const) : ('text' as const), value: call.result.content }
              : { type: 'error-text' as const, value: 'The tool call did not finish: the reply was interrupted.' },
          })),
        });
      } else if (text) {
        messages.push({ role: 'assistant', content: text });
      }
      text = '';
      calls = [];
    };
    for (const part of message.parts) {
      if (part.type === 'text') {
        if (calls.length > 0) flush();
        text += part.text;
      } else {
        calls.push(part);
      }
    }
    flush();
  }
  return messages;
}
