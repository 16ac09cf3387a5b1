// Every provider adapter, driven by the real AI SDK client against the scripted LLM over loopback:
// text, tool calls and usage arrive intact; cancel reaches the wire; failures classify correctly.
import { generateText, jsonSchema, streamText, tool } from 'ai';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderName } from '../src/api/provider-names.js';
import { normaliseBaseUrl, ProviderConfigError, resolveProviderConnection } from '../src/providers/catalog.js';
import { createLanguageModel } from '../src/providers/language-model.js';
import { classifyProviderError, scrubSecrets } from '../src/providers/provider-errors.js';
import { startScriptedLlm, type RecordedRequest, type ScriptedLlm } from './support/scripted-llm.js';

// The SDK prints compatibility warnings to the console; they are not what these tests look at.
(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

const apiKey = 'sk-test-0123456789abcdefSECRET';
const modelName = 'scripted-model-1';

interface ProviderCase {
  name: ProviderName;
  baseUrl: (url: string) => string;
  keyHeader: string;
  keyHeaderValue: string;
}

const cases: ProviderCase[] = [
  { name: 'openai', baseUrl: (url) => `${url}/v1`, keyHeader: 'authorization', keyHeaderValue: `Bearer ${apiKey}` },
  { name: 'openai_compatible', baseUrl: (url) => `${url}/v1`, keyHeader: 'authorization', keyHeaderValue: `Bearer ${apiKey}` },
  // A bare origin, as the official Anthropic SDK writes ANTHROPIC_BASE_URL: `/v1` is added.
  { name: 'anthropic', baseUrl: (url) => url, keyHeader: 'x-api-key', keyHeaderValue: apiKey },
  // Without `/api`, as OLLAMA_HOST is usually written; a given key travels as a bearer token.
  { name: 'ollama', baseUrl: (url) => url, keyHeader: 'authorization', keyHeaderValue: `Bearer ${apiKey}` },
  { name: 'google', baseUrl: (url) => `${url}/v1beta`, keyHeader: 'x-goog-api-key', keyHeaderValue: apiKey },
];

const tools = {
  read_file: tool({
    description: 'Read a file',
    inputSchema: jsonSchema<{ path: string; lines?: number }>({
      type: 'object',
      properties: { path: { type: 'string' }, lines: { type: 'number' } },
      required: ['path'],
    }),
  }),
};

interface Collected {
  texts: string[];
  toolCalls: { toolName: string; input: unknown }[];
  usage?: { inputTokens?: number; outputTokens?: number };
  /** An `error` part, or what iterating the stream threw: the SDK does both, depending on when it failed. */
  error?: unknown;
}

async function collect(result: ReturnType<typeof streamText<typeof tools>>, onText?: (text: string) => void): Promise<Collected> {
  const collected: Collected = { texts: [], toolCalls: [] };
  try {
    for await (const part of result.fullStream) {
      if (part.type === 'text-delta' && part.text !== '') {
        collected.texts.push(part.text);
        onText?.(part.text);
      }
      if (part.type === 'tool-call') collected.toolCalls.push({ toolName: part.toolName, input: part.input });
      if (part.type === 'finish') collected.usage = part.totalUsage;
      if (part.type === 'error') collected.error ??= part.error;
    }
  } catch (error) {
    collected.error ??= error;
  }
  return collected;
}

async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

let llm: ScriptedLlm;
beforeAll(async () => {
  llm = await startScriptedLlm();
});
afterAll(async () => {
  await llm.close();
});

describe.each(cases)('$name over its real wire format', (providerCase) => {
  const model = () => createLanguageModel({ name: providerCase.name, model: modelName, apiKey, baseUrl: providerCase.baseUrl(llm.url) }, {});
  const stream = async (options: { abortSignal?: AbortSignal; maxRetries?: number } = {}) =>
    streamText({ model: await model(), prompt: 'Read a.txt', tools, maxOutputTokens: 1000, maxRetries: 0, ...options, onError: () => {} });
  const lastRequest = (): RecordedRequest => llm.requests[llm.requests.length - 1];

  it('streams the scripted chunks in order, a tool call with parsed arguments, and usage', async () => {
    llm.enqueue({
      text: ['Let me ', 'look at ', 'that file.'],
      toolCalls: [{ name: 'read_file', arguments: { path: 'a.txt', lines: 20 } }],
      usage: { input: 42, output: 17 },
    });
    const result = await collect(await stream());
    expect(result.error).toBeUndefined();
    expect(result.texts).toEqual(['Let me ', 'look at ', 'that file.']);
    expect(result.toolCalls).toEqual([{ toolName: 'read_file', input: { path: 'a.txt', lines: 20 } }]);
    expect(result.usage).toMatchObject({ inputTokens: 42, outputTokens: 17 });
  });

  it('sends the API key header and the model name', async () => {
    llm.enqueue({ text: 'ok' });
    await collect(await stream());
    const request = lastRequest();
    expect(request.headers[providerCase.keyHeader]).toBe(providerCase.keyHeaderValue);
    expect(request.model).toBe(modelName);
    expect(request.stream).toBe(true);
    if (providerCase.name === 'google') expect(request.path).toContain(`/models/${modelName}:streamGenerateContent`);
    else expect(request.body.model).toBe(modelName);
    if (providerCase.name === 'openai_compatible') expect(request.body.stream_options).toEqual({ include_usage: true });
  });

  it('reads a non-streaming answer the same way', async () => {
    llm.enqueue({ text: 'All done.', toolCalls: [{ name: 'read_file', arguments: { path: 'b.txt' } }], usage: { input: 5, output: 3 } });
    const result = await generateText({ model: await model(), prompt: 'Read b.txt', tools, maxOutputTokens: 1000, maxRetries: 0 });
    expect(lastRequest().stream).toBe(false);
    expect(result.text).toBe('All done.');
    expect(result.toolCalls.map((call) => [call.toolName, call.input])).toEqual([['read_file', { path: 'b.txt' }]]);
    expect(result.usage).toMatchObject({ inputTokens: 5, outputTokens: 3 });
  });

  it('aborts the provider request when the signal fires', async () => {
    llm.enqueue({ text: ['one ', 'two ', 'three ', 'four'], fault: { kind: 'stall_after', chunks: 2 } });
    const abortedBefore = llm.aborted;
    const controller = new AbortController();
    const result = await collect(await stream({ abortSignal: controller.signal }), (text) => {
      if (text === 'two ') controller.abort();
    });
    expect(result.texts).toEqual(['one ', 'two ']);
    await until(() => llm.aborted === abortedBefore + 1);
  });

  it('classifies a 429 with retry-after as retryable, with the wait', async () => {
    llm.enqueue({ fault: { kind: 'status', status: 429, retryAfterSeconds: 7 } });
    const { error } = await collect(await stream());
    expect(classifyProviderError(error, { apiKey, provider: providerCase.name })).toMatchObject({
      retryable: true, status: 429, retryAfterMs: 7000, code: 'provider_rate_limited',
    });
  });

  it('lets the SDK retry after a 429 and then succeed', async () => {
    llm.enqueue({ fault: { kind: 'status', status: 429, retryAfterSeconds: 0 } }, { text: 'recovered' });
    const requestsBefore = llm.requests.length;
    const result = await collect(await stream({ maxRetries: 1 }));
    expect(result.texts.join('')).toBe('recovered');
    expect(llm.requests.length).toBe(requestsBefore + 2);
  });

  it('classifies a 500 as retryable', async () => {
    llm.enqueue({ fault: { kind: 'status', status: 500 } });
    const { error } = await collect(await stream());
    expect(classifyProviderError(error, { apiKey, provider: providerCase.name })).toMatchObject({ retryable: true, status: 500, code: 'provider_unavailable' });
  });

  it('surfaces a connection reset mid-stream as a retryable error, after the chunks that arrived', async () => {
    llm.enqueue({ text: ['a ', 'b ', 'c ', 'd'], fault: { kind: 'reset_after', chunks: 2 } });
    const result = await collect(await stream());
    expect(result.texts).toEqual(['a ', 'b ']);
    expect(result.error).toBeDefined();
    expect(classifyProviderError(result.error, { apiKey, provider: providerCase.name })).toMatchObject({ retryable: true, code: 'provider_connection_failed' });
  });

  it('classifies a 401 as not retryable, without the key in the message', async () => {
    // Providers do echo keys back (OpenAI: "Incorrect API key provided: sk-..."): the scrubber must catch it.
    llm.enqueue({ fault: { kind: 'status', status: 401, message: `Incorrect API key provided: ${apiKey}` } });
    const { error } = await collect(await stream());
    const info = classifyProviderError(error, { apiKey, provider: providerCase.name });
    expect(info).toMatchObject({ retryable: false, status: 401, code: 'provider_auth_failed' });
    expect(info.message).not.toContain(apiKey);
    expect(info.message).toMatch(/rejected the API key/);
  });
});

describe('scripted LLM', () => {
  it('answers a clear 500 when the script has run out', async () => {
    const response = await fetch(`${llm.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'm', stream: true }) });
    expect(response.status).toBe(500);
    expect(JSON.stringify(await response.json())).toContain('the script ran out');
  });

  it('gives a turn only to the requests it matches, and falls back when the queue has none', async () => {
    llm.enqueue({ text: 'for gemini', match: (request) => request.provider === 'google' });
    llm.setFallback((request) => ({ text: `fallback for ${request.provider}` }));
    try {
      const openai = await createLanguageModel({ name: 'openai', model: 'm', apiKey, baseUrl: `${llm.url}/v1` }, {});
      const google = await createLanguageModel({ name: 'google', model: 'm', apiKey, baseUrl: `${llm.url}/v1beta` }, {});
      expect((await generateText({ model: openai, prompt: 'x', maxRetries: 0 })).text).toBe('fallback for openai');
      expect((await generateText({ model: google, prompt: 'x', maxRetries: 0 })).text).toBe('for gemini');
      expect(llm.pending).toBe(0);
    } finally {
      llm.setFallback(undefined);
    }
  });

  it('turns a malformed frame into an unreadable-response error', async () => {
    llm.enqueue({ text: ['fine ', 'then broken'], fault: { kind: 'malformed_after', chunks: 1 } });
    const model = await createLanguageModel({ name: 'openai', model: 'm', apiKey, baseUrl: `${llm.url}/v1` }, {});
    const result = await collect(streamText({ model, prompt: 'x', tools, maxRetries: 0, onError: () => {} }));
    expect(result.texts).toEqual(['fine ']);
    expect(classifyProviderError(result.error)).toMatchObject({ retryable: false, code: 'provider_invalid_response' });
  });
});

describe('provider errors', () => {
  it('classifies a refused connection as retryable', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const model = await createLanguageModel({ name: 'openai', model: 'm', apiKey, baseUrl: `http://127.0.0.1:${closedPort}/v1` }, {});
    const { error } = await collect(streamText({ model, prompt: 'x', tools, maxRetries: 0, onError: () => {} }));
    expect(classifyProviderError(error, { provider: 'openai' })).toMatchObject({ retryable: true, code: 'provider_connection_failed' });
  });

  it('scrubs the key and key-shaped strings from any text', () => {
    const text = `bad key my-own-key-value, Bearer abc.def, sk-proj-${'x'.repeat(20)}, https://g.example/v1?key=AIzaSomething&alt=sse`;
    const scrubbed = scrubSecrets(text, 'my-own-key-value');
    expect(scrubbed).not.toMatch(/my-own-key-value|abc\.def|sk-proj-x|AIzaSomething/);
    expect(scrubbed).toContain('alt=sse');
  });

  it('treats a 400 as final', () => {
    const error = Object.assign(new Error('Invalid model'), { statusCode: 400 });
    expect(classifyProviderError(error)).toMatchObject({ retryable: false, status: 400, code: 'provider_bad_request' });
  });
});

describe('provider catalog', () => {
  it('takes the given key over the environment, and the environment over nothing', () => {
    const env = { GEMINI_API_KEY: 'from-env', OLLAMA_HOST: '10.0.0.5' };
    expect(resolveProviderConnection('google', {}, env).apiKey).toBe('from-env');
    expect(resolveProviderConnection('google', { apiKey: 'given' }, env).apiKey).toBe('given');
    expect(resolveProviderConnection('ollama', {}, env).baseUrl).toBe('http://10.0.0.5:11434/api');
    expect(resolveProviderConnection('openai', { apiKey: 'k' }, {}).baseUrl).toBe('https://api.openai.com/v1');
  });

  it('says which setting is missing', () => {
    expect(() => resolveProviderConnection('anthropic', {}, {})).toThrow(/ANTHROPIC_API_KEY/);
    expect(() => resolveProviderConnection('openai_compatible', {}, {})).toThrow(ProviderConfigError);
    expect(() => resolveProviderConnection('openai_compatible', {}, {})).toThrow(/base URL/);
  });

  it('normalises base URLs to the form each SDK package expects', () => {
    expect(normaliseBaseUrl('ollama', 'localhost')).toBe('http://localhost:11434/api');
    expect(normaliseBaseUrl('ollama', 'http://127.0.0.1:11434/api/')).toBe('http://127.0.0.1:11434/api');
    expect(normaliseBaseUrl('anthropic', 'https://api.anthropic.com')).toBe('https://api.anthropic.com/v1');
    expect(normaliseBaseUrl('anthropic', 'https://gateway.example/anthropic')).toBe('https://gateway.example/anthropic');
    expect(normaliseBaseUrl('openai_compatible', 'http://localhost:1234/v1/')).toBe('http://localhost:1234/v1');
    expect(() => normaliseBaseUrl('openai', 'ftp://x')).toThrow(ProviderConfigError);
  });
});
