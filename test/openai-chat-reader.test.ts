// goosed's own OpenAI chat-completions reader (src/providers/openai-chat-model.ts) against the AI
// SDK adapter it replaced, on the same wire: the same request body for the same call, and the same
// stream parts, errors and classifications for the same answer. A divergence fails here first.
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModelV3, LanguageModelV3CallOptions, LanguageModelV3Prompt, LanguageModelV3StreamPart } from '@ai-sdk/provider';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLanguageModel } from '../src/providers/language-model.js';
import { classifyProviderError } from '../src/providers/provider-errors.js';
import { startScriptedLlm, type ScriptedLlm, type ScriptedTurn } from './support/scripted-llm.js';

const apiKey = 'sk-reader-parity-0123456789';

let llm: ScriptedLlm;
beforeAll(async () => {
  llm = await startScriptedLlm();
});
afterAll(async () => {
  await llm.close();
});

type Flavour = 'openai' | 'openai_compatible';

/** The SDK adapter goosed used before, built as language-model.ts built it. */
function sdkModel(flavour: Flavour, modelId: string, baseUrl: string): LanguageModelV3 {
  return flavour === 'openai'
    ? createOpenAI({ apiKey, baseURL: baseUrl }).chat(modelId)
    : createOpenAICompatible({ name: 'openai_compatible', apiKey, baseURL: baseUrl, includeUsage: true }).chatModel(modelId);
}

const ownModel = (flavour: Flavour, modelId: string, baseUrl: string) => createLanguageModel({ name: flavour, model: modelId, apiKey, baseUrl }, {});

interface Outcome {
  parts: unknown[];
  /** Thrown by doStream, or the first `error` part: the SDK does either, depending on the failure. */
  error?: unknown;
}

async function read(model: LanguageModelV3, options: LanguageModelV3CallOptions): Promise<Outcome> {
  const parts: LanguageModelV3StreamPart[] = [];
  try {
    const { stream } = await model.doStream(options);
    const reader = stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
    }
  } catch (error) {
    return { parts, error };
  }
  return { parts, error: parts.find((part) => part.type === 'error')?.error };
}

/**
 * Parts compared by what they carry: block ids ("0" against "txt-0"), the clock second of the
 * response's `created`, provider metadata and error objects (compared by classification) aside.
 */
function comparable(parts: unknown[]): unknown[] {
  return parts.map((part) => {
    const { id, timestamp, providerMetadata, error, ...rest } = part as Record<string, unknown>;
    const kept: Record<string, unknown> = { ...rest };
    if (rest.type === 'tool-input-start' || rest.type === 'tool-input-delta' || rest.type === 'tool-input-end') kept.id = id;
    if (rest.type === 'response-metadata') kept.id = id;
    if (rest.type === 'error') kept.error = (error as Error)?.name;
    return kept;
  });
}

const prompt: LanguageModelV3Prompt = [
  { role: 'system', content: 'You are goosed.' },
  { role: 'system', content: 'The earlier part of this conversation was summarised.' },
  { role: 'user', content: [{ type: 'text', text: 'Read a.txt and b.txt' }] },
  {
    role: 'assistant',
    content: [
      { type: 'text', text: 'Reading both.' },
      { type: 'tool-call', toolCallId: 'call_a', toolName: 'read_file', input: { path: 'a.txt' } },
      { type: 'tool-call', toolCallId: 'call_b', toolName: 'read_file', input: { path: 'b.txt', lines: 3 } },
    ],
  },
  {
    role: 'tool',
    content: [
      { type: 'tool-result', toolCallId: 'call_a', toolName: 'read_file', output: { type: 'text', value: 'alpha' } },
      { type: 'tool-result', toolCallId: 'call_b', toolName: 'read_file', output: { type: 'error-text', value: 'no such file' } },
    ],
  },
  { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'call_c', toolName: 'read_file', input: { path: 'c.txt' } }] },
  { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_c', toolName: 'read_file', output: { type: 'text', value: 'gamma' } }] },
  { role: 'assistant', content: [{ type: 'text', text: 'b.txt is missing.' }] },
  { role: 'user', content: [{ type: 'text', text: 'Thanks — now ünïcödé 🎉' }] },
];

const callOptions: LanguageModelV3CallOptions = {
  prompt,
  tools: [{
    type: 'function', name: 'read_file', description: 'Read a file',
    inputSchema: { type: 'object', properties: { path: { type: 'string' }, lines: { type: 'number' } }, required: ['path'] },
  }],
  toolChoice: { type: 'auto' },
  maxOutputTokens: 4096,
};

