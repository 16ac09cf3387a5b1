import type { Agent } from 'node:http';
import { sseRequest } from './sse-request.js';

/** What a client saw of one streamed reply: when each token arrived, on the shared clock. */
export interface ReplyTrace {
  status: number;
  sentAt: number;
  firstTokenAt: number;
  lastTokenAt: number;
  tokens: number;
  /** goosed: the reply ended with message_complete; direct: the provider sent [DONE]. */
  completed: boolean;
  timedOut: boolean;
}

export interface TraceOptions {
  agent?: Agent;
  timeoutMs?: number;
  /** Called with each token's text and its arrival time. */
  onToken?: (text: string, receivedAt: number) => void;
}

/** The reply as goosed relays it: POST /api/sessions/{id}/messages/stream, counting the tokens in its content_delta events. */
export async function traceGoosedReply(goosedUrl: string, sessionId: string, options: TraceOptions = {}): Promise<ReplyTrace> {
  let firstTokenAt = Number.NaN;
  let lastTokenAt = Number.NaN;
  let tokens = 0;
  let completed = false;
  const result = await sseRequest(`${goosedUrl}/api/sessions/${sessionId}/messages/stream`, {
    method: 'POST',
    json: { content: 'Tell me a long story.' },
    agent: options.agent,
    timeoutMs: options.timeoutMs,
    onEvent: (event, at) => {
      if (event.event === 'content_delta') {
        // goosed relays the tokens that reached it together as one delta; every scripted token
        // ends with a space, so the delta is split back into its tokens.
        const pieces = (JSON.parse(event.data) as { delta: string }).delta.split(' ');
        pieces.pop();
        if (pieces.length === 0) return;
        if (tokens === 0) firstTokenAt = at;
        lastTokenAt = at;
        tokens += pieces.length;
        if (options.onToken) for (const piece of pieces) options.onToken(`${piece} `, at);
      } else if (event.event === 'message_complete') {
        completed = true;
      }
    },
  });
  return { status: result.status, sentAt: result.sentAt, firstTokenAt, lastTokenAt, tokens, completed, timedOut: result.timedOut };
}

/** The same reply read straight from the scripted provider (OpenAI chat completions, streamed). */
export async function traceDirectReply(llmUrl: string, options: TraceOptions = {}): Promise<ReplyTrace> {
  let firstTokenAt = Number.NaN;
  let lastTokenAt = Number.NaN;
  let tokens = 0;
  let completed = false;
  const result = await sseRequest(`${llmUrl}/v1/chat/completions`, {
    method: 'POST',
    json: { model: 'm', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'Tell me a long story.' }] },
    headers: { authorization: 'Bearer sk-bench' },
    agent: options.agent,
    timeoutMs: options.timeoutMs,
    onEvent: (event, at) => {
      if (event.data === '[DONE]') {
        completed = true;
        return;
      }
      const chunk = JSON.parse(event.data) as { choices: { delta: { content?: string } }[] };
      const text = chunk.choices[0]?.delta.content;
      if (text === undefined) return;
      if (tokens === 0) firstTokenAt = at;
      lastTokenAt = at;
      tokens++;
      options.onToken?.(text, at);
    },
  });
  return { status: result.status, sentAt: result.sentAt, firstTokenAt, lastTokenAt, tokens, completed, timedOut: result.timedOut };
}

/**
 * The same reply read through the AI SDK's OpenAI chat adapter alone (its `doStream`, as goosed
 * called it before it had its own reader), in the benchmark's process: what any server built on
 * the adapter can reach at most. `client: 'goosed'` reads it through goosed's own OpenAI reader.
 */
export async function traceAdapterReply(llmUrl: string, client: 'sdk' | 'goosed' = 'sdk'): Promise<ReplyTrace> {
  const model = client === 'sdk'
    ? (await import('@ai-sdk/openai')).createOpenAI({ apiKey: 'sk-bench', baseURL: `${llmUrl}/v1` }).chat('m')
    : await (await import('../../src/providers/language-model.js')).createLanguageModel({ name: 'openai', model: 'm', apiKey: 'sk-bench', baseUrl: `${llmUrl}/v1` }, {});
  const sentAt = performance.now();
  let firstTokenAt = Number.NaN;
  let lastTokenAt = Number.NaN;
  let tokens = 0;
  let completed = false;
  const { stream } = await model.doStream({ prompt: [{ role: 'user', content: [{ type: 'text', text: 'Tell me a long story.' }] }] });
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (value.type === 'text-delta') {
      const at = performance.now();
      if (tokens === 0) firstTokenAt = at;
      lastTokenAt = at;
      tokens++;
    } else if (value.type === 'finish') {
      completed = true;
    }
  }
  return { status: 200, sentAt, firstTokenAt, lastTokenAt, tokens, completed, timedOut: false };
}
