import type { ModelMessage, ToolSet } from 'ai';
import type { Usage } from '../api/messages.js';
import { classifyProviderError, type ProviderErrorInfo } from '../providers/provider-errors.js';
import type { ResolvedModel } from './provider-registry.js';

export interface StepToolCall {
  id: string;
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

export interface StepOptions {
  resolved: ResolvedModel;
  system: string;
  messages: ModelMessage[];
  tools: ToolSet | undefined;
  signal: AbortSignal;
  onText: (delta: string) => void;
  maxOutputTokens: number;
  retry: { attempts: number; baseDelayMs: number; maxDelayMs: number };
  /** A provider that sends nothing for this long (but keeps the connection open) is given up on. */
  idleTimeoutMs: number;
}

/**
 * One model call, streamed. Transient failures (429, 5xx, a reset) are retried with backoff, but
 * only while nothing has reached the client yet: once text went out, a retry would repeat it, so
 * a stream that breaks midway ends the reply instead.
 */
export async function runModelStep(options: StepOptions): Promise<StepResult> {
  const { streamText } = await import('ai');
  for (let attempt = 1; ; attempt++) {
    let produced = false;
    const toolCalls: StepToolCall[] = [];
    let usage: Usage = { input_tokens: 0, output_tokens: 0, total_tokens: 0 };
    let failure: unknown = null;
    // The step's own signal: aborted by a cancel, or by the idle timer, which each part re-arms.
    const step = new AbortController();
    const cancel = () => step.abort(options.signal.reason);
    options.signal.addEventListener('abort', cancel, { once: true });
    let idle = false;
    const idleTimer = setTimeout(() => {
      idle = true;
      step.abort(new Error('idle'));
    }, options.idleTimeoutMs);
    try {
      const result = streamText({
        model: options.resolved.model,
        system: options.system,
        messages: options.messages,
        tools: options.tools,
        abortSignal: step.signal,
        maxRetries: 0,
        maxOutputTokens: options.maxOutputTokens,
        onError: () => {},
      });
      for await (const part of result.fullStream) {
        idleTimer.refresh();
        if (part.type === 'text-delta') {
          produced = true;
          options.onText(part.text);
        } else if (part.type === 'tool-call') {
          produced = true;
          toolCalls.push({ id: part.toolCallId, tool: part.toolName, arguments: asObject(part.input) });
        } else if (part.type === 'finish') {
          // Every provider adapter starts from "other" with no raw reason and replaces it when the
          // provider says how it stopped; still unset means the answer was cut short or a frame was
          // dropped unread (the Ollama adapter skips lines it cannot parse): not a complete answer.
          if (part.finishReason === 'other' && part.rawFinishReason === undefined) failure = new IncompleteAnswer();
          const input = part.totalUsage.inputTokens ?? 0;
          const output = part.totalUsage.outputTokens ?? 0;
          usage = { input_tokens: input, output_tokens: output, total_tokens: part.totalUsage.totalTokens ?? input + output };
        } else if (part.type === 'error') {
          failure = part.error;
          break;
        }
      }
    } catch (error) {
      failure = error;
    } finally {
      clearTimeout(idleTimer);
      options.signal.removeEventListener('abort', cancel);
    }
    if (options.signal.aborted) throw options.signal.reason ?? new Error('aborted');
    if (idle) {
      failure = null;
      const seconds = Math.round(options.idleTimeoutMs / 100) / 10;
      const info: ProviderErrorInfo = { retryable: true, code: 'provider_timeout', message: `The provider sent nothing for ${seconds} s; the request was abandoned.` };
      if (produced || attempt >= options.retry.attempts) throw new ProviderFailure(info);
      continue;
    }
    if (failure === null) return { toolCalls, usage };
    const info = classifyProviderError(failure, { apiKey: options.resolved.apiKey, provider: options.resolved.provider });
    if (!info.retryable || produced || attempt >= options.retry.attempts) throw new ProviderFailure(info);
    const backoff = Math.min(options.retry.maxDelayMs, options.retry.baseDelayMs * 2 ** (attempt - 1));
    await sleep(Math.min(options.retry.maxDelayMs, Math.max(backoff, info.retryAfterMs ?? 0)), options.signal);
  }
}

/** The provider's stream ended without a finish reason. */
class IncompleteAnswer extends Error {
  override name = 'AI_IncompleteAnswerError';
  constructor() {
    super('the answer ended without a finish reason (cut short, or a frame could not be read)');
  }
}

function asObject(input: unknown): Record<string, unknown> {
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
