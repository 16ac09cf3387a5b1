// The four wire formats the scripted LLM speaks, written to match what the AI SDK parsers accept
// (their zod schemas in node_modules/@ai-sdk/*/dist and ollama-ai-provider-v2/dist).
// A frame is one SSE event or one NDJSON line, already serialised.

export type ProviderKind = 'openai' | 'anthropic' | 'ollama' | 'google';

export interface PreparedToolCall {
  id: string;
  /** False when the script gave no id and one was made up (Gemini and Ollama then send none). */
  idWasScripted: boolean;
  name: string;
  arguments: Record<string, unknown>;
  /** The arguments JSON cut in two, so parsers must join streamed pieces. */
  argumentPieces: readonly [string, string];
}

/** One answer, ready to be written in any format. */
export interface PreparedAnswer {
  model: string;
  created: number;
  pieces: readonly string[];
  toolCalls: readonly PreparedToolCall[];
  usage: { input: number; output: number };
  /** OpenAI only sends the usage chunk when the request asked for it. */
  includeUsage: boolean;
  /** Ends with the format's content-filter finish reason instead of its usual one. */
  refusal: boolean;
  /**
   * Incremented by the frame generators just before they yield a piece of content (text or tool
   * arguments), so faults can fire "after N chunks" regardless of each format's envelope frames.
   */
  progress: { contentFrames: number };
}

export interface WireFormat {
  streamContentType: string;
  frames(answer: PreparedAnswer): Generator<string>;
  completeBody(answer: PreparedAnswer): unknown;
  errorBody(status: number, message: string): unknown;
  /** The provider's own refusal of a prompt longer than its window (status 400 in all four). */
  contextErrorBody(limit: number, tokens: number): unknown;
  garbageFrame: string;
}

const json = JSON.stringify;
const fullText = (answer: PreparedAnswer) => answer.pieces.join('');
const hasTools = (answer: PreparedAnswer) => answer.toolCalls.length > 0;
const openAiFinish = (answer: PreparedAnswer) => (answer.refusal ? 'content_filter' : hasTools(answer) ? 'tool_calls' : 'stop');
const anthropicStop = (answer: PreparedAnswer) => (answer.refusal ? 'refusal' : hasTools(answer) ? 'tool_use' : 'end_turn');
const googleFinish = (answer: PreparedAnswer) => (answer.refusal ? 'SAFETY' : 'STOP');

const openai: WireFormat = {
  streamContentType: 'text/event-stream; charset=utf-8',
  *frames(answer) {
    const head = `data: {"id":"chatcmpl-scripted","object":"chat.completion.chunk","created":${answer.created},"model":${json(answer.model)},"choices":[`;
    let first = true;
    for (const piece of answer.pieces) {
      const role = first ? '"role":"assistant",' : '';
      first = false;
      answer.progress.contentFrames++;
      yield `${head}{"index":0,"delta":{${role}"content":${json(piece)}},"finish_reason":null}]}\n\n`;
    }
    for (const [index, call] of answer.toolCalls.entries()) {
      const start = { index, id: call.id, type: 'function', function: { name: call.name, arguments: call.argumentPieces[0] } };
      answer.progress.contentFrames++;
      yield `${head}{"index":0,"delta":{"tool_calls":[${json(start)}]},"finish_reason":null}]}\n\n`;
      answer.progress.contentFrames++;
      yield `${head}{"index":0,"delta":{"tool_calls":[{"index":${index},"function":{"arguments":${json(call.argumentPieces[1])}}}]},"finish_reason":null}]}\n\n`;
    }
    yield `${head}{"index":0,"delta":{},"finish_reason":"${openAiFinish(answer)}"}]}\n\n`;
    // Like the real API, usage travels in its own last chunk with no choices.
    if (answer.includeUsage) yield `${head}],"usage":${json(openAiUsage(answer))}}\n\n`;
    yield 'data: [DONE]\n\n';
  },
  completeBody(answer) {
    const toolCalls = answer.toolCalls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: json(call.arguments) } }));
    const message = { role: 'assistant', content: answer.pieces.length ? fullText(answer) : null, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) };
    return {
      id: 'chatcmpl-scripted', object: 'chat.completion', created: answer.created, model: answer.model,
      choices: [{ index: 0, message, finish_reason: openAiFinish(answer) }],
      usage: openAiUsage(answer),
    };
  },
  errorBody: (status, message) => ({ error: { message, type: status === 429 ? 'rate_limit_exceeded' : 'api_error', param: null, code: null } }),
  contextErrorBody: (limit, tokens) => ({
    error: {
      message: `This model's maximum context length is ${limit} tokens. However, your messages resulted in ${tokens} tokens. Please reduce the length of the messages.`,
      type: 'invalid_request_error',
      param: 'messages',
      code: 'context_length_exceeded',
    },
  }),
  garbageFrame: 'data: {"choices":[{"delta":{"content":"unterminated\n\n',
};

