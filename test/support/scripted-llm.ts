// A scripted LLM server on a loopback port for tests and benchmarks. It speaks the real wire
// formats of OpenAI chat completions, Anthropic messages, Ollama chat and Gemini, so the real AI
// SDK provider clients run end to end; each model request is answered by the next scripted turn.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { wireFormats, type PreparedAnswer, type ProviderKind, type WireFormat } from './scripted-llm-wire.js';

export type ScriptedFault =
  /** An HTTP error; `message` goes into the provider's own error JSON, `body` replaces the body outright. */
  | { kind: 'status'; status: number; retryAfterSeconds?: number; message?: string; body?: string }
  /** Destroys the socket once N pieces of content (text chunks or tool-argument pieces) were sent. */
  | { kind: 'reset_after'; chunks: number }
  /** Sends nothing more after N pieces of content, keeping the connection open until the client leaves. */
  | { kind: 'stall_after'; chunks: number }
  /** Sends one frame that is not valid JSON after N pieces of content, then ends the response. */
  | { kind: 'malformed_after'; chunks: number };

export interface ScriptedTurn {
  /** string[]: exactly these chunks; a string: split after each run of whitespace. */
  text?: string | string[];
  toolCalls?: { id?: string; name: string; arguments: Record<string, unknown> }[];
  /** Defaults: input ≈ request bytes / 4, output = number of chunks. */
  usage?: { input: number; output: number };
  /** Pause between frames; 0 writes as fast as the client reads. */
  chunkDelayMs?: number;
  fault?: ScriptedFault;
  /** Ends the answer as the provider's content filter does (OpenAI `content_filter`, Anthropic `refusal`, Gemini `SAFETY`; Ollama has none). */
  refusal?: boolean;
  /** When set, the turn is only used for a request it accepts; others pass it by in the queue. */
  match?: (request: RecordedRequest) => boolean;
}

export interface RecordedRequest {
  provider: ProviderKind;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body as the SDK sent it; `any` because tests poke into each provider's own fields. */
  body: any;
  /** From the body, or from the URL for Gemini. */
  model: string;
  stream: boolean;
}

/** The text of the system prompt goosed's summary requests carry (src/agent/context/summarizer.ts). */
export const SUMMARY_REQUEST_MARKER = 'You summarise the older part of a conversation';

/** Whether a request is goosed asking for a summary of the older conversation. */
export function isSummaryRequest(request: RecordedRequest): boolean {
  return JSON.stringify(request.body).includes(SUMMARY_REQUEST_MARKER);
}

/**
 * The tokens the scripted LLM counts in a request: its body's bytes over four, the same figure it
 * reports as input usage when the turn scripts none. A model with a window refuses a request
 * above it, in its provider's own words.
 */
export const requestTokens = (bodyBytes: number) => Math.max(1, Math.ceil(bodyBytes / 4));

export interface ScriptedLlm {
  /** http://127.0.0.1:PORT. Base URLs: openai `${url}/v1`, anthropic `${url}/v1`, ollama `${url}/api`, google `${url}/v1beta`. */
  url: string;
  enqueue(...turns: ScriptedTurn[]): void;
  /** Answers requests when the queue has no turn for them (benchmarks use this). */
  setFallback(turn: ScriptedTurn | ((request: RecordedRequest) => ScriptedTurn) | undefined): void;
  /** The model's context window in tokens (see requestTokens); undefined: no limit. Refused requests take no turn. */
  setContextLimit(limit: number | undefined): void;
  /** Requests refused as longer than the context window, in order. */
  readonly refused: RecordedRequest[];
  readonly requests: RecordedRequest[];
  /** Requests whose client went away before the answer finished (proves a cancel reached the provider call). */
  readonly aborted: number;
  /** Turns still queued. */
  readonly pending: number;
  close(): Promise<void>;
}

const googlePath = /^\/v1beta\/(?:models\/)?([^:/]+):(generateContent|streamGenerateContent)$/;

function routeOf(method: string | undefined, pathname: string): ProviderKind | undefined {
  if (method !== 'POST') return undefined;
  if (pathname === '/v1/chat/completions') return 'openai';
  if (pathname === '/v1/messages') return 'anthropic';
  if (pathname === '/api/chat') return 'ollama';
  if (googlePath.test(pathname)) return 'google';
  return undefined;
}

