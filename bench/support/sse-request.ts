import { Agent, request, type IncomingMessage } from 'node:http';
import { SseParser, type SseFrame } from '../../src/client/sse-parser.js';
import { sharedClockMs } from './stats.js';

/** The data stays text: the caller parses only what it needs, so the reader adds no JSON work per event. */
export type SseEvent = SseFrame;

export interface SseRequestOptions {
  method?: 'GET' | 'POST';
  json?: unknown;
  headers?: Record<string, string>;
  agent?: Agent;
  /** Called for each event with the shared-clock time its bytes arrived. Return false to hang up. */
  onEvent?: (event: SseEvent, receivedAt: number) => boolean | void;
  /** Hard limit: the stream is cut after this long. */
  timeoutMs?: number;
}

export interface SseResult {
  status: number;
  /** Shared-clock times: request sent, headers received, stream ended. */
  sentAt: number;
  headersAt: number;
  endedAt: number;
  events: number;
  /** True when the stream ended by the timeout rather than by the server or onEvent. */
  timedOut: boolean;
}

/**
 * One SSE request over node:http (no fetch: the agent, and so the sockets, are the caller's), split
 * into events as bytes arrive by the typed client's parser; each event is handed over, with the time
 * its chunk arrived, once its blank line is in.
 */
export function sseRequest(url: string, options: SseRequestOptions = {}): Promise<SseResult> {
  const body = options.json === undefined ? undefined : JSON.stringify(options.json);
  const headers: Record<string, string> = { accept: 'text/event-stream', ...options.headers };
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  return new Promise<SseResult>((resolve, reject) => {
    const sentAt = sharedClockMs();
    let headersAt = Number.NaN;
    let events = 0;
    let timedOut = false;
    let settled = false;
    const finish = (status: number) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ status, sentAt, headersAt, endedAt: sharedClockMs(), events, timedOut });
    };
    const req = request(url, { method: options.method ?? 'GET', headers, agent: options.agent });
    const timer = setTimeout(() => {
      timedOut = true;
      req.destroy();
    }, options.timeoutMs ?? 60_000);
    req.on('error', (error) => {
      if (settled) return;
      if (timedOut) return finish(0);
      settled = true;
      clearTimeout(timer);
      reject(error);
    });
    req.on('response', (response: IncomingMessage) => {
      headersAt = sharedClockMs();
      const status = response.statusCode ?? 0;
      if (status !== 200) {
        response.resume();
        response.on('end', () => finish(status));
        return;
      }
      response.setEncoding('utf8');
      let at = 0;
      let hungUp = false;
      const parser = new SseParser({
        frame: (event) => {
          if (hungUp) return; // the rest of a chunk after the event that said stop
          events++;
          hungUp = options.onEvent?.(event, at) === false;
        },
      });
      response.on('data', (chunk: string) => {
        at = sharedClockMs();
        parser.push(chunk);
        if (hungUp) {
          response.destroy();
          finish(status);
        }
      });
      response.on('end', () => finish(status));
      response.on('close', () => finish(status));
    });
    req.end(body);
  });
}

/** Plain JSON over a keep-alive agent (setup calls: sessions, providers). */
export async function jsonRequest<T = unknown>(url: string, method: string, json?: unknown, agent?: Agent): Promise<{ status: number; body: T; text: string }> {
  const body = json === undefined ? undefined : JSON.stringify(json);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    const req = request(url, { method, headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = text ? JSON.parse(text) : null;
        } catch {
          // not JSON: the caller gets the text
        }
        resolve({ status: response.statusCode ?? 0, body: parsed as T, text });
      });
      response.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Time to the whole body of one GET, in ms (the client-side latency a caller sees). */
export function timedGet(url: string, agent: Agent): Promise<{ status: number; ms: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(url, { agent }, (response) => {
      let bytes = 0;
      response.on('data', (chunk: Buffer) => (bytes += chunk.length));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, ms: performance.now() - started, bytes }));
      response.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

export function keepAliveAgent(maxSockets = Infinity): Agent {
  return new Agent({ keepAlive: true, maxSockets });
}