function openAiUsage(answer: PreparedAnswer) {
  return { prompt_tokens: answer.usage.input, completion_tokens: answer.usage.output, total_tokens: answer.usage.input + answer.usage.output };
}

const anthropicEvent = (type: string, data: string) => `event: ${type}\ndata: ${data}\n\n`;

const anthropic: WireFormat = {
  streamContentType: 'text/event-stream; charset=utf-8',
  *frames(answer) {
    const message = { id: 'msg_scripted', type: 'message', role: 'assistant', model: answer.model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: answer.usage.input, output_tokens: 1 } };
    yield anthropicEvent('message_start', json({ type: 'message_start', message }));
    yield anthropicEvent('ping', '{"type":"ping"}');
    let index = 0;
    if (answer.pieces.length) {
      yield anthropicEvent('content_block_start', `{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}`);
      for (const piece of answer.pieces) {
        answer.progress.contentFrames++;
        yield anthropicEvent('content_block_delta', `{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":${json(piece)}}}`);
      }
      yield anthropicEvent('content_block_stop', '{"type":"content_block_stop","index":0}');
      index++;
    }
    for (const call of answer.toolCalls) {
      const block = { type: 'tool_use', id: call.id, name: call.name, input: {} };
      yield anthropicEvent('content_block_start', json({ type: 'content_block_start', index, content_block: block }));
      for (const piece of call.argumentPieces) {
        answer.progress.contentFrames++;
        yield anthropicEvent('content_block_delta', `{"type":"content_block_delta","index":${index},"delta":{"type":"input_json_delta","partial_json":${json(piece)}}}`);
      }
      yield anthropicEvent('content_block_stop', `{"type":"content_block_stop","index":${index}}`);
      index++;
    }
    const delta = { stop_reason: anthropicStop(answer), stop_sequence: null };
    yield anthropicEvent('message_delta', json({ type: 'message_delta', delta, usage: { output_tokens: answer.usage.output } }));
    yield anthropicEvent('message_stop', '{"type":"message_stop"}');
  },
  completeBody(answer) {
    const content: unknown[] = answer.pieces.length ? [{ type: 'text', text: fullText(answer) }] : [];
    for (const call of answer.toolCalls) content.push({ type: 'tool_use', id: call.id, name: call.name, input: call.arguments });
    return {
      id: 'msg_scripted', type: 'message', role: 'assistant', model: answer.model, content,
      stop_reason: anthropicStop(answer), stop_sequence: null,
      usage: { input_tokens: answer.usage.input, output_tokens: answer.usage.output },
    };
  },
  errorBody: (status, message) => ({ type: 'error', error: { type: anthropicErrorType(status), message } }),
  contextErrorBody: (limit, tokens) => ({ type: 'error', error: { type: 'invalid_request_error', message: `prompt is too long: ${tokens} tokens > ${limit} maximum` } }),
  garbageFrame: 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":\n\n',
};

function anthropicErrorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 429) return 'rate_limit_error';
  if (status === 529) return 'overloaded_error';
  return status >= 500 ? 'api_error' : 'invalid_request_error';
}