export async function startScriptedLlm(): Promise<ScriptedLlm> {
  const queue: ScriptedTurn[] = [];
  const requests: RecordedRequest[] = [];
  let fallback: ScriptedTurn | ((request: RecordedRequest) => ScriptedTurn) | undefined;
  let contextLimit: number | undefined;
  const refused: RecordedRequest[] = [];
  let aborted = 0;
  let closing = false;
  let callCount = 0;

  function takeTurn(request: RecordedRequest): ScriptedTurn | undefined {
    const index = queue.findIndex((turn) => !turn.match || turn.match(request));
    if (index >= 0) return queue.splice(index, 1)[0];
    return typeof fallback === 'function' ? fallback(request) : fallback;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const pathname = (req.url ?? '/').split('?')[0];
    const provider = routeOf(req.method, pathname);
    if (!provider) return sendJson(res, 404, { error: `scripted LLM: no route for ${req.method} ${pathname}` });
    const raw = await readBody(req);
    if (raw === undefined) return; // the client left while sending
    let body: any;
    try {
      body = JSON.parse(raw);
    } catch {
      return sendJson(res, 400, { error: 'scripted LLM: the request body is not JSON' });
    }
    const google = provider === 'google' ? googlePath.exec(pathname) : null;
    const request: RecordedRequest = {
      provider, path: req.url ?? pathname, headers: req.headers, body,
      model: google ? google[1] : String(body?.model ?? ''),
      stream: google ? google[2] === 'streamGenerateContent' : provider === 'ollama' ? body?.stream !== false : body?.stream === true,
    };
    requests.push(request);
    const wire = wireFormats[provider];
    const tokens = requestTokens(Buffer.byteLength(raw));
    if (contextLimit !== undefined && tokens > contextLimit) {
      refused.push(request);
      return sendJson(res, 400, wire.contextErrorBody(contextLimit, tokens));
    }
    const turn = takeTurn(request);
    if (!turn) {
      const message = `scripted LLM: the script ran out (no queued turn and no fallback) for POST ${pathname}`;
      return sendJson(res, 500, wire.errorBody(500, message));
    }

    // Counted as aborted when the connection closes before we finished on purpose.
    let finishedOnPurpose = false;
    let clientGone = false;
    res.on('close', () => {
      clientGone = true;
      if (!finishedOnPurpose && !closing) aborted++;
    });
    const finish = () => { finishedOnPurpose = true; };

    const fault = turn.fault;
    if (fault?.kind === 'status') {
      finish();
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
      res.writeHead(fault.status, headers);
      res.end(fault.body ?? JSON.stringify(wire.errorBody(fault.status, fault.message ?? `scripted failure with status ${fault.status}`)));
      return;
    }
    const answer = prepareAnswer(turn, request, Buffer.byteLength(raw), ++callCount);
    if (!request.stream) {
      if (turn.chunkDelayMs) await sleep(turn.chunkDelayMs);
      if (fault?.kind === 'stall_after' || clientGone) return;
      if (fault?.kind === 'reset_after') { finish(); res.socket?.end(); return; }
      finish();
      const text = fault?.kind === 'malformed_after' ? '{"id": "truncated' : JSON.stringify(wire.completeBody(answer));
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(text);
    }
    await streamAnswer(res, wire, answer, turn, finish, () => clientGone);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: `scripted LLM crashed: ${String(error)}` });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    enqueue: (...turns) => void queue.push(...turns),
    setFallback: (turn) => void (fallback = turn),
    setContextLimit: (limit) => void (contextLimit = limit),
    refused,
    requests,
    get aborted() { return aborted; },
    get pending() { return queue.length; },
    close: () => new Promise<void>((resolve) => {
      closing = true;
      server.close(() => resolve());
      // Stalled answers and idle keep-alive sockets would otherwise hold close() forever.
      server.closeAllConnections();
    }),
  };
}

async function streamAnswer(
  res: ServerResponse, wire: WireFormat, answer: PreparedAnswer, turn: ScriptedTurn,
  finish: () => void, isClientGone: () => boolean,
): Promise<void> {
  res.writeHead(200, { 'content-type': wire.streamContentType, 'cache-control': 'no-cache' });
  res.flushHeaders();
  const fault = turn.fault?.kind === 'status' ? undefined : turn.fault;
  const delayMs = turn.chunkDelayMs ?? 0;
  let sentAny = false;
  for (const frame of wire.frames(answer)) {
    if (isClientGone()) return;
    if (fault && answer.progress.contentFrames > fault.chunks) return applyStreamFault(res, wire, fault, finish);
    if (delayMs > 0 && sentAny) await sleep(delayMs);
    sentAny = true;
    if (!res.write(frame)) await drainOrClose(res);
  }
  if (isClientGone()) return;
  // A fault past the last content frame still fires, at the very end.
  if (fault) return applyStreamFault(res, wire, fault, finish);
  finish();
  res.end();
}

function applyStreamFault(res: ServerResponse, wire: WireFormat, fault: Exclude<ScriptedFault, { kind: 'status' }>, finish: () => void): void {
  if (fault.kind === 'stall_after') return; // keep the socket open and silent
  finish();
  // end() on the socket (not the response) sends what was written, then closes mid-body: the
  // client has its N chunks and then sees the stream cut, as when a proxy drops the connection.
  if (fault.kind === 'reset_after') return void res.socket?.end();
  res.end(wire.garbageFrame);
}

function drainOrClose(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

function prepareAnswer(turn: ScriptedTurn, request: RecordedRequest, requestBytes: number, callNumber: number): PreparedAnswer {
  const pieces = typeof turn.text === 'string' ? splitIntoChunks(turn.text) : (turn.text ?? []);
  const toolCalls = (turn.toolCalls ?? []).map((call, index) => {
    const argumentsJson = JSON.stringify(call.arguments);
    const half = Math.ceil(argumentsJson.length / 2);
    return {
      id: call.id ?? `call_${callNumber}_${index}`,
      idWasScripted: call.id !== undefined,
      name: call.name,
      arguments: call.arguments,
      argumentPieces: [argumentsJson.slice(0, half), argumentsJson.slice(half)] as const,
    };
  });
  return {
    model: request.model || 'scripted-model',
    created: Math.floor(Date.now() / 1000),
    pieces,
    toolCalls,
    usage: turn.usage ?? { input: requestTokens(requestBytes), output: pieces.length + toolCalls.length },
    includeUsage: request.body?.stream_options?.include_usage === true,
    refusal: turn.refusal === true,
    progress: { contentFrames: 0 },
  };
}

/** "Hello there, world" → ["Hello ", "there, ", "world"]: word-sized chunks, like model tokens. */
export function splitIntoChunks(text: string): string[] {
  return text.match(/\s*\S+\s*|\s+/g) ?? [];
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(undefined));
    req.on('aborted', () => resolve(undefined));
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