/** The same turn answered to the SDK adapter, then to goosed's reader (none: a refusal takes no turn). */
async function bothWays(flavour: Flavour, turn: ScriptedTurn | null, options: LanguageModelV3CallOptions = callOptions, modelId = 'scripted-model') {
  const baseUrl = `${llm.url}/v1`;
  if (turn) llm.enqueue(turn);
  const sdk = await read(sdkModel(flavour, modelId, baseUrl), options);
  const sdkRequest = llm.requests.at(-1)!;
  if (turn) llm.enqueue(turn);
  const own = await read(await ownModel(flavour, modelId, baseUrl), options);
  const ownRequest = llm.requests.at(-1)!;
  return { sdk, own, sdkRequest, ownRequest };
}

/** What goosed makes of a failure. The socket error's name differs (undici: UND_ERR_SOCKET, Node: ECONNRESET), so it is left out of the sentence. */
const classified = (error: unknown, flavour: Flavour) => {
  const { code, retryable, status, retryAfterMs, message } = classifyProviderError(error, { apiKey, provider: flavour });
  return { code, retryable, status, retryAfterMs, message: message.replace(/\((?:UND_ERR_SOCKET|ECONNRESET)\)/, '(socket error)') };
};

describe.each(['openai', 'openai_compatible'] as const)('%s: goosed reader against the AI SDK adapter', (flavour) => {
  it('sends the same request body and the same key header', async () => {
    const { sdkRequest, ownRequest } = await bothWays(flavour, { text: 'ok' });
    expect(ownRequest.body).toEqual(sdkRequest.body);
    expect(ownRequest.body.messages.map((message: { role: string }) => message.role)).toEqual(['system', 'system', 'user', 'assistant', 'tool', 'tool', 'assistant', 'tool', 'assistant', 'user']);
    expect(ownRequest.headers.authorization).toBe(`Bearer ${apiKey}`);
  });

  it('sends the same body without tools, as the summariser asks', async () => {
    const plain = { prompt: [prompt[0], prompt[2]], maxOutputTokens: 1000 };
    const { sdkRequest, ownRequest } = await bothWays(flavour, { text: 'ok' }, plain);
    expect(ownRequest.body).toEqual(sdkRequest.body);
    expect(ownRequest.body.tools).toBeUndefined();
  });

  it('streams the same parts: text, parallel tool calls with joined arguments, finish and usage', async () => {
    const turn: ScriptedTurn = {
      text: ['Let me ', 'look ', 'at both.'],
      toolCalls: [
        { id: 'call_1', name: 'read_file', arguments: { path: 'a.txt', lines: 20 } },
        { id: 'call_2', name: 'read_file', arguments: { path: 'b.txt' } },
      ],
      usage: { input: 120, output: 17 },
    };
    const { sdk, own } = await bothWays(flavour, turn);
    expect(own.error).toBeUndefined();
    expect(comparable(own.parts)).toEqual(comparable(sdk.parts));
    const calls = own.parts.filter((part) => (part as { type: string }).type === 'tool-call');
    expect(calls).toEqual([
      { type: 'tool-call', toolCallId: 'call_1', toolName: 'read_file', input: '{"path":"a.txt","lines":20}' },
      { type: 'tool-call', toolCallId: 'call_2', toolName: 'read_file', input: '{"path":"b.txt"}' },
    ]);
    expect(own.parts.at(-1)).toMatchObject({ type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_calls' }, usage: { inputTokens: { total: 120 }, outputTokens: { total: 17 } } });
  });

  it('ends a content-filtered answer the same way', async () => {
    const { sdk, own } = await bothWays(flavour, { text: 'I will not', refusal: true });
    expect(comparable(own.parts)).toEqual(comparable(sdk.parts));
    expect(own.parts.at(-1)).toMatchObject({ finishReason: { unified: 'content-filter', raw: 'content_filter' } });
  });

  for (const [name, turn] of [
    ['a 429 with retry-after', { fault: { kind: 'status', status: 429, retryAfterSeconds: 7 } }],
    ['a 401 echoing the key', { fault: { kind: 'status', status: 401, message: `Incorrect API key provided: ${apiKey}` } }],
    ['a 502 with an HTML body', { fault: { kind: 'status', status: 502, body: '<html>Bad gateway</html>' } }],
    ['a reset mid-stream', { text: ['a ', 'b ', 'c ', 'd'], fault: { kind: 'reset_after', chunks: 2 } }],
    ['a malformed frame mid-stream', { text: ['fine ', 'then broken'], fault: { kind: 'malformed_after', chunks: 1 } }],
  ] as [string, ScriptedTurn][]) {
    it(`fails the same way on ${name}`, async () => {
      const { sdk, own } = await bothWays(flavour, turn);
      expect(own.error).toBeDefined();
      expect(classified(own.error, flavour)).toEqual(classified(sdk.error, flavour));
      const texts = (outcome: Outcome) => outcome.parts.filter((part) => (part as { type: string }).type === 'text-delta').map((part) => (part as { delta: string }).delta);
      expect(texts(own)).toEqual(texts(sdk));
    });
  }

  it("fails the same way on the provider's refusal of a prompt too long for its window", async () => {
    llm.setContextLimit(50);
    try {
      const { sdk, own } = await bothWays(flavour, null);
      expect(classified(own.error, flavour)).toEqual(classified(sdk.error, flavour));
      expect(classifyProviderError(own.error).contextRefusal).toEqual({ limit: 50, tokens: expect.any(Number) });
    } finally {
      llm.setContextLimit(undefined);
    }
  });
});

describe('openai reasoning models', () => {
  it.each(['gpt-5', 'o3-mini', 'gpt-5-chat-latest', 'gpt-4o'])('%s gets the body the SDK sends it (developer role, max_completion_tokens)', async (modelId) => {
    const { sdkRequest, ownRequest } = await bothWays('openai', { text: 'ok' }, callOptions, modelId);
    expect(ownRequest.body).toEqual(sdkRequest.body);
  });
});

describe('the event stream as other servers write it', () => {
  // A server that writes each event in small pieces with CRLF line ends, a comment and an `event:`
  // line, and splits a multi-byte character across writes; then, on request, an error frame.
  let server: Server;
  let baseUrl: string;
  let mode: 'split' | 'error-frame' = 'split';
  const chunk = (delta: object, finish: string | null = null) =>
    `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })}\r\n\r\n`;

  beforeAll(async () => {
    server = createServer((request, response) => {
      request.resume();
      request.on('end', async () => {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        if (mode === 'error-frame') {
          response.end(`data: ${JSON.stringify({ error: { message: 'The server is overloaded', type: 'server_error', code: null } })}\n\n`);
          return;
        }
        const body = Buffer.from(
          ': keep-alive\r\n\r\n' + 'event: message\r\n' + chunk({ role: 'assistant', content: '' }) + chunk({ content: 'Grüße ' }) + chunk({ content: '🎉 done' }) +
          chunk({}, 'stop') + `data: ${JSON.stringify({ id: 'c1', choices: [], usage: { prompt_tokens: 9, completion_tokens: 2, prompt_tokens_details: { cached_tokens: 4 } } })}\r\n\r\n` + 'data: [DONE]\r\n\r\n',
        );
        for (let at = 0; at < body.length; at += 7) {
          response.write(body.subarray(at, at + 7));
          await new Promise((resolve) => setImmediate(resolve));
        }
        response.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it.each(['openai', 'openai_compatible'] as const)('%s: pieces, CRLF, comments and split characters read as the SDK reads them, cached tokens counted', async (flavour) => {
    mode = 'split';
    const sdk = await read(sdkModel(flavour, 'm', baseUrl), callOptions);
    const own = await read(await ownModel(flavour, 'm', baseUrl), callOptions);
    expect(own.error).toBeUndefined();
    expect(comparable(own.parts)).toEqual(comparable(sdk.parts));
    const text = own.parts.filter((part) => (part as { type: string }).type === 'text-delta').map((part) => (part as { delta: string }).delta).join('');
    expect(text).toBe('Grüße 🎉 done');
    expect(own.parts.at(-1)).toMatchObject({ type: 'finish', usage: { inputTokens: { total: 9, cacheRead: 4, noCache: 5 }, outputTokens: { total: 2 } } });
  });

  it('an error frame before any output is a retryable 500-class APICallError, as @ai-sdk/openai makes it', async () => {
    mode = 'error-frame';
    const sdk = await read(sdkModel('openai', 'm', baseUrl), callOptions);
    const own = await read(await ownModel('openai', 'm', baseUrl), callOptions);
    expect(classified(own.error, 'openai')).toEqual(classified(sdk.error, 'openai'));
    expect(classified(own.error, 'openai')).toMatchObject({ code: 'provider_unavailable', retryable: true, status: 500 });
  });
});
