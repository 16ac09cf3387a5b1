import type { LanguageModelV3Message, LanguageModelV3Prompt, LanguageModelV3ToolResultPart } from '@ai-sdk/provider';
import type { Message, ToolCallPart } from '../api/messages.js';

/** How the model sees the stored history, where not as stored (context management: agent/context/). */
export interface PromptShaping {
  /** The latest summary of the older conversation, sent right after the system prompt. */
  summary?: string | null;
  /** A tool result as the prompt shows it (elided, or cut), or undefined for the stored result. */
  resultText?: (call: ToolCallPart) => string | undefined;
}

/**
 * The stored history as the provider adapters take it (the AI SDK's provider-level prompt, which
 * every adapter's `doStream` accepts). An assistant message holds its text and tool calls (with
 * results) in order; the model wants them split into assistant turns and tool turns. A tool call
 * that never got a result (the server stopped) gets one saying so, because every provider refuses
 * a tool call without a result.
 */
export function toModelPrompt(system: string, history: readonly Message[], shaping: PromptShaping = {}): LanguageModelV3Prompt {
  const prompt: LanguageModelV3Prompt = [{ role: 'system', content: system }];
  // A second system message: every adapter sends leading system messages together, before the turns.
  if (shaping.summary) prompt.push({ role: 'system', content: summaryPreamble(shaping.summary) });
  const callIds = new PromptCallIds();
  for (const message of history) {
    if (message.role === 'user') {
      prompt.push({ role: 'user', content: [{ type: 'text', text: message.content }] });
      continue;
    }
    let text = '';
    let calls: ToolCallPart[] = [];
    const flush = () => {
      if (calls.length > 0) prompt.push(...toolTurns(text, calls, callIds, shaping.resultText));
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

/**
 * The id that pairs a call with its result in the prompt: the provider's own while it is unique in
 * the prompt, else goosed's. Every wire format pairs by id (OpenAI chat, and Ollama and Gemini
 * send it back too), and Anthropic refuses a tool_use id repeated anywhere in the prompt, while
 * providers repeat theirs (`call_1` in every answer, or twice in one). The first call keeps its id,
 * so a longer history starts with the same prompt as before. A call recorded before goosed gave
 * calls their own ids has only the provider's: a repeat of it is numbered.
 */
class PromptCallIds {
  private readonly used = new Set<string>();

  idOf(call: ToolCallPart): string {
    let id = [call.provider_call_id ?? call.id, call.id].find((candidate) => !this.used.has(candidate));
    for (let n = 2; id === undefined; n++) if (!this.used.has(`${call.id}_${n}`)) id = `${call.id}_${n}`;
    this.used.add(id);
    return id;
  }
}

/** How the summary is introduced to the model. */
export function summaryPreamble(summary: string): string {
  return `The earlier part of this conversation was summarised to fit the context window. The summary:\n\n${summary}`;
}

/** What the model reads for a call that never got a result. */
export const UNFINISHED_CALL = 'The tool call did not finish: the reply was interrupted.';

function toolTurns(text: string, calls: readonly ToolCallPart[], callIds: PromptCallIds, resultText?: PromptShaping['resultText']): LanguageModelV3Message[] {
  const ids = calls.map((call) => callIds.idOf(call));
  return [
    {
      role: 'assistant',
      content: [
        ...(text ? [{ type: 'text' as const, text }] : []),
        ...calls.map((call, i) => ({ type: 'tool-call' as const, toolCallId: ids[i], toolName: call.tool, input: call.arguments })),
      ],
    },
    { role: 'tool', content: calls.map((call, i) => toolResult(call, ids[i], resultText?.(call))) },
  ];
}

function toolResult(call: ToolCallPart, toolCallId: string, shown: string | undefined): LanguageModelV3ToolResultPart {
  const output: LanguageModelV3ToolResultPart['output'] = call.result
    ? { type: call.result.is_error ? 'error-text' : 'text', value: shown ?? call.result.content }
    : { type: 'error-text', value: UNFINISHED_CALL };
  return { type: 'tool-result', toolCallId, toolName: call.tool, output };
}
