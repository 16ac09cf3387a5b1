import type { Message, ToolCallPart } from '../../api/messages.js';
import type { PromptSize } from './prompt-size.js';

/** A single tool output above this share of the window is cut (head and tail) in the prompt. */
export const TOOL_OUTPUT_SHARE = 0.25;
/** Compaction brings the prompt down to this share of the threshold, so that it holds for a while. */
const TARGET_OF_THRESHOLD = 0.5;
/** Room kept for the summary itself, as a share of the window. */
const SUMMARY_ROOM = 0.1;
/** Outputs shorter than this (tokens) are not worth eliding: the note is nearly as long. */
const ELIDE_MIN_TOKENS = 40;

export interface PlanInput {
  /** The messages after the latest summary, the reply being written last. */
  messages: readonly Message[];
  /** System prompt, summary and tool definitions, counted. */
  frameTokens: number;
  size: PromptSize;
  /** The provider's count over goosed's, as last seen (1 before any). */
  ratio: number;
  limit: number;
  /** `compaction_threshold`: the share of the window past which the prompt is compacted. */
  threshold: number;
  /** Compact whatever the size (a refusal, or POST /compact). */
  force: boolean;
}

export interface PromptPlan {
  /** Tool results the prompt shows otherwise than stored (cut, or elided), by call id. */
  shown: Map<string, string>;
  /** The prompt's size as planned, in the provider's tokens (calibrated). */
  tokens: number;
  /** A summary is needed of `messages[0..summariseThrough]`; null when the prompt fits without one. */
  summariseThrough: number | null;
  /** Over the threshold, but no older turn is left to summarise. */
  stuck: boolean;
}

/**
 * How the prompt fits the window, in the order the issue asks: a tool output too large for its
 * share of the window is cut; past the threshold, old tool outputs are elided (oldest first,
 * never those the model has not answered yet); still past it, the older turns are summarised,
 * the most recent kept verbatim. The cut falls before a user message, so a call and its result,
 * which live in one assistant message, are never split.
 */
export function planPrompt(input: PlanInput): PromptPlan {
  const { messages, size, ratio, limit, threshold, force } = input;
  const shown = new Map<string, string>();
  const resultText = (call: ToolCallPart) => shown.get(call.id);
  const calls = messages.flatMap((message) => message.parts.filter((part): part is ToolCallPart => part.type === 'tool_call'));

  const maxOutput = Math.floor((limit * TOOL_OUTPUT_SHARE) / ratio);
  for (const call of calls) {
    if (call.result && size.result(call) > maxOutput) shown.set(call.id, cutOutput(call.result.content, size.result(call), maxOutput));
  }

  const perMessage = messages.map((message) => size.message(message, resultText));
  let raw = input.frameTokens + perMessage.reduce((sum, tokens) => sum + tokens, 0);
  const over = (tokens: number) => tokens * ratio > threshold * limit;
  if (!force && !over(raw)) return { shown, tokens: Math.ceil(raw * ratio), summariseThrough: null, stuck: false };

  // Elide old outputs down to the target; the latest step's calls are what the model answers now.
  const target = (threshold * limit * TARGET_OF_THRESHOLD) / ratio;
  const pending = new Set(trailingCalls(messages[messages.length - 1]));
  for (const [index, message] of messages.entries()) {
    for (const call of message.parts) {
      if (raw <= target && !force) break;
      if (call.type !== 'tool_call' || !call.result || pending.has(call)) continue;
      const before = size.result(call, shown.get(call.id));
      if (before < ELIDE_MIN_TOKENS) continue;
      const note = elisionNote(call);
      shown.set(call.id, note);
      const saved = before - size.result(call, note);
      raw -= saved;
      perMessage[index] -= saved;
    }
  }
  if (!force && !over(raw)) return { shown, tokens: Math.ceil(raw * ratio), summariseThrough: null, stuck: false };

  // Summarise up to a user message: keep as many recent turns as fit the room left, at least the last.
  const keepRoom = (threshold * limit * TARGET_OF_THRESHOLD - SUMMARY_ROOM * limit) / ratio - input.frameTokens;
  let through: number | null = null;
  let kept = 0;
  for (let index = messages.length - 1; index > 0; index--) {
    kept += perMessage[index];
    if (messages[index].role !== 'user') continue;
    if (through !== null && kept > keepRoom) break;
    through = index - 1;
  }
  return { shown, tokens: Math.ceil(raw * ratio), summariseThrough: through, stuck: through === null };
}

/** The tool calls that end a message: those of its last model step. */
function trailingCalls(message: Message | undefined): ToolCallPart[] {
  const calls: ToolCallPart[] = [];
  for (const part of [...(message?.parts ?? [])].reverse()) {
    if (part.type !== 'tool_call') break;
    calls.push(part);
  }
  return calls;
}

export function elisionNote(call: ToolCallPart): string {
  const length = call.result?.content.length ?? 0;
  return `[Output of this ${call.tool} call (${length.toLocaleString('en-US')} characters) left out to save context; call the tool again if it is needed.]`;
}

/** Head and tail of an output, to about `maxTokens`, with a note of what was left out between. */
export function cutOutput(content: string, tokens: number, maxTokens: number): string {
  const keepChars = Math.max(200, Math.floor((content.length * maxTokens) / Math.max(tokens, 1)) - 100);
  const head = Math.floor(keepChars * 0.6);
  const tail = keepChars - head;
  const omitted = content.length - head - tail;
  if (omitted <= 0) return content;
  return `${content.slice(0, head)}\n[… ${omitted.toLocaleString('en-US')} characters of this output left out of the prompt; the whole output is kept in the session …]\n${content.slice(-tail)}`;
}
