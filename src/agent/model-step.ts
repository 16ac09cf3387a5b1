import type { LanguageModelV3FunctionTool, LanguageModelV3Prompt, LanguageModelV3StreamPart } from '@ai-sdk/provider';
import type { Usage } from '../api/messages.js';
import { classifyProviderError, type ProviderErrorInfo } from '../providers/provider-errors.js';
import type { ResolvedModel } from '../providers/provider-settings.js';

export interface StepToolCall {
  /** The provider's id: not unique (providers repeat ids), so goosed gives the call its own. */
  providerCallId: string;
  tool: string;
  arguments: Record<string, unknown>;
}

export interface StepResult {
  toolCalls: StepToolCall[];
  usage: Usage;
}

export class ProviderFailure extends Error {
  constructor(readonly info: ProviderErrorInfo) {
    super(info.message);
  }
}

/** The provider stopped the answer with its content filter (finish reason `content-filter`): not retried, the same prompt would be refused again. */
export class AnswerRefused extends Error {
  constructor() {
    super('The provider refused to answer (its content filter stopped the answer); what it wrote before is kept.');
  }
}

export interface StepOptions {
  resolved: ResolvedModel;
  /** The whole conversation, system prompt first. */
  prompt: LanguageModelV3Prompt;
  /** Empty in chat mode: the model is then offered no tools. */
  tools: LanguageModelV3FunctionTool[];
  signal: AbortSignal;
  onText: (delta: string) => void;
  maxOutputTokens: number;
  retry: { attempts: number; baseDelayMs: number; maxDelayMs: number };
  /** A provider that sends nothing for this long (but keeps the connection open) is given up on. */
  idleTimeoutMs: number;
}

/**
 * One model call, streamed. The provider adapter's own `doStream` is called directly: the AI SDK's
 * `streamText` would add a chain of web-stream stages per token (tool execution, step handling,
 * telemetry) that goosed does not use, since the agent loop runs tools itself.
 *
 * Transient failures (429, 5xx, a reset) are retried with backoff, but only while nothing has
 * reached the client yet: once text went out, a retry would repeat it, so a stream that breaks
 * midway ends the reply instead.
 */
export async function runModelStep(options: StepOptions): Promise<StepResult> {
  for (let attempt = 1; ; attempt++) {
    const call = new StepCall(options);
    const failure = await call.run();
    if (options.signal.aborted) throw options.signal.reason ?? new Error('aborted');
    if (call.idle) {
      const seconds = Math.round(options.idleTimeoutMs / 100) / 10;
      const info: ProviderErrorInfo = { retryable: true, code: 'provider_timeout', message: `The provider sent nothing for ${seconds} s; the request was abandoned.` };
      if (call.produced || attempt >= options.retry.attempts) throw new ProviderFailure(info);
      continue;
    }
    // Tool calls of a refused answer are not run: the provider disowned the answer they are part of.
    if (failure === null && call.refused) throw new AnswerRefused();
    if (failure === null) return { toolCalls: call.toolCalls, usage: call.usage };
    const info = classifyProviderError(failure, { apiKey: options.resolved.apiKey, provider: options.resolved.provider });
    if (!info.retryable || call.produced || attempt >= options.retry.attempts) throw new ProviderFailure(info);
    const backoff = Math.min(options.retry.maxDelayMs, options.retry.baseDelayMs * 2 ** (attempt - 1));
    await sleep(Math.min(options.retry.maxDelayMs, Math.max(backoff, info.retryAfterMs ?? 0)), options.signal);
  }
}

/** One attempt: the request, then the stream's parts until it ends, fails, or goes idle. */
class StepCall {
  produced = false;
  idle = false;
  refused = false;
  readonly toolCalls: StepToolCall[] = [];
  usage: Usage = { input_tokens: 0, output_tokens: 0, total_tokens: 0 };
  private finished = false;
  private failure: unknown = null;

  constructor(private readonly options: StepOptions) {}

  /** Resolves with what went wrong, or null for a complete answer. */
  async run(): Promise<unknown> {
    const { options } = this;
    // The attempt's own signal: aborted by a cancel, or by the idle timer, which each part re-arms.
    const step = new AbortController();
    const cancel = () => step.abort(options.signal.reason);
    options.signal.addEventListener('abort', cancel, { once: true });
    const idleTimer = setTimeout(() => {
      this.idle = true;
      step.abort(new Error('idle'));
    }, options.idleTimeoutMs);
    try {
      const { stream } = await options.resolved.model.doStream({
        prompt: options.prompt,
        tools: options.tools.length > 0 ? options.tools : undefined,
        toolChoice: options.tools.length > 0 ? { type: 'auto' } : undefined,
        maxOutputTokens: options.maxOutputTokens,
        providerOptions: options.resolved.providerOptions,
        abortSignal: step.signal,
      });
      const reader = stream.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        idleTimer.refresh();
        if (!this.take(value)) {
          void reader.cancel().catch(() => {});
          break;
        }
      }
      if (this.failure === null && !this.finished) this.failure = new IncompleteAnswer();
    } catch (error) {
      this.failure = error;
    } finally {
      clearTimeout(idleTimer);
      options.signal.removeEventListener('abort', cancel);
    }
    return this.idle ? null : this.failure;
  }

  /** Handles one part of the provider's stream; false when the stream should not be read further. */
  private take(part: LanguageModelV3StreamPart): boolean {
    switch (part.type) {
      case 'text-delta':
        if (part.delta.length === 0) return true;
        this.produced = true;
        this.options.onText(part.delta);
        return true;
      case 'tool-call':
        this.produced = true;
        this.toolCalls.push({ providerCallId: part.toolCallId, tool: part.toolName, arguments: parseArguments(part.input) });
        return true;
      case 'finish': {
        this.finished = true;
        // Every provider adapter starts from "other" with no raw reason and replaces it when the
        // provider says how it stopped; still unset means the answer was cut short or a frame was
        // dropped unread (the Ollama adapter skips lines it cannot parse): not a complete answer.
        if (part.finishReason.unified === 'other' && part.finishReason.raw === undefined) this.failure = new IncompleteAnswer();
        if (part.finishReason.unified === 'content-filter') this.refused = true;
        const input = part.usage.inputTokens.total ?? 0;
        const output = part.usage.outputTokens.total ?? 0;
        this.usage = { input_tokens: input, output_tokens: output, total_tokens: input + output };
        return true;
      }
      case 'error':
        this.failure = part.error;
        return false;
      default:
        // Reasoning, tool-input streaming, metadata and warnings: nothing goosed records.
        return true;
    }
  }
}

/** The provider's stream ended without a finish reason. */
class IncompleteAnswer extends Error {
  override name = 'AI_IncompleteAnswerError';
  constructor() {
    super('the answer ended without a finish reason (cut short, or a frame could not be read)');
  }
}

/**
 * The adapters hand tool arguments over as the JSON text the model wrote. Empty means none; text
 * that is not a JSON object is passed on as `{input}`, so that the tool's own validation answers
 * the model with an error it can correct.
 */
function parseArguments(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch {
    return { input: text };
  }
  return input !== null && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : { input };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason ?? new Error('aborted'));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
