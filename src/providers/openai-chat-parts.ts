// Turns the chunks of a streamed OpenAI chat completion into the AI SDK's stream parts, in the order
// and shape @ai-sdk/openai's chat adapter emits them, without a validation pass per chunk: a field
// of the wrong type is skipped, the way the SDK's schemas tolerate nulls.
import { JSONParseError, TypeValidationError, type LanguageModelV3FinishReason, type LanguageModelV3StreamPart, type LanguageModelV3Usage } from '@ai-sdk/provider';
import { generateId, StreamingToolCallTracker } from '@ai-sdk/provider-utils';
import { openAiStreamError, type CallDescription } from './openai-chat-errors.js';

type Emit = (part: LanguageModelV3StreamPart) => void;
type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

export class OpenAiChatParts {
  private readonly toolCalls: StreamingToolCallTracker;
  private textOpen = false;
  private reasoningOpen = false;
  private refused = false;
  private metadataSent = false;
  private rawFinish: string | undefined;
  private failed = false;
  private usage: Json | undefined;

  constructor(
    private readonly emit: Emit,
    /** Where an error frame's APICallError says the call went. */
    private readonly call: CallDescription,
    /** @ai-sdk/openai relays the empty content of the role chunk as a text delta; openai-compatible skips it. */
    private readonly relayEmptyContent: boolean,
  ) {
    // The SDK's own tracker: tool calls by index, arguments joined, finished when they parse.
    this.toolCalls = new StreamingToolCallTracker({ enqueue: emit }, { generateId, typeValidation: 'if-present' });
    emit({ type: 'stream-start', warnings: [] });
  }

  /** One `data:` payload of the event stream, `[DONE]` excluded. */
  data(text: string): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (cause) {
      return this.error(new JSONParseError({ text, cause }));
    }
    if (isObject(value) && 'error' in value) return this.error(openAiStreamError(value.error, this.call));
    if (!isObject(value) || !Array.isArray(value.choices)) return this.error(new TypeValidationError({ value, cause: 'a chat completion chunk has a `choices` array' }));
    this.chunk(value, value.choices[0]);
  }

  /** The stream ended: open blocks close, unfinished tool calls finish, then `finish`. */
  end(): void {
    this.closeReasoning();
    if (this.textOpen) this.emit({ type: 'text-end', id: '0' });
    this.textOpen = false;
    this.toolCalls.flush();
    this.emit({ type: 'finish', finishReason: this.finishReason(), usage: openAiUsage(this.usage) });
  }

  private chunk(value: Json, choice: unknown): void {
    if (!this.metadataSent && (value.id != null || value.model != null || value.created != null)) {
      this.metadataSent = true;
      this.emit({
        type: 'response-metadata',
        id: typeof value.id === 'string' ? value.id : undefined,
        modelId: typeof value.model === 'string' ? value.model : undefined,
        timestamp: typeof value.created === 'number' && value.created ? new Date(value.created * 1000) : undefined,
      });
    }
    if (isObject(value.usage)) this.usage = value.usage;
    if (!isObject(choice)) return;
    if (typeof choice.finish_reason === 'string') this.rawFinish = choice.finish_reason;
    const delta = choice.delta;
    if (!isObject(delta)) return;
    // Reasoning as vLLM, DeepSeek and llama.cpp stream it (`reasoning` on gpt-oss servers).
    const reasoning = typeof delta.reasoning_content === 'string' ? delta.reasoning_content : delta.reasoning;
    if (typeof reasoning === 'string' && reasoning.length > 0) this.reasoningDelta(reasoning);
    if (typeof delta.content === 'string') {
      const refusal = typeof delta.refusal === 'string' && delta.refusal.length > 0;
      if (delta.content.length > 0 || (this.relayEmptyContent && !refusal)) this.textDelta(delta.content);
    } else if (Array.isArray(delta.content)) {
      for (const part of delta.content) if (isObject(part) && part.type === 'text' && typeof part.text === 'string' && part.text) this.textDelta(part.text);
    }
    if (typeof delta.refusal === 'string' && delta.refusal.length > 0) {
      this.refused = true;
      this.textDelta(delta.refusal);
    }
    if (Array.isArray(delta.tool_calls) && delta.tool_calls.length > 0) {
      this.closeReasoning();
      for (const call of delta.tool_calls) if (isObject(call)) this.toolCalls.processDelta(call as never);
    }
  }

  private textDelta(delta: string): void {
    this.closeReasoning();
    if (!this.textOpen) this.emit({ type: 'text-start', id: '0' });
    this.textOpen = true;
    this.emit({ type: 'text-delta', id: '0', delta });
  }

  private reasoningDelta(delta: string): void {
    if (this.textOpen) this.emit({ type: 'text-end', id: '0' });
    this.textOpen = false;
    if (!this.reasoningOpen) this.emit({ type: 'reasoning-start', id: 'reasoning-0' });
    this.reasoningOpen = true;
    this.emit({ type: 'reasoning-delta', id: 'reasoning-0', delta });
  }

  private closeReasoning(): void {
    if (this.reasoningOpen) this.emit({ type: 'reasoning-end', id: 'reasoning-0' });
    this.reasoningOpen = false;
  }

  private error(error: unknown): void {
    this.failed = true;
    this.emit({ type: 'error', error });
  }

  /** No finish reason at all stays "other" with no raw reason: the answer was cut short. */
  private finishReason(): LanguageModelV3FinishReason {
    if (this.rawFinish !== undefined) return { unified: mapFinishReason(this.rawFinish, this.refused), raw: this.rawFinish };
    return this.failed ? { unified: 'error', raw: undefined } : { unified: 'other', raw: undefined };
  }
}

function mapFinishReason(reason: string, refused: boolean): LanguageModelV3FinishReason['unified'] {
  switch (reason) {
    case 'stop':
      return refused ? 'content-filter' : 'stop';
    case 'length':
      return 'length';
    case 'content_filter':
      return 'content-filter';
    case 'function_call':
    case 'tool_calls':
      return 'tool-calls';
    default:
      return 'other';
  }
}

/** The usage chunk in the SDK's terms, cached and reasoning tokens included. */
export function openAiUsage(usage: Json | undefined): LanguageModelV3Usage {
  if (usage === undefined) {
    return { inputTokens: { total: undefined, noCache: undefined, cacheRead: undefined, cacheWrite: undefined }, outputTokens: { total: undefined, text: undefined, reasoning: undefined }, raw: undefined };
  }
  const number = (value: unknown) => (typeof value === 'number' ? value : undefined);
  const promptDetails = isObject(usage.prompt_tokens_details) ? usage.prompt_tokens_details : {};
  const completionDetails = isObject(usage.completion_tokens_details) ? usage.completion_tokens_details : {};
  const input = number(usage.prompt_tokens) ?? 0;
  const output = number(usage.completion_tokens) ?? 0;
  const cacheRead = number(promptDetails.cached_tokens) ?? 0;
  const cacheWrite = number(promptDetails.cache_write_tokens);
  const reasoning = number(completionDetails.reasoning_tokens) ?? 0;
  return {
    inputTokens: { total: input, noCache: input - cacheRead - (cacheWrite ?? 0), cacheRead, cacheWrite },
    outputTokens: { total: output, text: Math.max(0, output - reasoning), reasoning },
    raw: usage as LanguageModelV3Usage['raw'],
  };
}
