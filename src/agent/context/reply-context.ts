import { randomUUID } from 'node:crypto';
import type { LanguageModelV3FunctionTool, LanguageModelV3Prompt } from '@ai-sdk/provider';
import { ContextTooLong } from '../../api/domain-errors.js';
import type { ContextSummary, ContextUsage } from '../../api/context.js';
import type { Message, ToolCallPart, Usage } from '../../api/messages.js';
import type { ModelWindow } from '../../providers/model-windows.js';
import type { ResolvedModel } from '../../providers/provider-settings.js';
import { toModelPrompt } from '../conversation.js';
import { ProviderFailure } from '../model-step.js';
import type { EventPayload } from '../../api/events.js';
import type { SessionSummary } from '../../api/sessions.js';
import type { ModelSettings } from '../../config/server-options.js';
import type { ModelWindows } from '../../providers/model-windows.js';
import { planPrompt, type PromptPlan } from './compaction-plan.js';
import type { PromptSize } from './prompt-size.js';
import { summarise } from './summarizer.js';

export interface OpenContext {
  session: SessionSummary;
  /** The session's messages before the one being written, oldest first. */
  history: readonly Message[];
  /** Publishes an event of the reply (or of the session, for POST /compact). */
  publish: (payload: EventPayload) => Promise<unknown>;
  /** The reply's message, that a `context_compacted` event belongs to; none for POST /compact. */
  messageId?: string;
  signal: AbortSignal;
}

/** What a reply's context uses of the server's (ContextManager). */
export interface ContextServices {
  windows: ModelWindows;
  model: ModelSettings;
  threshold(): number;
  sizeFor(resolved: ResolvedModel): PromptSize;
  ratio(sessionId: string, resolved: ResolvedModel): number;
  setRatio(sessionId: string, resolved: ResolvedModel, reported: number, estimated: number): void;
  addSummary(summary: ContextSummary): Promise<void>;
}

export interface PromptRequest {
  resolved: ResolvedModel;
  system: string;
  tools: LanguageModelV3FunctionTool[];
  /** The message being written: the last of the prompt (none for POST /compact). */
  message?: Message;
  /** Compact whatever the size: after a refusal, or on demand. */
  force?: boolean;
}

/** What one model call was sent: its size as goosed counted it, to compare with the provider's count. */
interface Sent {
  estimated: number;
  plan: PromptPlan;
  frame: number;
}

/**
 * The model's view of a session during one reply: system prompt, latest summary, the messages
 * after it. Before each model call, `prompt` fits it to the window (cutting, eliding, summarising:
 * see compaction-plan.ts); after the call, `recordUsage` compares the provider's count with
 * goosed's; a refusal for length makes the window known (`refused`) and the call is tried again once.
 */
export class ReplyContext {
  private summary: ContextSummary | null;
  /** The history after the summary. */
  private view: readonly Message[];
  private bound: { resolved: ResolvedModel; window: ModelWindow; size: PromptSize } | null = null;
  private last: Sent | null = null;
  private retried = false;
  /** A refusal that stated no window: the size it refused, as an upper bound for this reply. */
  private refusedAt: number | null = null;

  constructor(
    private readonly manager: ContextServices,
    private readonly open: OpenContext,
    summary: ContextSummary | null,
  ) {
    this.summary = summary;
    this.view = after(open.history, summary);
  }

  /** The prompt for the next model call, compacted first when it would pass the threshold. */
  async prompt(request: PromptRequest): Promise<LanguageModelV3Prompt> {
    const { resolved, system, tools, message } = request;
    const { window, size } = await this.bind(resolved);
    const limit = this.limit(window);
    const ratio = this.ratio();
    let plan = this.plan(request, limit, size);
    if (plan.summariseThrough !== null) {
      await this.compact(plan, request, limit ?? plan.tokens);
      plan = this.plan({ ...request, force: false }, limit, size);
    }
    if (limit !== null && plan.tokens > limit) {
      throw new ContextTooLong(
        `The conversation no longer fits the model's context window (${limit.toLocaleString('en-US')} tokens) even compacted: its latest turn alone is about ${plan.tokens.toLocaleString('en-US')} tokens. Shorten the message, or use a model with a larger window.`,
      );
    }
    const frame = size.frame(system, this.summary?.text ?? null, tools);
    this.last = { estimated: plan.tokens / ratio, plan, frame };
    const shown = plan.shown;
    return toModelPrompt(system, this.messages(message), { summary: this.summary?.text, resultText: (call: ToolCallPart) => shown.get(call.id) });
  }

  /**
   * POST /compact: summarises the older part of the conversation now, whatever its size, keeping
   * the most recent turns. Null when there is no older turn to summarise.
   */
  async compactNow(request: Omit<PromptRequest, 'message' | 'force'>): Promise<ContextSummary | null> {
    const { window, size } = await this.bind(request.resolved);
    const limit = this.limit(window);
    const plan = this.plan({ ...request, force: true }, limit, size);
    if (plan.summariseThrough === null) return null;
    await this.compact(plan, request, limit ?? plan.tokens);
    this.last = { estimated: 0, plan: this.plan(request, limit, size), frame: size.frame(request.system, this.summary?.text ?? null, request.tools) };
    return this.summary;
  }

  /** The provider's count of the prompt just sent: the ratio that calibrates goosed's counts. */
  recordUsage(usage: Usage): void {
    if (!this.bound || !this.last) return;
    this.manager.setRatio(this.open.session.id, this.bound.resolved, usage.input_tokens, this.last.estimated);
  }

