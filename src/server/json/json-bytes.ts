import type { Context } from 'hono';
import { BufferPool } from './buffer-pool.js';
import { JsonWriter } from './json-writer.js';
import type { AppEnv } from '../app-context.js';

// Responses whose JSON is written as bytes (long histories: see message-json.ts) share these
// buffers, one process-wide set.
export const responseBuffers = new BufferPool();

export function jsonBytesWriter(): JsonWriter {
  return new JsonWriter(responseBuffers);
}

/**
 * Answers with the JSON `out` holds, as c.json would (status 200, `Content-Type: application/json`),
 * and hands its buffer back to the pool once the response has been written to the socket. If the
 * client goes away first, the buffer is simply left to the garbage collector.
 */
export function jsonBytesResponse(c: Context<AppEnv>, out: JsonWriter, headers: Record<string, string> = {}): Response {
  c.env?.outgoing?.once('finish', () => out.release());
  return c.body(out.bytes(), 200, { ...headers, 'Content-Type': 'application/json' });
}