const ollama: WireFormat = {
  streamContentType: 'application/x-ndjson',
  *frames(answer) {
    const head = `{"model":${json(answer.model)},"created_at":"${new Date(answer.created * 1000).toISOString()}","message":{"role":"assistant","content":`;
    for (const piece of answer.pieces) {
      answer.progress.contentFrames++;
      yield `${head}${json(piece)}},"done":false}\n`;
    }
    // Ollama sends every tool call whole (arguments as an object), never in pieces.
    for (const call of answer.toolCalls) {
      answer.progress.contentFrames++;
      yield `${head}"","tool_calls":[${json(ollamaToolCall(call))}]},"done":false}\n`;
    }
    yield `${head}""},"done":true,"done_reason":"stop","total_duration":1000,"prompt_eval_count":${answer.usage.input},"eval_count":${answer.usage.output}}\n`;
  },
  completeBody(answer) {
    const toolCalls = answer.toolCalls.map(ollamaToolCall);
    return {
      model: answer.model, created_at: new Date(answer.created * 1000).toISOString(),
      message: { role: 'assistant', content: fullText(answer), ...(toolCalls.length ? { tool_calls: toolCalls } : {}) },
      done: true, done_reason: 'stop', total_duration: 1000,
      prompt_eval_count: answer.usage.input, eval_count: answer.usage.output,
    };
  },
  // What Ollama itself answers; the provider package expects `{error: {message}}`, so it falls
  // back to the HTTP status text for the message.
  errorBody: (_status, message) => ({ error: message }),
  // Ollama cuts a long prompt to its window without a word, unless asked not to (truncate: false):
  // then its runner's (llama.cpp's) refusal comes back as the text of Ollama's `error`.
  contextErrorBody: (limit, tokens) => ({
    error: JSON.stringify({
      error: { code: 400, message: `request (${tokens} tokens) exceeds the available context size (${limit} tokens), try increasing it`, type: 'exceed_context_size_error', n_prompt_tokens: tokens, n_ctx: limit },
    }),
  }),
  garbageFrame: '{"model":"scripted","message":{"content":\n',
};

function ollamaToolCall(call: PreparedToolCall) {
  const fn = { name: call.name, arguments: call.arguments };
  return call.idWasScripted ? { id: call.id, function: fn } : { function: fn };
}

const google: WireFormat = {
  streamContentType: 'text/event-stream',
  *frames(answer) {
    const head = `data: {"candidates":[{"content":{"role":"model","parts":[`;
    const tail = `]},"index":0}],"modelVersion":${json(answer.model)},"responseId":"scripted"}\r\n\r\n`;
    for (const piece of answer.pieces) {
      answer.progress.contentFrames++;
      yield `${head}{"text":${json(piece)}}${tail}`;
    }
    for (const call of answer.toolCalls) {
      answer.progress.contentFrames++;
      yield `${head}${json({ functionCall: googleFunctionCall(call) })}${tail}`;
    }
    yield `data: {"candidates":[{"finishReason":"${googleFinish(answer)}","index":0}],"usageMetadata":${json(googleUsage(answer))},"modelVersion":${json(answer.model)},"responseId":"scripted"}\r\n\r\n`;
  },
  completeBody(answer) {
    const parts: unknown[] = answer.pieces.length ? [{ text: fullText(answer) }] : [];
    for (const call of answer.toolCalls) parts.push({ functionCall: googleFunctionCall(call) });
    return {
      candidates: [{ content: { role: 'model', parts }, finishReason: googleFinish(answer), index: 0 }],
      usageMetadata: googleUsage(answer), modelVersion: answer.model, responseId: 'scripted',
    };
  },
  errorBody: (status, message) => ({ error: { code: status, message, status: googleErrorStatus(status) } }),
  contextErrorBody: (limit, tokens) => ({
    error: { code: 400, message: `The input token count (${tokens}) exceeds the maximum number of tokens allowed (${limit}).`, status: 'INVALID_ARGUMENT' },
  }),
  garbageFrame: 'data: {"candidates":[{"content":\r\n\r\n',
};

function googleFunctionCall(call: PreparedToolCall) {
  // Gemini usually sends no call id and the SDK invents one; an id is sent only when scripted.
  return call.idWasScripted ? { id: call.id, name: call.name, args: call.arguments } : { name: call.name, args: call.arguments };
}

function googleUsage(answer: PreparedAnswer) {
  return { promptTokenCount: answer.usage.input, candidatesTokenCount: answer.usage.output, totalTokenCount: answer.usage.input + answer.usage.output };
}

function googleErrorStatus(status: number): string {
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'PERMISSION_DENIED';
  if (status === 429) return 'RESOURCE_EXHAUSTED';
  if (status === 503) return 'UNAVAILABLE';
  return status >= 500 ? 'INTERNAL' : 'INVALID_ARGUMENT';
}

export const wireFormats: Record<ProviderKind, WireFormat> = { openai, anthropic, ollama, google };
