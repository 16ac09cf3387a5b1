import type { LanguageModelV3FunctionTool } from '@ai-sdk/provider';
import type { Message, ToolCallPart } from '../../api/messages.js';
import type { TokenCounter } from '../../providers/token-counter.js';
import { summaryPreamble, UNFINISHED_CALL } from '../conversation.js';

// Wire overhead the counts of text leave out: role markers and separators per message, the call's
// id, name and JSON punctuation per tool call (the provider's own count corrects the rest).
const PER_MESSAGE = 4;
const PER_TOOL_CALL = 12;

interface Cached {
  length: number;
  tokens: number;
}

/**
 * Counts the tokens of a prompt as goosed builds it, part by part. A part's count is kept (keyed
 * by the part, checked by its length) so that measuring the prompt before each model call costs
 * the parts added since, not the whole history again: the 200-message prompt of the benchmark.
 */
export class PromptSize {
  private readonly texts = new WeakMap<object, Cached>();
  private readonly arguments = new WeakMap<object, number>();
  private tools: { list: readonly LanguageModelV3FunctionTool[]; tokens: number } | null = null;

  constructor(readonly counter: TokenCounter) {}

  /** Tokens of `text`, kept under `owner` while the text keeps its length (texts only grow). */
  text(owner: object, text: string): number {
    const cached = this.texts.get(owner);
    if (cached && cached.length === text.length) return cached.tokens;
    const tokens = this.counter.count(text);
    this.texts.set(owner, { length: text.length, tokens });
    return tokens;
  }

  /** The system prompt, the summary, and the tool definitions offered. */
  frame(system: string, summary: string | null, tools: readonly LanguageModelV3FunctionTool[]): number {
    let tokens = this.counter.count(system) + PER_MESSAGE;
    if (summary) tokens += this.counter.count(summaryPreamble(summary)) + PER_MESSAGE;
    if (this.tools?.list !== tools) this.tools = { list: tools, tokens: tools.length === 0 ? 0 : this.counter.count(JSON.stringify(tools)) };
    return tokens + this.tools.tokens;
  }

  /** One message as the prompt shows it: `resultText` as in PromptShaping. */
  message(message: Message, resultText?: (call: ToolCallPart) => string | undefined): number {
    let tokens = PER_MESSAGE;
    for (const part of message.parts) {
      if (part.type === 'text') {
        tokens += this.text(part, part.text);
        continue;
      }
      tokens += this.call(part) + this.result(part, resultText?.(part));
    }
    return tokens;
  }

  /** A call's name and arguments (which never change once recorded). */
  call(part: ToolCallPart): number {
    let tokens = this.arguments.get(part);
    if (tokens === undefined) {
      tokens = PER_TOOL_CALL + this.counter.count(part.tool) + this.counter.count(JSON.stringify(part.arguments));
      this.arguments.set(part, tokens);
    }
    return tokens;
  }

  /** A call's result as shown: the stored one (kept under the result) or `shown` in its place. */
  result(part: ToolCallPart, shown?: string): number {
    if (!part.result) return this.counter.count(UNFINISHED_CALL) + PER_MESSAGE;
    if (shown !== undefined) return this.counter.count(shown) + PER_MESSAGE;
    return this.text(part.result, part.result.content) + PER_MESSAGE;
  }
}