  /**
   * A failed call: true when the provider refused the prompt for its length and the call should be
   * tried once more (compacted); the window it stated is remembered. A second refusal is final.
   */
  async refused(error: unknown): Promise<boolean> {
    if (!(error instanceof ProviderFailure) || error.info.code !== 'provider_context_exceeded' || !this.bound) return false;
    const refusal = error.info.contextRefusal ?? { limit: null, tokens: null };
    if (this.retried) {
      throw new ContextTooLong(`${error.info.message} It was refused again after compacting; the reply stops here (the history is kept).`);
    }
    this.retried = true;
    const { resolved } = this.bound;
    if (refusal.tokens && this.last) this.manager.setRatio(this.open.session.id, resolved, refusal.tokens, this.last.estimated);
    if (refusal.limit) {
      await this.manager.windows.learn(resolved, refusal.limit);
      this.bound.window = await this.manager.windows.of(resolved);
    } else {
      const sent = refusal.tokens ?? (this.last ? Math.ceil(this.last.estimated * this.ratio()) : null);
      if (sent) this.refusedAt = Math.floor(sent * 0.9);
    }
    return true;
  }

  /** How full the context is now (the messages so far, the last frame sent), and the window. */
  usage(message?: Message): ContextUsage | null {
    if (!this.bound || !this.last) return null;
    const { size } = this.bound;
    const shown = this.last.plan.shown;
    let raw = this.last.frame;
    for (const each of this.messages(message)) raw += size.message(each, (call) => shown.get(call.id));
    return { tokens: Math.ceil(raw * this.ratio()), limit: this.limit(this.bound.window) };
  }

  /** The output cap of a call: the configured maximum, within the model's own output limit. */
  maxOutputTokens(configured: number): number {
    const output = this.bound?.window.output;
    return output ? Math.min(configured, output) : configured;
  }

  private async bind(resolved: ResolvedModel): Promise<NonNullable<ReplyContext['bound']>> {
    if (this.bound?.resolved !== resolved) {
      this.bound = { resolved, window: await this.manager.windows.of(resolved), size: this.manager.sizeFor(resolved) };
    }
    return this.bound;
  }

  private limit(window: ModelWindow): number | null {
    if (this.refusedAt === null) return window.context;
    return window.context === null ? this.refusedAt : Math.min(window.context, this.refusedAt);
  }

  private ratio(): number {
    return this.bound ? this.manager.ratio(this.open.session.id, this.bound.resolved) : 1;
  }

  private plan(request: PromptRequest, limit: number | null, size: PromptSize): PromptPlan {
    const frameTokens = size.frame(request.system, this.summary?.text ?? null, request.tools);
    const messages = this.messages(request.message);
    const ratio = this.ratio();
    if (limit === null) {
      // No window known: nothing to fit the prompt to (a refusal will tell it). On demand, the
      // prompt's own size stands in, so that the older part is summarised all the same.
      if (!request.force) {
        const raw = frameTokens + messages.reduce((sum, each) => sum + size.message(each), 0);
        return { shown: new Map(), tokens: Math.ceil(raw * ratio), summariseThrough: null, stuck: false };
      }
      const raw = frameTokens + messages.reduce((sum, each) => sum + size.message(each), 0);
      limit = Math.ceil(raw * ratio);
    }
    return planPrompt({ messages, frameTokens, size, ratio, limit, threshold: this.manager.threshold(), force: request.force === true });
  }

  private messages(current: Message | undefined): Message[] {
    return current ? [...this.view, current] : [...this.view];
  }

  private async compact(plan: PromptPlan, request: PromptRequest, limit: number): Promise<void> {
    const { resolved } = this.bound!;
    const messages = this.messages(request.message);
    const through = plan.summariseThrough!;
    const ratio = this.ratio();
    const model = this.manager.model;
    const maxSummaryTokens = Math.min(4096, Math.max(256, Math.floor(limit * 0.1)));
    const text = await summarise({
      resolved,
      counter: this.bound!.size.counter,
      previous: this.summary?.text ?? null,
      messages: messages.slice(0, through + 1),
      pieceTokens: Math.floor((limit * 0.7) / ratio),
      maxSummaryTokens,
      model,
      signal: this.open.signal,
    });
    this.open.signal.throwIfAborted();
    const summary: ContextSummary = {
      id: randomUUID(),
      session_id: this.open.session.id,
      text,
      through_message_id: messages[through].id,
      tokens_before: plan.tokens,
      tokens_after: 0,
      created_at: new Date().toISOString(),
    };
    const previous = { summary: this.summary, view: this.view };
    this.summary = summary;
    this.view = this.view.slice(through + 1);
    summary.tokens_after = this.plan({ ...request, force: false }, limit, this.bound!.size).tokens;
    try {
      await this.manager.addSummary(summary);
    } catch (error) {
      Object.assign(this, previous);
      throw error;
    }
    await this.open.publish({ type: 'context_compacted', message_id: this.open.messageId, summary, tokens_before: summary.tokens_before, tokens_after: summary.tokens_after });
  }
}

/** The messages after the summary's range (all of them without one). */
function after(history: readonly Message[], summary: ContextSummary | null): readonly Message[] {
  if (!summary) return history;
  const index = history.findIndex((message) => message.id === summary.through_message_id);
  return index < 0 ? history : history.slice(index + 1);
}
