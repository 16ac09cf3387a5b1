// goosed's own client for the OpenAI chat-completions wire format (providers `openai` and
// `openai_compatible`). The AI SDK's adapters cost ≈ 40–60 µs of CPU per streamed token (undici's
// fetch, the body through four web-stream stages, a zod validation per chunk); this one reads the
// response as a Node stream on a keep-alive agent and parses SSE lines and JSON by hand, emitting
// the same stream parts (docs/providers.md). Non-streamed calls go to the SDK's adapter.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { LanguageModelV3, LanguageModelV3CallOptions, LanguageModelV3GenerateResult, LanguageModelV3StreamPart, LanguageModelV3StreamResult } from '@ai-sdk/provider';
import { openAiChatBody, type OpenAiDialect } from './openai-chat-body.js';
import { openAiConnectError, openAiHttpError, type CallDescription } from './openai-chat-errors.js';
import { OpenAiChatParts } from './openai-chat-parts.js';

// One pool per process: every reply to the same provider reuses its open connections.
const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

export interface OpenAiChatModelConfig {
  dialect: OpenAiDialect;
  modelId: string;
  /** Without a trailing slash; `/chat/completions` is appended, as the SDK does. */
  baseUrl: string;
  apiKey?: string;
  /** The SDK's adapter for the same provider, built on first use: it answers doGenerate. */
  sdkModel: () => Promise<LanguageModelV3>;
}

export class OpenAiChatModel implements LanguageModelV3 {
  readonly specificationVersion = 'v3';
  readonly provider: string;
  readonly modelId: string;
  readonly supportedUrls = { 'image/*': [/^https?:\/\/.*$/] };
  private sdk: Promise<LanguageModelV3> | undefined;

  constructor(private readonly config: OpenAiChatModelConfig) {
    this.provider = config.dialect === 'openai' ? 'openai.chat' : 'openai_compatible.chat';
    this.modelId = config.modelId;
  }

  doGenerate(options: LanguageModelV3CallOptions): PromiseLike<LanguageModelV3GenerateResult> {
    this.sdk ??= this.config.sdkModel();
    return this.sdk.then((model) => model.doGenerate(options));
  }

  async doStream(options: LanguageModelV3CallOptions): Promise<LanguageModelV3StreamResult> {
    const body = openAiChatBody(this.modelId, this.config.dialect, options);
    const url = `${this.config.baseUrl}/chat/completions`;
    const response = await post(url, JSON.stringify(body), this.headers(options), options.abortSignal, body);
    const call: CallDescription = { url, body, headers: flatHeaders(response) };
    if (response.statusCode === undefined || response.statusCode < 200 || response.statusCode > 299) {
      const text = await readText(response, options.abortSignal);
      throw openAiHttpError(response.statusCode ?? 500, response.statusMessage ?? '', text, call);
    }
    return { stream: partsOf(response, call, this.config.dialect, options.abortSignal), request: { body }, response: { headers: call.headers } };
  }

  private headers(options: LanguageModelV3CallOptions): Record<string, string> {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'goosed' };
    if (this.config.apiKey) headers.authorization = `Bearer ${this.config.apiKey}`;
    for (const [name, value] of Object.entries(options.headers ?? {})) if (value !== undefined) headers[name.toLowerCase()] = value;
    return headers;
  }
}

/** Sends the request and resolves with the response head; socket failures are the SDK's "Cannot connect to API". */
function post(url: string, payload: string, headers: Record<string, string>, signal: AbortSignal | undefined, body: unknown): Promise<IncomingMessage> {
  const target = new URL(url);
  // As fetch does (and so the SDK): credentials in a URL are refused rather than sent somewhere.
  if (target.username || target.password) return Promise.reject(new TypeError('Request cannot be constructed from a URL that includes credentials'));
  if (signal?.aborted) return Promise.reject(signal.reason);
  const https = target.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const request = (https ? httpsRequest : httpRequest)(target, { method: 'POST', agent: https ? agents.https : agents.http, headers: { ...headers, 'content-length': String(Buffer.byteLength(payload)) } });
    const onAbort = () => request.destroy(signal!.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    request.once('response', (response) => {
      signal?.removeEventListener('abort', onAbort);
      resolve(response);
    });
    // `on`, not `once`: a socket error after the response is the response's to report, and must not go unhandled.
    request.on('error', (error) => {
      signal?.removeEventListener('abort', onAbort);
      reject(signal?.aborted ? signal.reason : openAiConnectError(error, { url, body, headers: {} }));
    });
    request.end(payload);
  });
}

/**
 * The response body as stream parts. Lines are split on `\n` (a `\r` before it dropped); an event's
 * `data:` lines are joined and handed over at the blank line that ends it; `[DONE]` is skipped.
 * A body cut short errors the stream with the socket's error, as undici's does ("terminated").
 */
function partsOf(response: IncomingMessage, call: CallDescription, dialect: OpenAiDialect, signal: AbortSignal | undefined): ReadableStream<LanguageModelV3StreamPart> {
  // Set once the stream is closed, errored or cancelled: nothing is enqueued after that.
  let finished = false;
  let onAbort = () => {};
  const settle = () => {
    finished = true;
    signal?.removeEventListener('abort', onAbort);
  };
  return new ReadableStream<LanguageModelV3StreamPart>({
    start(controller) {
      const parts = new OpenAiChatParts((part) => controller.enqueue(part), call, dialect === 'openai');
      let pending = '';
      let data: string | undefined;
      const fail = (error: unknown) => {
        if (finished) return;
        settle();
        controller.error(error);
        response.destroy();
      };
      onAbort = () => fail(signal!.reason);
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      const line = (text: string) => {
        if (text === '') {
          if (data !== undefined && data !== '[DONE]') parts.data(data);
          data = undefined;
        } else if (text.startsWith('data:')) {
          const value = text.charCodeAt(5) === 32 ? text.slice(6) : text.slice(5);
          data = data === undefined ? value : `${data}\n${value}`;
        }
        // Comments (`:`), `event:`, `id:` and `retry:` lines carry nothing this format uses.
      };
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        if (finished) return;
        pending += chunk;
        let start = 0;
        for (let end = pending.indexOf('\n'); end !== -1; end = pending.indexOf('\n', start)) {
          line(pending.charCodeAt(end - 1) === 13 && end > start ? pending.slice(start, end - 1) : pending.slice(start, end));
          start = end + 1;
        }
        pending = start === 0 ? pending : pending.slice(start);
      });
      response.once('end', () => {
        if (finished) return;
        if (pending !== '') line(pending);
        line('');
        parts.end();
        settle();
        controller.close();
      });
      response.on('error', fail);
      response.once('close', () => {
        if (!response.complete) fail(Object.assign(new Error('the response ended before it was complete'), { code: 'ECONNRESET' }));
      });
    },
    cancel() {
      settle();
      response.destroy();
    },
  });
}

function readText(response: IncomingMessage, signal: AbortSignal | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onAbort = () => response.destroy(signal!.reason);
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => (text += chunk));
    response.once('end', () => {
      signal?.removeEventListener('abort', onAbort);
      resolve(text);
    });
    response.on('error', (error) => {
      signal?.removeEventListener('abort', onAbort);
      reject(signal?.aborted ? signal.reason : error);
    });
  });
}

/** Response headers as the SDK hands them over: lower-case names, one string each. */
function flatHeaders(response: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  return headers;
}
