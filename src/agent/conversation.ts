import type { LanguageModelV3Message, LanguageModelV3Prompt, LanguageModelV3ToolResultPart } from '@ai-sdk/provider';
import type { Message, ToolCallPart } from '../api/messages.js';

/**
 * The stored history as the provider adapters take it (the AI SDK's provider-level prompt, which
 * every adapter's `doStream` accepts). An assistant message holds its text and tool calls (with
 * results) in order; the model wants them split into assistant turns and tool turns. A tool call
 * that never got a result (the server stopped) gets one saying so, because every provider refuses
 * a tool call without a result.
 */
export function toModelPrompt(system: string, history: readonly Message[]): LanguageModelV3Prompt {
  const prompt: LanguageModelV3Prompt = [{ role: 'system', content: system }];
  for (const message of history) {
    if (message.role === 'user') {
      prompt.push({ role: 'user', content: [{ type: 'text', text: message.content }] });
      continue;
    }
    let text = '';
    let calls: ToolCallPart[] = [];
    const flush = () => {
      if (calls.length > 0) prompt.push(...toolTurns(text, calls));
      else if (text) prompt.push({ role: 'assistant', content: [{ type: 'text', text }] });
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
  return prompt;
}

function toolTurns(text: string, calls: readonly ToolCallPart[]): LanguageModelV3Message[] {
  return [
    {
      role: 'assistant',
      content: [
        ...(text ? [{ type: 'text' as const, text }] : []),
        ...calls.map((call) => ({ type: 'tool-call' as const, toolCallId: call.id, toolName: call.tool, input: call.arguments })),
      ],
    },
    { role: 'tool', content: calls.map(toolResult) },
  ];
}

function toolResult(call: ToolCallPart): LanguageModelV3ToolResultPart {
  const output: LanguageModelV3ToolResultPart['output'] = call.result
    ? { type: call.result.is_error ? 'error-text' : 'text', value: call.result.content }
    : { type: 'error-text', value: 'The tool call did not finish: the reply was interrupted.' };
  return { type: 'tool-result', toolCallId: call.id, toolName: call.tool, output };
}
