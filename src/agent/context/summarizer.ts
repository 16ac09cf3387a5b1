import type { LanguageModelV3Prompt } from '@ai-sdk/provider';
import type { Message } from '../../api/messages.js';
import type { ModelSettings } from '../../config/server-options.js';
import type { ResolvedModel } from '../../providers/provider-settings.js';
import type { TokenCounter } from '../../providers/token-counter.js';
import { runModelStep } from '../model-step.js';
import { cutOutput } from './compaction-plan.js';

/**
 * The system prompt of a summary request. Users of agents that compact report lost facts: it asks
 * for what a continuation needs, by kind, and for exact strings (names, paths, errors) verbatim.
 */
export const SUMMARY_SYSTEM_PROMPT = `You summarise the older part of a conversation between a user and an AI agent that works with tools, so that the agent can continue the conversation from your summary alone: the messages you summarise will no longer be visible to it.

Keep, in this order, under these headings:
1. Facts: everything the user stated or the agent found out (names, numbers, versions, dates, preferences, credentials' names but never their values).
2. Decisions: what was decided, and why.
3. Files and commands: every file path, function, command and URL that came up, with what matters about each.
4. Errors: every error met (exact message), and whether and how it was solved.
5. Open tasks: what the user asked for that is not done yet, and the next step.

Copy names, paths, identifiers, numbers and error messages exactly. Leave out greetings, repetition and tool output that no longer matters. Write plain text, no preamble.`;

/** A tool output in the text to summarise: its beginning and end, up to this many tokens. */
const OUTPUT_TOKENS_IN_TRANSCRIPT = 600;

export interface SummaryRequest {
  resolved: ResolvedModel;
  counter: TokenCounter;
  /** The summary the new one replaces (its facts carry over), if any. */
  previous: string | null;
  /** The messages to summarise, oldest first. */
  messages: readonly Message[];
  /** Tokens one request may hold: the part to summarise goes in pieces that fit. */
  pieceTokens: number;
  /** Most tokens the summary may be. */
  maxSummaryTokens: number;
  model: ModelSettings;
  signal: AbortSignal;
}

/**
 * Summarises with the model of the conversation, through the same adapter, without tools. When
 * the part to summarise does not fit one request, it goes in pieces, each summarised together
 * with the summary of the pieces before it, so that the last summary covers all of them.
 */
export async function summarise(request: SummaryRequest): Promise<string> {
  let summary = request.previous;
  for (const piece of pieces(request)) {
    const text = await summaryCall(request, summary, piece);
    if (text.trim() === '') throw new Error('the model answered the summary request with no text');
    summary = text.trim();
  }
  return summary ?? '';
}

/** The transcript in pieces of at most `pieceTokens` (less the summary carried into each). */
function* pieces({ messages, counter, pieceTokens, maxSummaryTokens }: SummaryRequest): Generator<string> {
  const room = Math.max(256, pieceTokens - maxSummaryTokens - counter.count(SUMMARY_SYSTEM_PROMPT));
  let piece: string[] = [];
  let tokens = 0;
  for (const message of messages) {
    let entry = transcriptOf(message, counter);
    let entryTokens = counter.count(entry);
    if (entryTokens > room) {
      entry = cutOutput(entry, entryTokens, room);
      entryTokens = counter.count(entry);
    }
    if (tokens + entryTokens > room && piece.length > 0) {
      yield piece.join('\n\n');
      piece = [];
      tokens = 0;
    }
    piece.push(entry);
    tokens += entryTokens;
  }
  if (piece.length > 0) yield piece.join('\n\n');
}

/** One message as plain text: who said it, and each tool call with the start and end of its output. */
export function transcriptOf(message: Message, counter: TokenCounter): string {
  if (message.role === 'user') return `USER: ${message.content}`;
  const lines: string[] = [];
  for (const part of message.parts) {
    if (part.type === 'text') {
      if (part.text.trim()) lines.push(`ASSISTANT: ${part.text}`);
      continue;
    }
    lines.push(`ASSISTANT called ${part.tool} ${JSON.stringify(part.arguments)}`);
    if (!part.result) continue;
    const output = part.result.content;
    const tokens = counter.count(output);
    const shown = tokens > OUTPUT_TOKENS_IN_TRANSCRIPT ? cutOutput(output, tokens, OUTPUT_TOKENS_IN_TRANSCRIPT) : output;
    lines.push(`TOOL ${part.result.is_error ? 'ERROR' : 'RESULT'}: ${shown}`);
  }
  return lines.join('\n');
}

async function summaryCall(request: SummaryRequest, previous: string | null, piece: string): Promise<string> {
  const parts = [
    previous ? `The summary of the conversation so far:\n\n${previous}\n\nThe conversation continued:` : 'The conversation:',
    piece,
    previous ? 'Write the summary of all of it (the summary so far and what followed).' : 'Write the summary.',
  ];
  const prompt: LanguageModelV3Prompt = [
    { role: 'system', content: SUMMARY_SYSTEM_PROMPT },
    { role: 'user', content: [{ type: 'text', text: parts.join('\n\n') }] },
  ];
  let text = '';
  await runModelStep({
    ...request.model,
    resolved: request.resolved,
    prompt,
    tools: [],
    signal: request.signal,
    maxOutputTokens: Math.min(request.model.maxOutputTokens, request.maxSummaryTokens),
    onText: (delta) => (text += delta),
  });
  return text;
}
